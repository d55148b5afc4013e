"""The Payouts and Leads pages in Chromium against the dev server: the payout form saves with
JavaScript turned off, both pages pass axe (WCAG 2 A and AA), with and without errors shown,
and reflow at 320 CSS px (nothing scrolls sideways but a table's own scroller)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.site.conftest import SiteServer, sign_in
from tests.site.test_accessibility import AXE, audit

pytestmark = pytest.mark.devserver
WIDEST_OUTSIDE_TABLES = """() => {
  const inTable = el => el.closest('.table-scroll');
  return [...document.querySelectorAll('body *')].filter(el => !inTable(el))
    .map(el => el.getBoundingClientRect().right).reduce((a, b) => Math.max(a, b), 0);
}"""


@pytest.fixture
def signed_in_state(chromium: Any, site_server: SiteServer) -> Iterator[Any]:
    """A partner signed in the way a partner does it; its cookies, for other contexts."""
    context = chromium.new_context(base_url=site_server.base)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, site_server, site_server.new_partner("Payouts Agency"))
    yield context.storage_state()
    context.close()


def opened(chromium: Any, site_server: SiteServer, state: Any, **options: Any) -> Any:
    context = chromium.new_context(base_url=site_server.base, storage_state=state, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def fill_payouts(page: Any, country: str) -> None:
    page.get_by_label("A business").check()
    page.get_by_label("Company or full name").fill("Agency One")
    page.get_by_label("Address").fill("Main Street 1")
    page.get_by_label("City").fill("Springfield")
    page.get_by_label("Country code").fill(country)
    page.get_by_label("PayPal login").fill("pay@agency.example")
    page.get_by_role("button", name="Save payout details").click()


def test_the_payout_form_saves_without_javascript(
    chromium: Any, site_server: SiteServer, signed_in_state: Any
) -> None:
    page = opened(chromium, site_server, signed_in_state, java_script_enabled=False)
    page.goto("/web/payouts")
    fill_payouts(page, "ZZ")
    assert page.locator("#country-error").is_visible()
    page.get_by_label("Country code").fill("us")
    page.get_by_role("button", name="Save payout details").click()
    page.wait_for_url("**/web/payouts?done=saved")
    assert page.get_by_role("status").inner_text() == "Your payout details are saved."
    assert page.get_by_label("Country code").input_value() == "US"
    page.get_by_role("link", name="Your leads").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your leads"
    page.context.close()


def test_the_pages_pass_axe_and_reflow_at_320_px(
    chromium: Any, site_server: SiteServer, signed_in_state: Any, record_property: Any
) -> None:
    assert AXE.exists(), "axe-core is missing: `make test` installs it with npm"
    page = opened(
        chromium, site_server, signed_in_state, bypass_csp=True, viewport={"width": 320, "height": 640}
    )
    page.goto("/web/payouts")
    audit(page, "payouts", record_property)
    assert page.evaluate(WIDEST_OUTSIDE_TABLES) <= 320
    fill_payouts(page, "ZZ")
    page.locator("#country-error").wait_for(state="visible")
    audit(page, "payouts with an error shown", record_property)
    assert page.evaluate(WIDEST_OUTSIDE_TABLES) <= 320
    page.goto("/web/earnings")  # its balance table is the Payouts page's
    audit(page, "earnings with the balance", record_property)
    assert page.evaluate(WIDEST_OUTSIDE_TABLES) <= 320
    page.goto("/web/leads")
    audit(page, "leads", record_property)
    assert page.evaluate(WIDEST_OUTSIDE_TABLES) <= 320
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.context.close()
