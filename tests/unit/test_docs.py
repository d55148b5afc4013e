"""The README stays a short front door, and what it and docs/ point to exists: mkdocs --strict
checks the links between docs pages, not the README's, nor the tests the pages name."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from markdown.extensions.toc import slugify  # type: ignore[import-untyped]  # no stubs; mkdocs installs it

from partnerapp_infra.local.demo import DEMO_LOGIN
from partnerapp_infra.paths import REPO_ROOT
from partnerapp_infra.site.builder import ARTICLES

README = REPO_ROOT / "README.md"
DOCS = REPO_ROOT / "docs"
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
# A test named by its path (`tests/site/test_x.py::test_y`) or, in a table of one folder's
# tests, by its file alone (`test_x.py::test_y`, `test_licenses*.py`).
NAMED_BY_PATH = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?")
NAMED_BY_FILE = re.compile(r"`(test_[\w*]+\.py)(?:::(\w+))?`")
FIRST_SCREEN = 40  # lines: what a terminal or GitHub shows before any scrolling


def markdown_files() -> list[Path]:
    return [README, *sorted(DOCS.rglob("*.md"))]


def relative_links(page: Path) -> list[str]:
    text = FENCE.sub("", page.read_text())
    return [t for t in LINK.findall(text) if not re.match(r"[a-z]+:", t) and not t.startswith("#")]


@cache
def anchors(page: Path) -> set[str]:
    """The ids mkdocs gives the page's headings (the toc extension's slugs)."""
    text = FENCE.sub("", page.read_text())
    return {slugify(re.sub(r"[`*]", "", h), "-") for h in HEADING.findall(text)}


@cache
def functions_in(path: Path) -> set[str]:
    return {n.name for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.FunctionDef)}


def test_the_readme_is_at_most_200_lines() -> None:
    assert len(README.read_text().splitlines()) <= 200


def test_every_relative_link_points_to_a_file_that_exists() -> None:
    checked = 0
    for page in markdown_files():
        for target in relative_links(page):
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve()
            where = f"{page.relative_to(REPO_ROOT)} links to {target}"
            assert linked.is_file(), f"{where}: no such file"
            assert not anchor or anchor in anchors(linked), f"{where}: no such heading"
            checked += 1
    assert checked >= 20  # the README alone links to every page


def test_every_docs_page_is_reached_from_the_readme() -> None:
    linked = {(README.parent / t.partition("#")[0]).resolve() for t in relative_links(README)}
    pages = {p.resolve() for p in DOCS.rglob("*.md")}
    assert pages <= linked, sorted(str(p.relative_to(DOCS)) for p in pages - linked)


def test_the_first_screen_says_how_to_start_sign_in_create_a_license_and_find_the_docs() -> None:
    screen = "\n".join(README.read_text().splitlines()[:FIRST_SCREEN])
    guide = next(page.path for page in ARTICLES if page.path.startswith("/guides/setting-up-licenses"))
    for fact in (
        "make serve",
        "make test",
        f"http://127.0.0.1:8000{guide}",
        "http://127.0.0.1:8000/sign-in.html",
        DEMO_LOGIN,
        "http://127.0.0.1:8000/_dev/outbox",
        "API token",
        "Create a license",
        "/v2/partners/solutions/licenses?product=",
        "(docs/index.md)",
        "(docs/getting-started.md)",
    ):
        assert fact in screen, fact


def test_every_test_the_docs_name_exists() -> None:
    named = 0
    for page in markdown_files():
        text = page.read_text()
        for file, name in NAMED_BY_PATH.findall(text):
            path = REPO_ROOT / file
            assert path.is_file(), f"{page.name}: {file}"
            assert not name or name in functions_in(path), f"{page.name}: {file}::{name}"
            named += 1
        for file, name in NAMED_BY_FILE.findall(text):
            paths = sorted((REPO_ROOT / "tests").rglob(file))
            assert paths, f"{page.name}: {file}"
            assert not name or any(name in functions_in(p) for p in paths), f"{page.name}: {file}::{name}"
            named += 1
    assert named >= 50
