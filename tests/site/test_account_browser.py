"""The account pages in a real browser (Chromium through Playwright) against the dev server:
an API token made on the page works against the API until it is revoked there; the profile
saves and shows its errors by the fields; the local outbox shows an email's HTML part."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.site.conftest import SiteServer, sign_in

pytestmark = pytest.mark.devserver


@pytest.fixture
def page(chromium: Any, site_server: SiteServer) -> Iterator[Any]:
    context = chromium.new_context(base_url=site_server.base)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_server.base)
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


def call_api(server: SiteServer, token: str) -> tuple[int, dict[str, Any]]:
    """A script using the token, as a partner's would (urllib: no browser, no cookie)."""
    request = urllib.request.Request(
        server.base + "/v2/partners", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_token_made_on_the_tokens_page_works_until_revoked_there(
    page: Any, site_server: SiteServer
) -> None:
    login = site_server.new_partner("Token Agency")
    sign_in(page, site_server, login)
    # The header links to the tokens page
    page.get_by_role("banner").get_by_role("link", name="API tokens").click()
    page.wait_for_url("**/web/tokens")
    page.get_by_label("Label").fill("CRM sync")
    page.get_by_role("button", name="Create token").click()
    secret_field = page.get_by_label("Token", exact=True)
    expect(secret_field).to_have_value(lambda_value_starts_with("pat_"))
    secret = secret_field.input_value()
    # The copy button (shown with script) puts it on the clipboard
    page.get_by_role("button", name="Copy token").click()
    expect(page.locator("[data-copy-status]")).to_have_text("Copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == secret
    # A script uses it
    status, body = call_api(site_server, secret)
    assert (status, body["login"]) == (200, login)
    # It is listed, used today, and never shown again
    page.goto("/web/tokens")
    row = page.get_by_role("row", name="CRM sync")
    expect(row).to_contain_text("Revoke")
    assert secret not in page.content()
    # Revoking asks first, then the next call is refused
    row.get_by_role("link", name="Revoke").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke the token “CRM sync”?")
    page.get_by_role("button", name="Revoke token").click()
    expect(page.locator("[data-notice]")).to_contain_text("The token is revoked")
    assert call_api(site_server, secret)[0] == 401


def lambda_value_starts_with(prefix: str) -> Any:
    import re

    return re.compile(f"^{re.escape(prefix)}[\\w-]{{40,}}$")


def test_the_profile_page_saves_and_shows_errors_by_field(page: Any, site_server: SiteServer) -> None:
    sign_in(page, site_server, site_server.new_partner("Profile Agency"))
    page.get_by_role("banner").get_by_role("link", name="Profile", exact=True).click()
    page.wait_for_url("**/web/profile")
    # An opt-in saves alone while the names the account was made without are still empty
    expect(page.get_by_label("First name")).to_have_value("")
    page.get_by_label("Monthly summary").check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("[data-notice]")).to_have_text("Your profile is saved.")
    expect(page.get_by_label("Monthly summary")).to_be_checked()
    # Errors: a blank contact name and a bad address, each by its field and in the summary
    page.get_by_label("Contact name").fill("")
    page.get_by_label("Contact email").fill("not-an-address")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("#contact_name-error")).to_contain_text("Enter contact name.")
    expect(page.locator("#contact_email-error")).to_contain_text(
        "Enter a valid email address, like name@example.com."
    )
    expect(page.get_by_label("Contact email")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("Contact name")
    # Fixed and saved
    page.get_by_label("First name").fill("Joe")
    page.get_by_label("Last name").fill("Doe")
    page.get_by_label("Contact name").fill("Joe Doe")
    page.get_by_label("Contact email").fill("joe@profile.example")
    page.get_by_label("Weekly reseller summary").check()
    page.get_by_label("Monthly summary").uncheck()
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("[data-notice]")).to_have_text("Your profile is saved.")
    expect(page.get_by_label("First name")).to_have_value("Joe")
    expect(page.get_by_label("Weekly reseller summary")).to_be_checked()
    expect(page.get_by_label("Monthly summary")).not_to_be_checked()
    # A name once set cannot be emptied
    page.get_by_label("First name").fill("")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("#first_name-error")).to_contain_text("Enter first name.")


def test_the_local_outbox_shows_each_emails_html_part_and_headers(page: Any, site_server: SiteServer) -> None:
    login = site_server.new_partner("Outbox Agency")
    sign_in(page, site_server, login)  # emails a sign-in link
    page.goto("/_dev/outbox")
    entry = page.locator("article", has_text=login).first
    frame = entry.locator("iframe")
    expect(frame).to_have_attribute("sandbox", "")
    # The HTML part is rendered inside the sandboxed frame, beside the text part
    expect(page.frame_locator("article iframe").first.get_by_role("link").first).to_be_visible()
    expect(entry.locator("pre")).to_contain_text("/web/sign-in/confirm?token=")
    expect(entry.locator("dl.headers")).to_contain_text("From")


def test_the_earnings_form_is_styled_as_the_sites_other_forms(page: Any, site_server: SiteServer) -> None:
    sign_in(page, site_server, site_server.new_partner("Styled Agency"))
    page.goto("/web/profile")
    style = (
        "e => { const s = getComputedStyle(e); return [s.borderTopWidth, s.borderTopStyle, s.borderRadius]; }"
    )
    text_field = page.get_by_label("First name").evaluate(style)
    save = page.get_by_role("button", name="Save profile").evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    page.goto("/web/earnings")
    assert page.get_by_label("From").evaluate(style) == text_field
    assert page.get_by_label("To", exact=True).evaluate(style) == text_field
    assert (
        page.get_by_role("button", name="Show").evaluate("e => getComputedStyle(e).backgroundColor") == save
    )
