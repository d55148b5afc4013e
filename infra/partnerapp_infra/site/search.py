"""The help center's search: each article's sections (title, heading and the whole body text),
read from the rendered pages so what is searched is exactly what is shown, and a lunr index
of them built here at site-build time (lunr.py), which the home page's script loads with
lunr.js (the same version, kept in site/js/vendor/) and searches in the browser."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from lunr import lunr

PREVIEW_LIMIT = 160  # characters of a section shown under its result; the index has them all
# Code, the form and navigation (tables of contents, breadcrumbs) are not prose.
_SKIPPED = {"script", "style", "form", "pre", "nav"}
FIELD_BOOSTS = {"title": 10, "heading": 5, "text": 1}  # a word in a title counts most


class _Sections(HTMLParser):
    """Collects the text of <main>, split at every h2/h3 that has an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[dict[str, str]] = [{"anchor": "", "heading": "", "text": "", "level": ""}]
        self._in_main = False
        self._skip = 0
        self._heading: dict[str, str] | None = None
        # Inside a `data-not-prose` part (article facts, feedback): its tag and nesting depth.
        self._not_prose: tuple[str, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self._not_prose is not None:
            if tag == self._not_prose[0]:
                self._not_prose = (tag, self._not_prose[1] + 1)
            return
        if "data-not-prose" in values:
            self._not_prose = (tag, 1)
        elif tag == "main":
            self._in_main = True
        elif tag in _SKIPPED:
            self._skip += 1
        elif tag in ("h2", "h3") and values.get("id") and self._in_main and not self._skip:
            self._heading = {"anchor": values["id"] or "", "heading": "", "text": "", "level": tag}
            self.sections.append(self._heading)

    def handle_endtag(self, tag: str) -> None:
        if self._not_prose is not None:
            if tag == self._not_prose[0]:
                depth = self._not_prose[1] - 1
                self._not_prose = (tag, depth) if depth else None
            return
        if tag == "main":
            self._in_main = False
        elif tag in _SKIPPED and self._skip:
            self._skip -= 1
        elif tag in ("h2", "h3"):
            self._heading = None

    def handle_data(self, data: str) -> None:
        if not self._in_main or self._skip or self._not_prose is not None:
            return
        if self._heading is not None:
            self._heading["heading"] += data
        else:
            self.sections[-1]["text"] += data + " "


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def sections(path: str, html: str) -> list[dict[str, str]]:
    """The page's sections: `{"url", "heading", "level", "text"}`, the first one untitled."""
    parser = _Sections()
    parser.feed(html)
    found = []
    for section in parser.sections:
        text, heading = _clean(section["text"]), _clean(section["heading"])
        if text or heading:
            url = f"{path}#{section['anchor']}" if section["anchor"] else path
            found.append({"url": url, "heading": heading, "level": section["level"], "text": text})
    return found


def index(articles: list[tuple[str, str, str]]) -> dict[str, Any]:
    """`[(path, title, html)]` -> `{"index": <lunr index>, "documents": {url: {...}}}`: one
    document per section, searched by title, heading and all its text; shown by the documents."""
    documents = [
        {"url": s["url"], "title": title, "heading": s["heading"], "text": s["text"]}
        for path, title, html in articles
        for s in sections(path, html)
    ]
    fields = [{"field_name": name, "boost": boost} for name, boost in FIELD_BOOSTS.items()]
    built = lunr(ref="url", fields=fields, documents=documents)
    shown = {
        d["url"]: {"title": d["title"], "section": d["heading"], "text": d["text"][:PREVIEW_LIMIT]}
        for d in documents
    }
    return {"index": built.serialize(), "documents": shown}
