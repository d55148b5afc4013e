"""The help center in a real browser (Debian's Chromium through Playwright) against the dev
server: sign in by email link, create licenses with the wizard, with and without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.site.conftest import GUIDE, SiteServer, choose, next_step, sign_in

pytestmark = pytest.mark.devserver


@pytest.fixture
def browser_page(chromium: Any, site_server: SiteServer) -> Iterator[Any]:
    context = chromium.new_context(base_url=site_server.base)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def no_script_page(chromium: Any, site_server: SiteServer) -> Iterator[Any]:
    context = chromium.new_context(base_url=site_server.base, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_partner_signs_in_and_creates_a_partner_managed_livechat_license(
    browser_page: Any, site_server: SiteServer
) -> None:
    page = browser_page
    requested: list[str] = []
    posted: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("request", lambda request: request.method == "POST" and posted.append(urlsplit(request.url).path))
    login = site_server.new_partner("Wizard Agency")
    # Given a signed-in partner on the guide
    sign_in(page, site_server, login)
    # (the page's script asks who is signed in after the page loads: expect waits for it)
    expect(page.locator("[data-session-name]").first).to_have_text("Wizard Agency")
    expect(page.locator("[data-wizard]")).to_be_visible()
    # When they follow the wizard: LiveChat, partner-managed, the customer, two invited users
    choose(page, "LiveChat")
    next_step(page)
    choose(page, "I manage it (partner-managed)")
    next_step(page)
    page.get_by_label("Customer name").fill("Initech Limited")
    page.get_by_label("Customer email").fill("owner@initech.example")
    choose(page, "EU")
    next_step(page)
    expect(page.get_by_role("group", name=re.compile("Invite users"))).to_be_visible()
    page.locator("#operators-0-email").fill("peter@initech.example")
    page.get_by_role("button", name="Add another user").click()
    page.locator("#operators-1-email").fill("samir@initech.example")
    page.locator("#operators-1-role").select_option("administrator")
    next_step(page)
    review = page.locator("[data-review]")
    assert "peter@initech.example (agent), samir@initech.example (administrator)" in review.inner_text()
    # And create it impatiently: two submissions of the form before the first is answered
    # (a double click, which Chromium may deliver to the form once, so both are sent from
    # the page in one go: the second must not send a second create)
    page.locator("#create-license form").evaluate("form => { form.requestSubmit(); form.requestSubmit(); }")
    # Then the license's page says it was created and shows both invitations
    page.wait_for_url(re.compile(r"/web/licenses/livechat/\d+\?done=created$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("LiveChat license for")
    expect(page.locator("[data-notice]")).to_contain_text("License created.")
    body = page.locator("main").inner_text()
    for text in (
        "Initech Limited",
        "peter@initech.example",
        "samir@initech.example",
        "EU",
        "What happens next",
    ):
        assert text in body
    # And the customer and both users find their invitations in the outbox, once each
    for address in ("owner@initech.example", "peter@initech.example", "samir@initech.example"):
        assert len(site_server.wait_for_emails(address, 1)) == 1, address
    # And the two submissions sent one create: both came before the page moved on, so a
    # second would be among the requests by now (a second create would be refused as a
    # duplicate anyway, which is why the emails alone could not tell)
    assert posted.count("/web/licenses") == 1, posted
    # And the browser never asked any other site for anything
    assert {urlsplit(url).netloc for url in requested} == {urlsplit(site_server.base).netloc}


def test_the_same_flow_works_without_javascript(no_script_page: Any, site_server: SiteServer) -> None:
    page = no_script_page
    login = site_server.new_partner("Plain Agency")
    sign_in(page, site_server, login)
    # Every step shows at once, as one plain form
    choose(page, "LiveChat")
    choose(page, "I manage it (partner-managed)")
    page.get_by_label("Customer name").fill("Umbrella Company")
    page.get_by_label("Customer email").fill("owner@umbrella.example")
    page.locator("#operators-0-email").fill("alice@umbrella.example")
    page.locator("#operators-2-email").fill("carlos@umbrella.example")
    page.locator("#operators-2-role").select_option("administrator")
    page.get_by_role("button", name="Create a license").click()
    page.wait_for_url(re.compile(r"/web/licenses/livechat/\d+\?done=created$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("LiveChat license for")
    expect(page.locator("[data-notice]")).to_contain_text("License created.")
    assert "carlos@umbrella.example" in page.locator("main").inner_text()
    for address in ("owner@umbrella.example", "alice@umbrella.example", "carlos@umbrella.example"):
        assert site_server.wait_for_emails(address, 1), address
    # When the same customer is submitted again, the server's error sits next to the field
    page.goto(GUIDE)
    choose(page, "LiveChat")
    choose(page, "I manage it (partner-managed)")
    page.get_by_label("Customer name").fill("Umbrella Company")
    page.get_by_label("Customer email").fill("owner@umbrella.example")
    page.get_by_role("button", name="Create a license").click()
    error = page.locator("#client_email-error")
    assert "You already have a LiveChat license for this customer email" in error.inner_text()
    assert page.get_by_label("Customer email").input_value() == "owner@umbrella.example"
    assert page.get_by_label("Customer email").get_attribute("aria-invalid") == "true"
    assert page.locator("#error-summary").is_visible()
    # And it links the license the customer already has
    error.get_by_role("link", name="Open the existing license").click()
    page.wait_for_url(re.compile(r"/web/licenses/livechat/\d+$"))
    assert "owner@umbrella.example" in page.locator("main").inner_text()


def test_a_validation_error_is_shown_next_to_its_field(browser_page: Any, site_server: SiteServer) -> None:
    page = browser_page
    sign_in(page, site_server, site_server.new_partner("Careful Agency"))
    choose(page, "LiveChat")
    next_step(page)
    choose(page, "The customer manages it (customer-managed)")
    next_step(page)
    # When the customer name is too short
    page.get_by_label("Customer name").fill("Acme")
    page.get_by_label("Customer email").fill("owner@acme-short.example")
    next_step(page)
    # Then the step stays, the error is next to the field and the summary links to it
    field_error = page.locator("#client_name-error")
    assert field_error.is_visible() and "Use at least 5 characters." in field_error.inner_text()
    assert page.get_by_label("Customer name").get_attribute("aria-invalid") == "true"
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary.get_by_role("link", name=re.compile("Customer name")).click()
    assert page.evaluate("document.activeElement.id") == "client_name"
    # And once fixed, the wizard moves on
    page.get_by_label("Customer name").fill("Acme Longer Name")
    next_step(page)
    assert not field_error.is_visible()
    assert page.get_by_role("button", name="Create a license").is_visible()


def test_chatbot_hides_the_invite_step(browser_page: Any, site_server: SiteServer) -> None:
    page = browser_page
    sign_in(page, site_server, site_server.new_partner("Bot Agency"))
    progress = page.locator("[data-wizard-progress]")
    expect(progress).to_contain_text("Invite users")
    choose(page, "ChatBot")
    next_step(page)
    choose(page, "I manage it (partner-managed)")
    expect(progress).not_to_contain_text("Invite users")
    next_step(page)
    page.get_by_label("Customer name").fill("Hooli Corporation")
    page.get_by_label("Customer email").fill("owner@hooli.example")
    next_step(page)
    # Straight from the basic information to Create: the invite step is skipped
    expect(page.get_by_role("button", name="Create a license")).to_be_visible()
    expect(page.locator("#operators")).to_be_hidden()
    assert page.locator("#operators-0-email").is_disabled()
    page.get_by_role("button", name="Create a license").click()
    page.wait_for_url(re.compile(r"/web/licenses/chatbot/\d+\?done=created$"))
    assert "Hooli Corporation" in page.locator("main").inner_text()


def test_the_wizard_works_with_the_keyboard_alone(browser_page: Any, site_server: SiteServer) -> None:
    page = browser_page
    sign_in(page, site_server, site_server.new_partner("Keyboard Agency"))
    page.focus("#product")
    page.keyboard.press("ArrowDown")  # moves to, and selects, ChatBot
    assert page.is_checked("#product-chatbot")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Next"
    # Focus is visible where it is
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first choice: partner-managed
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Back"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("Pied Piper Inc")
    page.keyboard.press("Tab")
    page.keyboard.type("owner@piedpiper.example")
    page.keyboard.press("Enter")  # Enter in a field moves on, like Next
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Create a license"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/web/licenses/chatbot/\d+\?done=created$"))


def test_signed_out_the_guide_asks_to_sign_in_first(browser_page: Any, site_server: SiteServer) -> None:
    page = browser_page
    page.goto(GUIDE)
    note = page.locator("[data-session-signed-out-note]")
    note.wait_for(state="visible")
    assert "sign in with your partner email" in note.inner_text()
    page.locator("[data-wizard]").wait_for(state="hidden")


def test_static_pages_and_the_api_carry_security_headers(site_server: SiteServer) -> None:
    from partnerapp.web.headers import PAGE_SECURITY_HEADERS

    for path in ("/", GUIDE, "/assets/js/license-form.js", "/openapi.json", "/no-such-page"):
        status, headers, _ = site_server.read(path)
        assert status == (404 if path == "/no-such-page" else 200), path
        for name, value in PAGE_SECURITY_HEADERS.items():
            assert headers.get(name) == value, (path, name)
    status, headers, _ = site_server.read("/v2/partners/status")
    assert status == 200 and headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Content-Type"].startswith("application/json")
