"""An article's facts: its reading time, counted from its text when the site is built, and
when it was last updated, from the front matter kept beside its template
(`guides/payment-types.html.j2` -> `guides/payment-types.toml`):

    updated = 2026-12-01          # shown as "Updated December 1, 2026"
    text_sha256 = "<hex>"         # the SHA-256 of the article's text as built

The stored hash ties the date to the text: when the text changes and the front matter does
not, `tests/site/test_article_facts.py` fails. After changing an article, run
`python -m partnerapp_infra.site.article_stamp` (today's date, the new hash) and commit it.

This module knows nothing of the site builder: the builder imports it, never the other way
(the stamp command, which needs both, is `article_stamp`).
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

WORDS_PER_MINUTE = 200
# Not prose: code, the form's controls and data, and what the builder adds around the text.
_SKIPPED_TAGS = {"script", "style", "form", "template"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _ArticleText(HTMLParser):
    """The text of the page's <article>, without skipped tags and `data-not-prose` parts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._open: list[bool] = []  # one entry per open element: does it skip its content?
        self._in_article = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if tag == "article":
            self._in_article += 1
        self._open.append(tag in _SKIPPED_TAGS or any(name == "data-not-prose" for name, _ in attrs))
        self._open[-1] = self._open[-1] or (len(self._open) > 1 and self._open[-2])

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not self._open:
            return
        self._open.pop()
        if tag == "article":
            self._in_article -= 1

    def handle_data(self, data: str) -> None:
        if self._in_article and not (self._open and self._open[-1]):
            self.parts.append(data)


def article_text(html: str) -> str:
    parser = _ArticleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def reading_minutes(text: str) -> int:
    return max(1, math.ceil(len(re.findall(r"\w+", text)) / WORDS_PER_MINUTE))


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class FrontMatter:
    updated: date
    text_sha256: str
    category: str = ""  # a key of templates/categories.toml
    related: tuple[str, ...] = ()  # paths of other articles to suggest at the end of this one


def front_matter_path(template_file: Path) -> Path:
    return template_file.with_name(template_file.name.removesuffix(".html.j2") + ".toml")


def read_front_matter(template_file: Path) -> FrontMatter:
    path = front_matter_path(template_file)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path.name} (the article's front matter) is missing beside {template_file.name}"
        )
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    updated = data.get("updated")
    if not isinstance(updated, date) or isinstance(updated, datetime):
        raise ValueError(f"{path.name}: `updated` must be a date, like 2026-12-01")
    category = data.get("category", "")
    if not isinstance(category, str):
        raise ValueError(f"{path.name}: `category` must be a string, a key of categories.toml")
    related = data.get("related", [])
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        raise ValueError(f"{path.name}: `related` must be a list of article paths")
    return FrontMatter(updated, str(data.get("text_sha256", "")), category, tuple(related))


_HEADER = (
    "# This article's facts (partnerapp_infra.site.article_facts): when its text last changed,\n"
    "# and the SHA-256 of that text as built. Restamp after changing the article:\n"
    "#   python -m partnerapp_infra.site.article_stamp\n"
)


def stamp(template_file: Path, updated: date, text_sha256: str) -> None:
    """Set `updated` and `text_sha256`, keeping every other line (category, related) as written."""
    path = front_matter_path(template_file)
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else _HEADER.splitlines()
    kept = [line for line in lines if not re.match(r"\s*(updated|text_sha256)\s*=", line)]
    header = [line for line in kept if line.startswith("#")]
    rest = [line for line in kept if not line.startswith("#")]
    stamped = [f"updated = {updated.isoformat()}", f'text_sha256 = "{text_sha256}"']
    path.write_text("\n".join([*header, *stamped, *rest]) + "\n", encoding="utf-8")


if __name__ == "__main__":
    # The stamp command moved so that this module need not import the site builder.
    print("run: python -m partnerapp_infra.site.article_stamp", file=sys.stderr)
    raise SystemExit(2)
