"""The CSV import in a real browser (Debian's Chromium through Playwright) against the dev
server, with and without script: from "Your licenses", upload, read the dry run, create, and
download the results."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.site.conftest import SiteServer, sign_in

pytestmark = pytest.mark.devserver


@pytest.fixture(params=[True, False], ids=["with script", "without script"])
def import_browser(request: Any, chromium: Any, site_server: SiteServer) -> Iterator[Any]:
    context = chromium.new_context(
        base_url=site_server.base, java_script_enabled=request.param, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page, request.param
    context.close()


def customers_file(tag: str) -> dict[str, Any]:
    text = (
        "product,client_name,client_email,payment_origin,data_center,operator_emails,operator_roles\n"
        f"livechat,Initech Limited,owner@{tag}.example,partner,fra,ann@{tag}.example,agent\n"
        f"chatbot,Vandelay Industries,art@{tag}.example,client,us,,\n"
        f"livechat,Bad,not-an-email,partner,,,\n"
    )
    return {"name": "customers.csv", "mimeType": "text/csv", "buffer": text.encode()}


def test_a_partner_imports_a_csv_file_from_the_licenses_page(
    import_browser: Any, site_server: SiteServer
) -> None:
    page, scripted = import_browser
    tag = uuid.uuid4().hex[:8]
    # Given a signed-in partner on "Your licenses"
    sign_in(page, site_server, site_server.new_partner("Importing Agency"))
    page.goto("/web/licenses")
    # When they follow the import link and upload a file
    page.get_by_role("link", name="Import licenses from a CSV file").click()
    page.wait_for_url("**/web/licenses/import")
    page.get_by_label("CSV file (up to 200 rows)").set_input_files(customers_file(tag))
    page.get_by_role("button", name="Check the file").click()
    # Then the dry run shows each row, the bad one with its column's error, and nothing is made
    expect(page.locator("[data-import-checked]")).to_contain_text(
        "2 would be created, 0 already exist, 1 refused"
    )
    rows = page.locator("[data-import-rows] tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Would be created")
    expect(rows.nth(2)).to_contain_text("Refused")
    expect(rows.nth(2)).to_contain_text("client_email: Not a valid email address.")
    assert site_server.wait_for_emails(f"owner@{tag}.example", 1, seconds=1) == []
    # When they create
    page.get_by_role("button", name="Create 2 licenses").click()
    # Then the rows are licenses, linked to their pages, and the people are invited
    expect(page.locator("[data-import-done]")).to_have_text(
        "Done: 2 created, 0 already existed, 1 not created."
    )
    expect(rows.nth(0)).to_contain_text("Created")
    assert len(site_server.wait_for_emails(f"owner@{tag}.example", 1)) == 1
    assert len(site_server.wait_for_emails(f"ann@{tag}.example", 1)) == 1
    assert len(site_server.wait_for_emails(f"art@{tag}.example", 1)) == 1
    # And the results download as CSV
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download the results as CSV").click()
    download = downloading.value
    assert download.suggested_filename == "import-results.csv"
    with open(download.path(), encoding="utf-8") as saved:
        results = list(csv.DictReader(io.StringIO(saved.read())))
    assert [r["status"] for r in results] == ["created", "created", "refused"]
    assert results[0]["license"].isdigit() and results[2]["error_field"] == "client_name;client_email"
    # And a created row's link opens its license
    rows.nth(0).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("LiveChat license for Initech Limited")
    assert scripted in (True, False)
