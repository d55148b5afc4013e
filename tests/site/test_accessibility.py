"""An axe-core audit of the setup guide and the license pages in Chromium: reported as a score, failing on any
WCAG 2 level A or AA violation. axe-core comes from npm (`make test` installs it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from partnerapp_infra.paths import REPO_ROOT
from tests.conftest import SCORE_PREFIX
from tests.site.conftest import GUIDE, SiteServer, choose, create_in_browser, next_step, sign_in

pytestmark = pytest.mark.devserver

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture
def audited_page(chromium: Any, site_server: SiteServer) -> Iterator[Any]:
    assert AXE.exists(), "axe-core is missing: `make test` installs it with npm"
    # Only the audit's context bypasses the CSP: axe is injected as a script the page never has.
    context = chromium.new_context(base_url=site_server.base, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def audit(page: Any, name: str, record_property: Any) -> None:
    if page.evaluate("typeof window.axe === 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_A_AA,
    )
    violations, passes = result["violations"], result["passes"]
    score = round(100 * len(passes) / max(len(passes) + len(violations), 1))
    summary = f"{score}/100 ({len(passes)} WCAG A/AA rules pass, {len(violations)} violated)"
    record_property(f"{SCORE_PREFIX}axe-core {result['testEngine']['version']}, {name}", summary)
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
    ]
    assert violations == [], "\n".join(details)


def test_the_guide_has_no_wcag_a_or_aa_violations_signed_out(
    audited_page: Any, site_server: SiteServer, record_property: Any
) -> None:
    audited_page.goto(GUIDE)
    audited_page.locator("[data-session-signed-out-note]").wait_for(state="visible")
    audit(audited_page, "guide signed out", record_property)


def test_the_guide_and_its_wizard_have_no_wcag_a_or_aa_violations(
    audited_page: Any, site_server: SiteServer, record_property: Any
) -> None:
    page = audited_page
    sign_in(page, site_server, site_server.new_partner("Audited Agency"))
    page.locator("[data-wizard]").wait_for(state="visible")
    audit(page, "guide with the wizard", record_property)
    # And with errors on show, next to a field and in the summary
    choose(page, "LiveChat")
    next_step(page)
    choose(page, "I manage it (partner-managed)")
    next_step(page)
    page.get_by_label("Customer name").fill("Acme")
    next_step(page)
    page.locator("#client_name-error").wait_for(state="visible")
    audit(page, "guide with errors shown", record_property)


def test_the_license_pages_have_no_wcag_a_or_aa_violations(
    audited_page: Any, site_server: SiteServer, record_property: Any
) -> None:
    page = audited_page
    sign_in(page, site_server, site_server.new_partner("Audited Licenses Agency"))
    create_in_browser(page, site_server, "Audited Customer", "owner@audited.example")
    page.goto("/web/licenses")
    page.locator("[data-licenses]").wait_for()
    audit(page, "your licenses", record_property)
    page.get_by_role("link", name="Audited Customer").click()
    page.locator("[data-license-facts]").wait_for()
    audit(page, "a license", record_property)
    # And with an error on show, next to its field and in the summary
    page.get_by_role("button", name="Transfer to the customer").click()
    page.locator("#confirm-error").wait_for(state="visible")
    audit(page, "a license with an error shown", record_property)
    # And the list with a filter error
    page.goto("/web/licenses?status=nonsense")
    page.locator("#status-error").wait_for(state="visible")
    audit(page, "your licenses with an error shown", record_property)


def test_article_feedback_has_no_wcag_a_or_aa_violations_in_any_state(
    audited_page: Any, site_server: SiteServer, record_property: Any, unused_feedback_budget: None
) -> None:
    page = audited_page
    page.goto("/guides/payment-types.html")
    feedback = page.get_by_role("region", name="Was this article helpful?")
    feedback.get_by_role("button", name="Yes").wait_for()
    audit(page, "an article with its feedback question", record_property)
    # After a no: the thank-you and the optional question, then an error next to it
    feedback.get_by_role("button", name="No").click()
    feedback.get_by_label("What were you looking for? (optional)").fill("<b>bold</b>")
    feedback.get_by_role("button", name="Send").click()
    page.locator("#feedback-comment-error").wait_for(state="visible")
    audit(page, "article feedback after a no, with an error shown", record_property)
    feedback.get_by_label("What were you looking for? (optional)").fill("The commission rates by plan.")
    feedback.get_by_role("button", name="Send").click()
    page.locator("#feedback-sent").wait_for(state="visible")
    audit(page, "article feedback sent", record_property)


def test_the_account_pages_have_no_wcag_a_or_aa_violations(
    audited_page: Any, site_server: SiteServer, record_property: Any
) -> None:
    page = audited_page
    sign_in(page, site_server, site_server.new_partner("Audited Account Agency"))
    page.goto("/web/tokens")
    page.locator("h1").wait_for()
    audit(page, "API tokens", record_property)
    # With a label error, then with a new token's secret on show and the token listed
    page.get_by_role("button", name="Create token").click()
    page.locator("#label-error").wait_for(state="visible")
    audit(page, "API tokens with an error shown", record_property)
    page.get_by_label("Label").fill("Audit")
    page.get_by_role("button", name="Create token").click()
    page.locator("[data-new-token]").wait_for()
    audit(page, "API tokens with a new token", record_property)
    page.get_by_role("row", name="Audit").get_by_role("link", name="Revoke").click()
    page.get_by_role("button", name="Revoke token").wait_for()
    audit(page, "revoke a token", record_property)
    page.goto("/web/profile")
    page.locator("h1").wait_for()
    audit(page, "profile", record_property)
    page.get_by_label("First name").fill("")
    page.get_by_label("Contact email").fill("nope")
    page.get_by_role("button", name="Save profile").click()
    page.locator("#contact_email-error").wait_for(state="visible")
    audit(page, "profile with errors shown", record_property)


def test_the_import_page_and_its_dry_run_have_no_wcag_a_or_aa_violations(
    audited_page: Any, site_server: SiteServer, record_property: Any
) -> None:
    page = audited_page
    sign_in(page, site_server, site_server.new_partner("Audited Import Agency"))
    page.goto("/web/licenses/import")
    page.locator("[data-upload-form]").wait_for()
    audit(page, "the import page", record_property)
    csv_text = (
        "product,client_name,client_email,payment_origin\n"
        "livechat,Audited Import Ltd,owner@import.example,partner\nlivechat,Bad,nope,partner\n"
    )
    page.get_by_label("CSV file (up to 200 rows)").set_input_files(
        {"name": "customers.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    page.locator("[data-import-checked]").wait_for()
    audit(page, "the import's dry run with errors", record_property)
    # And a file refused whole, with its problem on show
    page.get_by_label("CSV file (up to 200 rows)").set_input_files(
        {"name": "customers.csv", "mimeType": "text/csv", "buffer": b"livechat,Acme\n"}
    )
    page.get_by_role("button", name="Check the file").click()
    page.locator("[data-import-problem]").wait_for()
    audit(page, "the import with a problem shown", record_property)


def test_the_pages_after_a_mistake_have_no_wcag_a_or_aa_violations(
    audited_page: Any, site_server: SiteServer, record_property: Any
) -> None:
    page = audited_page
    page.goto("/web/tokens")
    page.get_by_role("main").get_by_role("link", name="Sign in").wait_for()
    audit(page, "a signed-in page asked for signed out", record_property)
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    page.get_by_label("Partner account email").wait_for()
    audit(page, "sign-in returning to a page", record_property)
    sign_in(page, site_server, site_server.new_partner("Audited Mistakes Agency"))
    page.goto("/web/tokens")
    page.get_by_label("Label").fill("CRM sync")
    page.get_by_role("button", name="Create token").click()
    page.locator("#new-token").wait_for()
    page.reload()
    page.locator("[data-notice]").wait_for()
    audit(page, "tokens reloaded after creating one", record_property)
    page.get_by_label("Label").fill("crm sync")
    page.get_by_role("button", name="Create token").click()
    page.locator("#label-error").wait_for()
    audit(page, "tokens with a label taken", record_property)
    page.goto("/web/profile")
    page.locator("#first_name-hint").wait_for()
    audit(page, "profile with optional names", record_property)
