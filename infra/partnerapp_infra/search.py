"""The home page's search index: each article's sections as plain text, built from the
rendered pages so what is searched is exactly what is shown."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

SECTION_TEXT_LIMIT = 400  # characters of each section kept: enough to match and to preview
_SKIPPED = {"script", "style", "form", "pre"}  # code and the form are not prose


class _Sections(HTMLParser):
    """Collects the text of <main>, split at every h2/h3 that has an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[dict[str, str]] = [{"anchor": "", "heading": "", "text": ""}]
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
            self._heading = {"anchor": values["id"] or "", "heading": "", "text": ""}
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


def index(articles: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """`[(path, title, html)]` -> `[{"url", "title", "section", "text"}]`, one entry per section."""
    entries: list[dict[str, Any]] = []
    for path, title, html in articles:
        parser = _Sections()
        parser.feed(html)
        for section in parser.sections:
            text = _clean(section["text"])[:SECTION_TEXT_LIMIT]
            if not text and not section["heading"]:
                continue
            url = f"{path}#{section['anchor']}" if section["anchor"] else path
            entries.append({"url": url, "title": title, "section": _clean(section["heading"]), "text": text})
    return entries
