"""The Payouts page (payout details shown and saved through the API's schema, the balance's
figures) and the Leads page (the partner's own leads), through the handler as a browser
meets them: plain forms and links, no script needed."""

from __future__ import annotations

from tests.conftest import ApiClient, PartnerAccount, make_partner
from tests.site.conftest import WebClient

PAYOUT_FORM = {
    "type": "business",
    "company": "Agency One",
    "address": "Main Street 1",
    "city": "Springfield",
    "state": "",
    "zip_code": "12345",
    "country": "de",
    "paypal": "pay@agency.example",
    "vat": "",
}
LEAD = {
    "partner_name": "John Doe",
    "partner_email": "john@partner.example",
    "company_name": "ACME Inc.",
    "contact_email": "contact@acme.example",
    "domain": "www.acme.example",
    "first_name": "Jane",
    "last_name": "Smith",
    "accepts_requirements": True,
    "monetization_type": "flat_fee",
}


def test_payout_details_saved_on_the_page_are_the_apis(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    # Given no details yet: an empty form and the balance's four figures at $0.00
    page = signed_in.get("/web/payouts")
    assert page.status == 200
    for figure in ("available", "pending", "withdrawn", "total"):
        assert f'data-figure="{figure}">$0.00<' in page.text
    # When the form is posted: 303 back saying so, and the API reads the same details
    saved = signed_in.post_form("/web/payouts", PAYOUT_FORM)
    assert saved.status == 303 and saved.header("location") == "/web/payouts?done=saved"
    details = api.get("/v2/partners/billing", token=partner.token).json()
    assert (details["country"], details["paypal"], details["state"]) == ("DE", "pay@agency.example", "")
    again = signed_in.get("/web/payouts?done=saved")
    assert "Your payout details are saved." in again.text and 'value="Agency One"' in again.text


def test_bad_payout_details_are_named_by_field_and_nothing_changes(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    assert signed_in.post_form("/web/payouts", PAYOUT_FORM).status == 303
    wrong = {**PAYOUT_FORM, "country": "Neverland", "paypal": "nope", "city": " "}
    page = signed_in.post_form("/web/payouts", wrong)
    assert page.status == 400
    for name in ("country", "paypal", "city"):
        assert f'id="{name}-error"' in page.text, name
    assert 'value="Neverland"' in page.text  # what was typed is shown again
    assert api.get("/v2/partners/billing", token=partner.token).json()["country"] == "DE"


def test_the_pages_need_a_signed_in_partner(web: WebClient) -> None:
    for path in ("/web/payouts", "/web/leads"):
        assert web.get(path).status == 401, path
    assert web.post_form("/web/payouts", PAYOUT_FORM).status in (401, 403)


def test_the_leads_page_lists_the_partners_own_leads(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    assert "You have submitted no lead yet." in signed_in.get("/web/leads").text
    mine = api.post("/v2/partners/solutions/leads", token=partner.token, json_body=LEAD).json()["lead_id"]
    other = make_partner("other@partner.example", "Agency Two")
    theirs = api.post(
        "/v2/partners/solutions/leads", token=other.token, json_body={**LEAD, "company_name": "Other Co"}
    ).json()["lead_id"]
    page = signed_in.get("/web/leads")
    assert page.status == 200
    assert f'data-lead-id="{mine}"' in page.text and "ACME Inc." in page.text and ">new<" in page.text
    assert f'data-lead-id="{theirs}"' not in page.text and "Other Co" not in page.text
