"""What a person meets after a mistake, in a real browser (issue 25, items 2 to 6), with and
without JavaScript: the same words for the same error, a token page safe to reload, sign-in
returning to the page it was asked from, and a guide that does not tell a signed-in partner
to sign in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.site.conftest import GUIDE, SiteServer, choose, next_step, sign_in

pytestmark = pytest.mark.devserver
FULL_LINK = re.compile(r"https?://\S+/web/sign-in/confirm\?token=[\w-]+(?:&(?:amp;)?next=[^\s\"<>]+)?")


def _page(chromium: Any, site_server: SiteServer, scripted: bool) -> Iterator[Any]:
    context = chromium.new_context(base_url=site_server.base, java_script_enabled=scripted)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def scripted(chromium: Any, site_server: SiteServer) -> Iterator[Any]:
    yield from _page(chromium, site_server, True)


@pytest.fixture
def plain(chromium: Any, site_server: SiteServer) -> Iterator[Any]:
    yield from _page(chromium, site_server, False)


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def either(request: pytest.FixtureRequest, chromium: Any, site_server: SiteServer) -> Iterator[Any]:
    yield from _page(chromium, site_server, request.param)


def test_the_same_error_reads_the_same_with_and_without_javascript(
    scripted: Any, plain: Any, site_server: SiteServer
) -> None:
    # With the script: the wizard checks the step before moving on
    sign_in(scripted, site_server, site_server.new_partner("Scripted Agency"))
    choose(scripted, "LiveChat")
    next_step(scripted)
    choose(scripted, "The customer manages it (customer-managed)")
    next_step(scripted)
    scripted.get_by_label("Customer name").fill("  Acme  ")  # four characters once trimmed
    scripted.get_by_label("Customer email").fill("owner@acme-js.example")
    next_step(scripted)
    with_script = scripted.locator("#client_name-error")
    expect(with_script).to_be_visible()
    # Without it: the browser posts (eight characters pass its own check), the server answers
    sign_in(plain, site_server, site_server.new_partner("Plain Agency"))
    choose(plain, "LiveChat")
    choose(plain, "The customer manages it (customer-managed)")
    plain.get_by_label("Customer name").fill("  Acme  ")
    plain.get_by_label("Customer email").fill("owner@acme-plain.example")
    plain.get_by_role("button", name="Create a license").click()
    without_script = plain.locator("#client_name-error")
    expect(without_script).to_be_visible()
    assert with_script.inner_text() == without_script.inner_text()
    assert "Use at least 5 characters." in without_script.inner_text()


def test_a_token_page_is_safe_to_reload_and_a_taken_label_is_shown_at_its_field(
    either: Any, site_server: SiteServer
) -> None:
    page = either
    sign_in(page, site_server, site_server.new_partner("Reload Agency"))
    page.goto("/web/tokens")
    page.get_by_label("Label").fill("CRM sync")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token").input_value()
    assert secret.startswith("pat_")
    # A reload: no error, no second token, and the secret is not shown again
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.locator("[data-notice]")).to_contain_text("Its secret is shown only once")
    assert page.locator("#new-token").count() == 0 and secret not in page.content()
    expect(page.get_by_role("row", name=re.compile("CRM sync"))).to_have_count(1)
    # The same label in another case: the form again, the message at the field
    page.get_by_label("Label").fill("crm SYNC")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#label-error")).to_contain_text("You already have a token labelled “crm SYNC”")
    expect(page.get_by_label("Label")).to_have_value("crm SYNC")
    expect(page.get_by_role("row", name=re.compile("CRM sync", re.I))).to_have_count(1)


def test_signing_in_from_a_page_returns_to_it(either: Any, site_server: SiteServer) -> None:
    page = either
    login = site_server.new_partner("Returning Agency")
    page.goto("/web/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to see your profile")
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    page.get_by_label("Partner account email").fill(login)
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.wait_for_url("**/sign-in-sent.html")
    [message] = site_server.wait_for_emails(login, 1)[-1:]
    [link] = FULL_LINK.findall(message["text"])
    assert "next=%2Fweb%2Fprofile" in link
    page.goto(link)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/web/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")


def test_without_javascript_the_guide_does_not_tell_a_signed_in_partner_to_sign_in(
    plain: Any, site_server: SiteServer
) -> None:
    sign_in(plain, site_server, site_server.new_partner("Signed Agency"))
    plain.goto(GUIDE)
    note = plain.locator("[data-session-signed-out-note]")
    expect(note).to_contain_text("Already signed in? Fill in the form below.")
    # Its link signs in and comes back to the form, should the partner not be signed in
    href = note.get_by_role("link").get_attribute("href")
    assert href == "/web/sign-in?next=/guides/setting-up-licenses.html%23create-license"
