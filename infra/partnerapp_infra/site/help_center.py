"""How the help center's articles are shelved: each article's category (declared in its front
matter, from templates/categories.toml), the breadcrumbs above it, the related articles below
it, and the category pages. Checked when the site is built: a missing or unknown category, or a
related article that is not an article (or is the article itself), fails the build naming the
front matter file and its field."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from partnerapp_infra.site import article_facts

HOME_CRUMB = ("Help center", "/index.html")
RELATED_LIMIT = 3


class Article(Protocol):
    """What the shelf needs of an article page (site_builder.Page has it)."""

    @property
    def path(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def template(self) -> str: ...


@dataclass(frozen=True)
class Category:
    key: str
    title: str
    description: str

    @property
    def path(self) -> str:
        return f"/categories/{self.key}.html"


def load_categories(file: Path) -> dict[str, Category]:
    data = tomllib.loads(file.read_text(encoding="utf-8"))
    return {key: Category(key, str(v["title"]), str(v["description"])) for key, v in data.items()}


@dataclass(frozen=True)
class Shelf:
    categories: dict[str, Category]
    articles: tuple[Article, ...]
    category_of: dict[str, str]  # article path -> category key
    declared_related: dict[str, tuple[str, ...]]  # article path -> related paths, as declared

    def category(self, path: str) -> Category:
        return self.categories[self.category_of[path]]

    def in_category(self, key: str) -> list[Article]:
        return [a for a in self.articles if self.category_of[a.path] == key]

    def breadcrumbs(self, path: str) -> list[dict[str, str]]:
        """Help center > Category > Article; the last crumb is the page itself (no link)."""
        if path in self.category_of:
            category = self.category(path)
            title = next(a.title for a in self.articles if a.path == path)
            return _crumbs([HOME_CRUMB, (category.title, category.path), (title, "")])
        category = next(c for c in self.categories.values() if c.path == path)
        return _crumbs([HOME_CRUMB, (category.title, "")])

    def related(self, path: str) -> list[Article]:
        """The declared related articles first, then the rest of its category; never itself."""
        by_path = {a.path: a for a in self.articles}
        siblings = [a.path for a in self.in_category(self.category_of[path])]
        chosen: list[str] = []
        for candidate in [*self.declared_related[path], *siblings]:
            if candidate != path and candidate not in chosen:
                chosen.append(candidate)
        return [by_path[p] for p in chosen[:RELATED_LIMIT]]


def _crumbs(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"title": title, "href": href} for title, href in pairs]


def shelve(articles: list[Article], templates: Path, categories: dict[str, Category]) -> Shelf:
    paths = {a.path for a in articles}
    category_of, related = {}, {}
    for article in articles:
        source = templates / article.template
        facts = article_facts.read_front_matter(source)
        name = article_facts.front_matter_path(source).name
        if facts.category not in categories:
            known = ", ".join(categories)
            raise ValueError(f"{name}: `category` must be one of {known}, not {facts.category!r}")
        for other in facts.related:
            if other not in paths or other == article.path:
                raise ValueError(f"{name}: `related` lists {other!r}, which is not another article")
        category_of[article.path] = facts.category
        related[article.path] = facts.related
    return Shelf(categories, tuple(articles), category_of, related)
