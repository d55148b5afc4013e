"""Every route that takes a body (read from template.yaml, so a new one cannot be left out)
refuses a bad field with 400 naming that very field, and stores nothing: no license, no
history entry, token, organization license, webhook or email.

The JSON routes answer `error.fields`; the help-center forms answer their page with the
field marked invalid. (test_nasty_inputs.py sends hostile bodies of every shape.)"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from partnerapp_infra.aws import template
from tests.conftest import LICENSES, ApiClient, PartnerAccount, new_license, sent_emails
from tests.lifecycle_support import billing_signature
from tests.site.conftest import WebClient

ONE = f"{LICENSES}/{{product}}/{{license_id}}"
ORGS = "/v2/partners/solutions/organizations"
WEB_ONE = "/web/licenses/{product}/{license_id}"

# Route -> (a body with one bad field, the field the refusal must name).
JSON_CASES: dict[str, tuple[dict[str, Any], str]] = {
    "POST /v2/partners/tokens": ({"label": "a\u0000b"}, "label"),
    f"POST {LICENSES}": (
        {
            "client_name": "Acme\r\nBcc: x@y.example",
            "client_email": "o@acme.example",
            "payment_origin": "partner",
        },
        "client_name",
    ),
    f"PUT {ONE}": ({"client_name": 5}, "client_name"),
    "PUT /v2/solutions/licenses/{product}/{license_id}": ({"client_name": 5}, "client_name"),
    f"PUT {ONE}/billing": ({"token": 5}, "token"),
    "PUT /v2/partners/profile": (
        {"first_name": "Jo", "last_name": "Doe", "contact_name": "Jo Doe", "contact_email": "nope"},
        "contact_email",
    ),
    f"POST {ONE}/operators": ({"operators": "a"}, "operators"),
    f"POST {ONE}/operators/{{email}}/resend": ({"email": "other@acme.example"}, "email"),
    f"POST {ONE}/offer": ({"extend_trial_days": "3"}, "extend_trial_days"),
    f"POST {ONE}/subscription": ({"plan": 1, "billing_cycle": "monthly", "seats": 2}, "plan"),
    f"PUT {ONE}/subscription": ({"seats": "2"}, "seats"),
    f"POST {ONE}/transfer": ({"payment_origin": "client"}, "payment_origin"),
    f"POST {ORGS}": ({"organization_name": {"$ne": None}}, "organization_name"),
    f"POST {ORGS}/{{organization_id}}/licenses": ({"payment_origin": True}, "payment_origin"),
    "POST /v2/partners/webhooks": ({"url": 5, "events": ["license.created"]}, "url"),
    "POST /v2/partners/webhooks/{webhook_id}/test": ({"event": "license.created"}, "event"),
    "POST /v2/billing/events": ({"id": "evt_1", "type": 5, "created": "now", "data": {}}, "type"),
    "PUT /v2/partners/billing": (
        {
            "type": "business",
            "company": "Acme",
            "address": "1 Main St",
            "city": "Springfield",
            "country": "Atlantis",
            "paypal": "pay@acme.example",
        },
        "country",
    ),
    "POST /v2/partners/withdrawals": ({"amount": 5}, "amount"),
    "POST /v2/partners/solutions/leads": (
        {
            "partner_name": "Agency One",
            "partner_email": "agency@partner.example",
            "company_name": "Acme",
            "contact_email": "lead@acme.example",
            "domain": "acme.example",
            "first_name": "Ann",
            "last_name": "Lee",
            "accepts_requirements": True,
            "monetization_type": "barter",
        },
        "monetization_type",
    ),
}

# Help-center form posts -> (the form with one bad field, the field its page marks invalid).
FORM_CASES: dict[str, tuple[dict[str, str], str]] = {
    "POST /web/sign-in": ({"email": "not-an-email"}, "email"),
    "POST /web/licenses": (
        {
            "client_name": "Acme",
            "client_email": "o@acme.example",
            "payment_origin": "partner",
            "product": "livechat",
        },
        "client_name",
    ),
    f"POST {WEB_ONE}/operators": (
        {"operators-0-email": "not-an-email", "operators-0-role": "agent", "version": "1"},
        "operators-0-email",
    ),
    f"POST {WEB_ONE}/transfer": ({"version": "1"}, "confirm"),
    f"POST {WEB_ONE}/offer": ({"extra_discount_percent": "300", "version": "1"}, "extra_discount_percent"),
    f"POST {WEB_ONE}/subscription": ({"plan": "team", "billing_cycle": "monthly", "seats": "0"}, "seats"),
    "POST /web/payouts": (
        {
            "type": "business",
            "company": "Acme",
            "address": "1 Main St",
            "city": "Springfield",
            "country": "Atlantis",
            "paypal": "pay@acme.example",
        },
        "country",
    ),
}

# Form posts whose only input is a secret or nothing at all, or whose page has its own tests
# of every bad field: a bad one is a 400 page that changes nothing (test_sign_in.py,
# test_invitation_acceptance.py, test_license_page.py, test_account_pages.py,
# test_summaries.py, test_article_feedback.py, test_license_import.py).
OTHER_FORMS = {
    "POST /web/tokens": {"label": ""},
    "POST /web/tokens/{token_id}/revoke": {"token_id": "x"},
    "POST /web/profile": {"contact_email": "nope"},
    "POST /web/unsubscribe": {"token": "forged"},
    "POST /web/article-feedback": {"article": "nope"},
    "POST /web/article-feedback/comment": {"comment": "<b>"},
    "POST /web/licenses/import": {"csv": ""},
    "POST /web/licenses/import/results": {"results": "forged"},
    "POST /web/sign-in/confirm": {"token": "forged"},
    "POST /web/invitations/accept": {"token": "forged"},
    f"POST {WEB_ONE}/operators/resend": {"email": "nobody@acme.example"},
    f"POST {WEB_ONE}/subscription/change": {"seats": "0"},
    f"POST {WEB_ONE}/subscription/close": {"version": "x"},
}
NO_BODY = {"POST /web/sign-out"}


# Counting takes its window (date_from and date_to are required): one that holds every license.
COUNT_ALL = f"{LICENSES}/count?date_from=2000-01-01&date_to=2099-12-31"


def body_routes() -> set[str]:
    return {r.route_key for r in template.http_routes() if r.method in ("POST", "PUT", "PATCH")}


def test_every_route_that_takes_a_body_is_covered() -> None:
    assert body_routes() == {*JSON_CASES, *FORM_CASES, *OTHER_FORMS, *NO_BODY}


def _holdings(api: ApiClient, partner: PartnerAccount) -> dict[str, str]:
    item = new_license(api, partner, operators=[{"email": "ann@acme.example", "role": "agent"}])
    details = api.get(f"{LICENSES}/livechat/{item['license']}", token=partner.token).json()
    hook = api.post(
        "/v2/partners/webhooks",
        token=partner.token,
        json_body={"url": "http://127.0.0.1:9/hooks", "events": ["license.created"]},
    ).json()
    return {
        "product": "livechat",
        "license_id": str(item["license"]),
        "email": "ann@acme.example",
        "organization_id": str(details["organization_id"]),
        "webhook_id": str(hook["id"]),
    }


def _state(api: ApiClient, partner: PartnerAccount, ids: dict[str, str]) -> tuple[Any, ...]:
    one = f"{LICENSES}/{ids['product']}/{ids['license_id']}"
    return (
        api.get(COUNT_ALL, token=partner.token).json(),
        api.get(one, token=partner.token).json(),
        api.get(f"{one}/history", token=partner.token).json(),
        api.get("/v2/partners/tokens", token=partner.token).json(),
        api.get(f"{ORGS}/{ids['organization_id']}/licenses", token=partner.token).json(),
        api.get(f"/v2/partners/webhooks/{ids['webhook_id']}/deliveries", token=partner.token).json(),
        api.get("/v2/partners/billing", token=partner.token).status,  # no payout details kept
        api.get("/v2/partners/withdrawals", token=partner.token).json(),
        api.get("/v2/partners/solutions/leads", token=partner.token).json(),
        len(sent_emails()),
    )


def _path(route: str, ids: dict[str, str]) -> tuple[str, str]:
    method, _, path = route.partition(" ")
    path = path.format(**ids)
    if path in (LICENSES, f"{ORGS}/{ids['organization_id']}/licenses"):
        path += "?product=livechat"
    return method, path


@pytest.mark.parametrize("route", sorted(JSON_CASES))
def test_a_bad_field_is_named_and_nothing_is_stored(
    api: ApiClient, partner: PartnerAccount, route: str
) -> None:
    ids = _holdings(api, partner)
    before = _state(api, partner, ids)
    body, field = JSON_CASES[route]
    method, path = _path(route, ids)
    raw = json.dumps(body).encode()
    headers = {"content-type": "application/json"}
    if path.startswith("/v2/billing/"):
        headers["billing-signature"] = billing_signature(raw, int(datetime.now(UTC).timestamp()))
    answer = api.request(method, path, token=partner.token, body=raw, headers=headers)
    assert answer.status == 400, (route, answer.status, answer.body[:300])
    error = answer.json()["error"]
    assert error["type"] == "validation"
    assert field in error["fields"], (route, error)
    assert _state(api, partner, ids) == before


@pytest.mark.parametrize("route", sorted(FORM_CASES))
def test_a_bad_form_field_is_marked_on_its_page_and_nothing_is_stored(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount, route: str
) -> None:
    ids = _holdings(api, partner)
    before = _state(api, partner, ids)
    form, field = FORM_CASES[route]
    _, path = _path(route, ids)
    answer = signed_in.post_form(path.partition("?")[0], form)
    assert answer.status == 400, (route, answer.status, answer.text[:300])
    tags = re.findall(rf'<(?:input|select|textarea)[^>]*\bname="{field}"[^>]*>', answer.text)
    assert any('aria-invalid="true"' in tag for tag in tags), (route, tags)
    assert _state(api, partner, ids)[:-1] == before[:-1]
