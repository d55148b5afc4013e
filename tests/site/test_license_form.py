"""The create-license form through the handlers: plain form posts (no JavaScript) and the
page script's JSON posts, acting as the signed-in partner."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PartnerAccount, run_sweep, sent_emails
from tests.site.conftest import WebClient

FORM = "/web/licenses"


def _form(**overrides: str) -> list[tuple[str, str]]:
    fields = {
        "product": "livechat",
        "payment_origin": "partner",
        "client_name": "Acme Corporation",
        "client_email": "owner@acme.example",
        "organization_name": "",
        "identifier": "crm-77",
        "purchase_order": "",
        "data_center": "eu-west3",
        "trial_duration": "21",
        "operators-0-email": "ann@acme.example",
        "operators-0-role": "administrator",
        "operators-1-email": "",
        "operators-1-role": "agent",
        "operators-2-email": "bob@acme.example",
        "operators-2-role": "agent",
        "website": "",
    }
    fields.update(overrides)
    return list(fields.items())


def _licenses(api_token: str) -> list[dict[str, object]]:
    from tests.conftest import ApiClient

    listed = ApiClient().get("/v2/partners/solutions/licenses", token=api_token)
    assert listed.status == 200, listed.body
    return listed.json()["result"]  # type: ignore[no-any-return]


def test_a_plain_form_post_creates_the_license_and_shows_it(
    signed_in: WebClient, partner: PartnerAccount
) -> None:
    # When the signed-in partner posts the form without JavaScript (one blank operator row)
    answer = signed_in.post_form(FORM, _form())
    # Then the browser is sent to the page of the new license, which says it was just created
    assert answer.status == 303
    location = answer.header("location") or ""
    match = re.fullmatch(r"/web/licenses/livechat/(\d+)\?done=created", location)
    assert match, location
    [stored] = _licenses(partner.token)
    assert stored["license"] == match[1]
    assert stored["client_email"] == "owner@acme.example" and stored["data_center"] == "eu-west3"
    assert stored["identifier"] == "crm-77" and stored["payment_origin"] == "partner"
    # And the page shows the license, its invitations and what happens next
    page = signed_in.get(location)
    assert page.status == 200
    assert f"<strong data-license-id>{match[1]}</strong>" in page.text
    assert "License created." in page.text
    for text in (
        "Acme Corporation",
        "ann@acme.example",
        "bob@acme.example",
        "administrator",
        "EU",
        "What happens next",
        "each of the 2 users you invited gets one too",
    ):
        assert text in page.text
    assert "20% discount on every invoice" in page.text
    # And the customer and both invited users get their invitations
    run_sweep()
    assert sorted(e["to"][0] for e in sent_emails() if "acme" in e["to"][0]) == [
        "ann@acme.example",
        "bob@acme.example",
        "owner@acme.example",
    ]


def test_errors_come_back_next_to_their_fields_with_the_entries_kept(
    signed_in: WebClient, partner: PartnerAccount
) -> None:
    answer = signed_in.post_form(
        FORM, _form(client_name="Acme", **{"operators-2-email": "not-an-email", "trial_duration": "99"})
    )
    assert answer.status == 400 and answer.header("content-type") == "text/html; charset=utf-8"
    page = answer.text
    # Each error sits next to its field and is linked from the summary
    assert '<a href="#client_name">Customer name: Use at least 5 characters.</a>' in page
    assert re.search(
        r'id="client_name-error">\s*<span class="visually-hidden">Error:</span> Use at least 5 characters.',
        page,
    )
    assert re.search(
        r'id="operators-2-email-error">\s*<span class="visually-hidden">Error:</span> Enter a valid', page
    )
    assert (
        '<a href="#operators-2-email">Invited user 3: Email: '
        "Enter a valid email address, like name@example.com.</a>" in page
    )
    assert '<a href="#trial_duration">' in page
    # And what was typed is still there
    assert 'value="Acme"' in page and 'value="not-an-email"' in page and 'value="crm-77"' in page
    assert re.search(r'value="eu-west3" checked', page) and re.search(r'value="livechat" checked', page)
    # And nothing was created
    assert _licenses(partner.token) == []


def test_a_rule_refusal_is_shown_on_the_invite_step(signed_in: WebClient, partner: PartnerAccount) -> None:
    # ChatBot cannot invite users: without JavaScript the rows are still there to fill
    answer = signed_in.post_form(FORM, _form(product="chatbot"))
    assert answer.status == 403
    assert (
        '<a href="#operators">Invited users: ChatBot licenses cannot invite additional users</a>'
        in answer.text
    )
    assert _licenses(partner.token) == []


def test_a_duplicate_is_named_on_the_customer_email(signed_in: WebClient, partner: PartnerAccount) -> None:
    assert signed_in.post_form(FORM, _form()).status == 303
    [existing] = _licenses(partner.token)
    again = signed_in.post_form(FORM, _form())
    assert again.status == 409
    # Named by the field the partner typed, not the wire name, with a link to the license
    assert '<a href="#client_email">Customer email: You already have a LiveChat license' in again.text
    assert "client_email" not in again.text.split('id="client_email-error"')[1].split("</p>")[0]
    page = f"/web/licenses/livechat/{existing['license']}"
    assert f'<a href="{page}" data-existing-license>Open the existing license</a>' in again.text
    # The page's script gets the same words and the same link
    body = {
        "product": "livechat",
        "payment_origin": "partner",
        "client_name": "Acme Corporation",
        "client_email": "owner@acme.example",
    }
    scripted = signed_in.post_json(FORM, body, headers={"idempotency-key": "duplicate-1"})
    assert scripted.status == 409
    error = scripted.json()["error"]
    assert error["fields"]["client_email"] == [
        "You already have a LiveChat license for this customer email: "
        "open it, or enter another customer's email."
    ]
    assert error["existing_license"] == page


def test_html_in_entries_is_shown_as_text(signed_in: WebClient, partner: PartnerAccount) -> None:
    answer = signed_in.post_form(FORM, _form(client_name="<script>alert(1)</script>", client_email="x"))
    assert answer.status == 400
    assert "<script>alert(1)</script>" not in answer.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text


def test_signed_out_the_form_asks_to_sign_in_first(web: WebClient, partner: PartnerAccount) -> None:
    answer = web.post_form(FORM, _form())
    assert answer.status == 401
    assert "Sign in first: creating a license needs your partner sign-in." in answer.text
    assert 'href="/sign-in.html"' in answer.text and 'value="Acme Corporation"' in answer.text
    as_json = web.post_json(FORM, {"product": "livechat"})
    assert as_json.status == 401 and as_json.json()["error"]["type"] == "authentication"
    assert _licenses(partner.token) == []


def test_the_honeypot_is_accepted_silently_and_creates_nothing(
    signed_in: WebClient, partner: PartnerAccount
) -> None:
    answer = signed_in.post_form(FORM, _form(website="https://spam.example"))
    assert answer.status == 303 and answer.header("location") == "/license-received.html"
    as_json = signed_in.post_json(FORM, {"product": "livechat", "website": "spam"})
    assert as_json.status == 202 and as_json.json() == {"location": "/license-received.html"}
    assert _licenses(partner.token) == []
    run_sweep()
    assert [e["subject"] for e in sent_emails()] == ["Your sign-in link for the partner help center"]


def test_cross_site_form_posts_are_refused(signed_in: WebClient, partner: PartnerAccount) -> None:
    signed_in.origin = "https://evil.example"
    assert signed_in.post_form(FORM, _form()).status == 403
    signed_in.origin = None
    assert signed_in.post_form(FORM, _form()).status == 403
    assert _licenses(partner.token) == []


def test_the_script_posts_json_once_per_idempotency_key(
    signed_in: WebClient, partner: PartnerAccount
) -> None:
    body = {
        "product": "livechat",
        "payment_origin": "partner",
        "client_name": "Globex Corporation",
        "client_email": "owner@globex.example",
        "operators": [{"email": "ann@globex.example", "role": "agent"}],
        "website": "",
    }
    key = {"idempotency-key": "form-7f3c"}
    # When the same submission arrives twice (a double click, a retry)
    first = signed_in.post_json(FORM, body, headers=key)
    second = signed_in.post_json(FORM, body, headers=key)
    # Then one license exists and both answers point at it
    assert first.status == 201 and second.status == 201
    assert second.header("idempotent-replayed") == "true"
    assert first.json() == second.json()
    created = first.json()
    assert created["location"] == f"/web/licenses/livechat/{created['license']['license']}?done=created"
    assert created["license"]["client_email"] == "owner@globex.example"
    assert [item["license"] for item in _licenses(partner.token)] == [created["license"]["license"]]


def test_json_errors_name_the_form_fields(signed_in: WebClient, partner: PartnerAccount) -> None:
    answer = signed_in.post_json(
        FORM,
        {
            "product": "livechat",
            "payment_origin": "partner",
            "client_name": "Globex Corporation",
            "client_email": "owner@globex.example",
            "operators": [
                {"email": "ann@globex.example", "role": "agent"},
                {"email": "nope", "role": "boss"},
            ],
        },
    )
    assert answer.status == 400
    fields = answer.json()["error"]["fields"]
    assert fields == {
        "operators-1-email": ["Enter a valid email address, like name@example.com."],
        "operators-1-role": ["Choose one of the options."],
    }
    assert signed_in.post_json(FORM, {"product": "skype"}).json()["error"]["fields"]["product"] == [
        "Choose LiveChat or ChatBot."
    ]
    assert _licenses(partner.token) == []


def test_the_created_page_is_only_for_its_partner(
    signed_in: WebClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    location = signed_in.post_form(FORM, _form()).header("location") or ""
    rival = WebClient()
    assert rival.get(location).status == 401
    rival.sign_in("rival@partner.example")
    assert rival.get(location).status == 404
    assert signed_in.get("/web/licenses/livechat/12x").status == 404


def test_pages_from_the_api_carry_the_page_security_headers(
    signed_in: WebClient, partner: PartnerAccount
) -> None:
    from partnerapp.web.headers import PAGE_SECURITY_HEADERS

    page = signed_in.post_form(FORM, _form(client_name="Acme"))
    for name, value in PAGE_SECURITY_HEADERS.items():
        assert page.header(name) == value
    assert "script-src 'self'" in (page.header("content-security-policy") or "")
    assert "'unsafe-inline'" not in (page.header("content-security-policy") or "")
    assert page.header("cache-control") == "no-store"


def test_a_missing_product_is_named_with_the_other_errors(
    signed_in: WebClient, partner: PartnerAccount
) -> None:
    answer = signed_in.post_form(FORM, [(k, v) for k, v in _form(client_email="nope") if k != "product"])
    assert answer.status == 400
    assert '<a href="#product">Product: Choose LiveChat or ChatBot.</a>' in answer.text
    assert (
        '<a href="#client_email">Customer email: Enter a valid email address, like name@example.com.</a>'
        in answer.text
    )
    assert _licenses(partner.token) == []


@pytest.mark.parametrize(
    ("product", "origin"), [("livechat", "client"), ("chatbot", "partner"), ("chatbot", "client")]
)
def test_without_invited_users_the_page_does_not_speak_of_them(
    signed_in: WebClient, partner: PartnerAccount, product: str, origin: str
) -> None:
    blank_rows = {"operators-0-email": "", "operators-2-email": ""}
    answer = signed_in.post_form(FORM, _form(product=product, payment_origin=origin, **blank_rows))
    assert answer.status == 303, answer.text
    page = signed_in.get(answer.header("location") or "")
    assert "What happens next" in page.text and "as the license owner." in page.text
    assert "you invited" not in page.text


def test_no_validator_wording_reaches_a_person(signed_in: WebClient, partner: PartnerAccount) -> None:
    # The example: a name too long read "Longer than maximum length 100." without script
    page = signed_in.post_form(FORM, _form(client_name="A" * 101, trial_duration="ninety")).text
    assert '<a href="#client_name">Customer name: Use at most 100 characters.</a>' in page
    assert '<a href="#trial_duration">Trial length: Enter a whole number from 14 to 30.</a>' in page
    assert "maximum length" not in page and "Not a valid integer" not in page
    # The page's script gets the same words for the same error
    body = {"product": "livechat", "payment_origin": "partner", "client_name": "A" * 101}
    scripted = signed_in.post_json(FORM, {**body, "client_email": "owner@acme.example"})
    assert scripted.json()["error"]["fields"]["client_name"] == ["Use at most 100 characters."]
    assert _licenses(partner.token) == []
