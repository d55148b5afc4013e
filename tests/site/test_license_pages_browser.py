"""The license pages in a real browser (Debian's Chromium through Playwright) against the dev
server: from "Your licenses" to one license, whose trial the partner extends."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from partnerapp.domain.timestamps import from_wire, to_wire
from tests.site.conftest import SiteServer, create_in_browser, sign_in

pytestmark = pytest.mark.devserver


@pytest.fixture(params=[True, False], ids=["with script", "without script"])
def license_browser(request: Any, chromium: Any, site_server: SiteServer) -> Iterator[Any]:
    context = chromium.new_context(base_url=site_server.base, java_script_enabled=request.param)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page, request.param
    context.close()


def test_a_partner_goes_from_the_list_to_a_license_and_extends_its_trial(
    license_browser: Any, site_server: SiteServer
) -> None:
    page, scripted = license_browser
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    # Given a signed-in partner with two licenses
    sign_in(page, site_server, site_server.new_partner("Listing Agency"))
    create_in_browser(page, site_server, "Initech Limited", "owner@initech.example")
    create_in_browser(page, site_server, "Vandelay Industries", "owner@vandelay.example")
    # When they open "Your licenses" from the header (the static pages show the signed-in links
    # by script; without it, the pages the server renders do)
    if not scripted:
        page.goto("/web/earnings")
    page.get_by_role("link", name="Your licenses").click()
    page.wait_for_url("**/web/licenses")
    table = page.locator("[data-licenses]")
    expect(table.get_by_role("row")).to_have_count(3)  # the header and two licenses
    expect(page.locator("[data-trials]")).to_contain_text("2")
    # And open one of them
    table.get_by_role("link", name="Initech Limited").click()
    page.wait_for_url(re.compile(r"/web/licenses/livechat/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == "LiveChat license for Initech Limited"
    ends = from_wire(page.locator("[data-trial-ends]").inner_text().removesuffix(" UTC"))
    # And extend its trial by 10 days
    page.get_by_label("Extend the trial by (days)").fill("10")
    page.get_by_role("button", name="Extend the trial").click()
    # Then the page says so, shows the new trial end and the history entry
    page.wait_for_url(re.compile(r"\?done=trial_extended$"))
    new_end = to_wire(ends + timedelta(days=10))
    expect(page.locator("[data-notice]")).to_have_text(f"Trial extended: it now ends {new_end} UTC.")
    expect(page.locator("[data-trial-ends]")).to_have_text(f"{new_end} UTC")
    latest = page.locator("[data-history] tbody tr").first
    expect(latest).to_contain_text(f"Trial extended by 10 days: ends {new_end}")
    expect(latest).to_contain_text("You")
    # And the browser never asked another site for anything
    assert all(url.startswith(site_server.base) for url in requested)
