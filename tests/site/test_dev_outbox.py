"""The dev server's outbox page (/_dev/outbox): a developer opens the links of an email's text
part from it, as from a mail client; what the email says is shown, never run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from partnerapp_infra.local import outbox
from tests.site.conftest import SiteServer, sign_in

EMAIL = {
    "to": ["someone@customer.example"],
    "subject": "Links <b>and</b> more",
    "sent_at": "2026-01-05 09:30:00",
    "headers": {"From": "Partner <noreply@partner.example>"},
    "html": "",
}


@pytest.fixture
def page(chromium: Any, site_server: SiteServer) -> Iterator[Any]:
    context = chromium.new_context(base_url=site_server.base)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.mark.devserver
def test_a_developer_opens_the_sign_in_link_from_the_outbox(page: Any, site_server: SiteServer) -> None:
    login = site_server.new_partner("Outbox Link Agency")
    sign_in(page, site_server, login)
    page.get_by_role("button", name="Sign out").click()
    page.goto("/sign-in.html")
    page.get_by_label("Partner account email").fill(login)
    page.get_by_role("button", name="Email me a sign-in link").click()
    site_server.wait_for_emails(login, 2)
    page.goto("/_dev/outbox")
    text_part = page.locator("article", has_text=login).first.locator("pre")
    link = text_part.get_by_role("link", name="/web/sign-in/confirm?token=")
    link.click()
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator("[data-session-name]").first).to_have_text("Outbox Link Agency", use_inner_text=True)


def test_only_web_addresses_become_links_and_the_text_stays_escaped() -> None:
    text = (
        "Open https://help.partner.example/web/x?a=1&b=2. Or (http://127.0.0.1:8000/web/y).\n"
        "Not javascript:alert(1) nor ftp://files.example/z <script>alert(1)</script>\n"
        'http://bad.example/"onmouseover="alert(1)'
    )
    page = outbox.page([{**EMAIL, "text": text}])
    assert (
        'Open <a href="https://help.partner.example/web/x?a=1&amp;b=2">'
        "https://help.partner.example/web/x?a=1&amp;b=2</a>. Or "
        '(<a href="http://127.0.0.1:8000/web/y">http://127.0.0.1:8000/web/y</a>).'
    ) in page
    assert "Not javascript:alert(1) nor ftp://files.example/z &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<a href="http://bad.example/">http://bad.example/</a>&quot;onmouseover=&quot;alert(1)' in page
    assert page.count("<a ") == 3 and "<script>" not in page
    assert "<h2>Links &lt;b&gt;and&lt;/b&gt; more</h2>" in page
