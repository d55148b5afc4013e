"""The help center in Chromium: searching finds the article, and the home, category and
all-articles pages and an article with its breadcrumbs and related articles pass axe at 320
and 1280 CSS px, without scrolling sideways at 320 px (WCAG 1.4.10)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.site.conftest import SiteServer
from tests.site.test_accessibility import audit

pytestmark = pytest.mark.devserver

WIDTHS = [320, 1280]
PAGES = [
    "/index.html",
    "/categories/licenses.html",
    "/articles.html",
    "/guides/managing-licenses.html",
]


@pytest.fixture
def page(chromium: Any, site_server: SiteServer) -> Iterator[Any]:
    # Only axe's context bypasses the CSP: axe is injected as a script the page never has.
    context = chromium.new_context(base_url=site_server.base, bypass_csp=True)
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


def test_searching_trial_extension_finds_the_article_about_it(page: Any) -> None:
    page.goto("/index.html")
    page.get_by_label("Search the help center").fill("trial extension")
    results = page.locator("[data-search-results] a")
    results.first.wait_for()
    assert results.first.inner_text() == "Managing a license after you create it: Trial extension"
    assert "results for \u201ctrial extension\u201d" in page.locator("#search-status").inner_text()
    results.first.click()
    page.wait_for_url("**/guides/managing-licenses.html#trial-extension")
    assert page.locator("#trial-extension").is_visible()


def test_a_word_begun_is_found_as_it_is_typed(page: Any) -> None:
    page.goto("/index.html")
    page.get_by_label("Search the help center").press_sequentially("trial exten")
    page.get_by_role("status").filter(has_text="\u201ctrial exten\u201d").wait_for()
    first = page.locator("[data-search-results] a").first
    assert first.inner_text() == "Managing a license after you create it: Trial extension"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_the_help_center_pages_pass_axe_and_reflow(
    page: Any, path: str, width: int, record_property: Any
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path)
    if path == "/index.html":  # with results shown, as a reader sees it
        page.get_by_label("Search the help center").fill("trial extension")
        page.locator("[data-search-results] a").first.wait_for()
    audit(page, f"help center {path} at {width} px", record_property)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} scrolls {overflow} px sideways at {width} px"
