"""The help center as a reader finds their way in it: breadcrumbs above each article, a page
per category, related articles at the end of each, every article and its sections on one
page, and a search over titles, headings and the whole body, built with the site."""

from __future__ import annotations

import json
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from lunr.index import Index

from partnerapp_infra import openapi
from partnerapp_infra.site import help_center
from partnerapp_infra.site.builder import ARTICLES, TEMPLATES, Page, shelf

SHELF = shelf()


class Landmarks(HTMLParser):
    """The links inside the breadcrumb and the related-articles navigation, and the h1."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.crumbs: list[tuple[str, str, bool]] = []  # (text, href, aria-current)
        self.related: list[str] = []
        self.h1 = ""
        self._in: str | None = None
        self._crumb: list[str] | None = None
        self._attrs: dict[str, str | None] = {}
        self._tag = ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self._tag = tag
        if tag == "nav" and values.get("aria-label") == "Breadcrumb":
            self._in = "crumbs"
        elif tag == "nav" and values.get("aria-labelledby") == "related-title":
            self._in = "related"
        elif tag == "li" and self._in == "crumbs":
            self._crumb, self._attrs = [], {}
        elif self._in == "crumbs" and self._crumb is not None and tag in ("a", "span"):
            self._attrs.update(values)
        elif self._in == "related" and tag == "a":
            self.related.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in = None
        elif tag == "li" and self._crumb is not None:
            text = " ".join("".join(self._crumb).split())
            self.crumbs.append((text, self._attrs.get("href") or "", "aria-current" in self._attrs))
            self._crumb = None

    def handle_data(self, data: str) -> None:
        if self._crumb is not None:
            self._crumb.append(data)
        elif self._tag == "h1" and not self.h1.strip():
            self.h1 = data.strip()


def _read(site: Path, path: str) -> str:
    return (site / path.lstrip("/")).read_text(encoding="utf-8")


@pytest.mark.parametrize("page", ARTICLES, ids=[p.path for p in ARTICLES])
def test_each_article_has_breadcrumbs_to_its_category(built_site: Path, page: Page) -> None:
    html = _read(built_site, page.path)
    category = SHELF.category(page.path)
    assert Landmarks(html).crumbs == [
        ("Help center", "/index.html", False),
        (category.title, category.path, False),
        (page.title, "", True),
    ]
    assert 'itemtype="https://schema.org/BreadcrumbList"' in html
    assert (built_site / category.path.lstrip("/")).is_file()
    # Above the article's title
    assert html.index('aria-label="Breadcrumb"') < html.index("<h1>")


@pytest.mark.parametrize("key", list(SHELF.categories))
def test_each_category_has_a_page_listing_its_articles(built_site: Path, key: str) -> None:
    category = SHELF.categories[key]
    html = _read(built_site, category.path)
    parsed = Landmarks(html)
    assert parsed.h1 == category.title
    assert parsed.crumbs == [("Help center", "/index.html", False), (category.title, "", True)]
    declared = {a.path for a in ARTICLES if _front_matter(a)["category"] == key}
    listing = html[html.index('<ul class="article-list">') :]
    listed = set(re.findall(r'<li>\s*<a href="([^"]+)"', listing[: listing.index("</ul>")]))
    assert declared and listed == declared
    assert f'href="{category.path}"' in _read(built_site, "/index.html")


def _front_matter(page: Page) -> dict[str, Any]:
    """The article's front matter as written beside its template."""
    name = Path(page.template).name.removesuffix(".html.j2") + ".toml"
    return tomllib.loads((TEMPLATES / page.template).with_name(name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", ARTICLES, ids=[p.path for p in ARTICLES])
def test_related_articles_end_each_article_and_never_name_it(built_site: Path, page: Page) -> None:
    html = _read(built_site, page.path)
    related = Landmarks(html).related
    assert related and page.path not in related
    assert set(related) <= {a.path for a in ARTICLES}
    declared = _front_matter(page)["related"]
    assert declared, "each article declares what to read next"
    assert related[: len(declared)] == declared
    assert html.index("</article>") < html.index('aria-labelledby="related-title"')


def test_undeclared_related_articles_come_from_the_same_category(tmp_path: Path) -> None:
    categories = {"c": help_center.Category("c", "C", "About C"), "d": help_center.Category("d", "D", "")}
    pages = [Page(f"/{n}.html", f"{n}.html.j2", n, "") for n in ("a", "b", "x")]
    for name, category in (("a", "c"), ("b", "c"), ("x", "d")):
        (tmp_path / f"{name}.toml").write_text(f'updated = 2026-12-01\ncategory = "{category}"\n')
    shelved = help_center.shelve(pages, tmp_path, categories)  # type: ignore[arg-type]
    assert [a.path for a in shelved.related("/a.html")] == ["/b.html"]
    assert shelved.related("/x.html") == []


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ('category = "nowhere"', "`category`"),
        ("", "`category`"),
        ('category = "c"\nrelated = ["/a.html"]', "`related`"),
        ('category = "c"\nrelated = ["/gone.html"]', "`related`"),
    ],
)
def test_a_bad_category_or_related_article_fails_the_build_naming_the_field(
    tmp_path: Path, lines: str, field: str
) -> None:
    (tmp_path / "a.toml").write_text(f"updated = 2026-12-01\n{lines}\n")
    categories = {"c": help_center.Category("c", "C", "")}
    with pytest.raises(ValueError, match=rf"a\.toml: {field}"):
        help_center.shelve([Page("/a.html", "a.html.j2", "A", "")], tmp_path, categories)  # type: ignore[list-item]


def test_every_article_and_its_sections_are_on_one_page(built_site: Path) -> None:
    html = _read(built_site, "/articles.html")
    for page in ARTICLES:
        assert f'<a href="{page.path}">{page.title}</a>' in html
    assert '<a href="/guides/managing-licenses.html#trial-extension">Trial extension</a>' in html
    assert "/articles.html" in _read(built_site, "/index.html")


def _search(site: Path, query: str) -> list[str]:
    data = json.loads(_read(site, "/search-index.json"))
    return [r["ref"] for r in Index.load(data["index"]).search(query)]


def test_searching_trial_extension_finds_the_article_about_extending_a_trial(built_site: Path) -> None:
    assert _search(built_site, "trial extension")[0] == "/guides/managing-licenses.html#trial-extension"


def test_the_search_covers_titles_headings_and_the_whole_body(built_site: Path) -> None:
    documents = json.loads(_read(built_site, "/search-index.json"))["documents"]
    # A title, a heading, and words far into a long section's body (beyond its preview)
    assert _search(built_site, "compared")[0].startswith("/guides/payment-types.html")
    assert _search(built_site, "handing")[0] == "/guides/managing-licenses.html#transfer"
    section = "/guides/managing-licenses.html#subscription"
    assert "close" not in documents[section]["text"].lower()
    assert section in _search(built_site, "+close +subscription")


def test_the_api_reference_stands_alone_with_its_compatibility_facts(built_site: Path) -> None:
    """The reference once sent readers to "the README's compatibility table"; the facts are
    on the page now: what the API follows, and each documented method not offered here."""
    html = _read(built_site, "/reference/api.html")
    assert "README" not in html and "README" not in _read(built_site, "/openapi.json")
    start = html.index('<h2 id="compatibility">')
    section = html[start : html.index("<h2", start + 1)]
    for method, path, name in openapi.not_offered():
        operation = openapi.not_offered_operation_id(method, path)
        assert f'href="#{operation}"' in section and name in section, name
    assert "501" in section and "not_supported" in section
