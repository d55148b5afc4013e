"""`GET` and `PUT /v2/partners/billing`: a partner's payout details (Text API "Get Billing",
"Update Billing"): validated field by field, 204, shown back, only the partner's own, and
never written to the logs."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.conftest import ApiClient, PartnerAccount

BILLING = "/v2/partners/billing"
GOOD = {
    "type": "business",
    "company": "Awesome Company",
    "address": "Wall Street 123",
    "city": "New York",
    "country": "US",
    "paypal": "PayPal@Email.com",
    "zip_code": "10005",
    "vat": "123",
    "state": "NY",
}


def put(api: ApiClient, partner: PartnerAccount, body: dict[str, Any]) -> Any:
    return api.request("PUT", BILLING, token=partner.token, json_body=body)


def test_details_put_are_shown_back(api: ApiClient, partner: PartnerAccount) -> None:
    # Given a partner without payout details, When it reads them, Then there are none yet
    missing = api.get(BILLING, token=partner.token)
    assert missing.status == 404 and "PUT /v2/partners/billing" in missing.json()["error"]["message"]
    # When it sets them
    answer = put(api, partner, GOOD)
    # Then 204 with no body, and the read shows them (the address normalised, as everywhere)
    assert (answer.status, answer.body) == (204, b"")
    shown = api.get(BILLING, token=partner.token)
    assert shown.status == 200
    assert shown.json() == {**GOOD, "paypal": "paypal@email.com"}


def test_optional_fields_left_out_read_as_empty(api: ApiClient, partner: PartnerAccount) -> None:
    required = {k: GOOD[k] for k in ("type", "company", "address", "city", "country", "paypal")}
    assert put(api, partner, {**required, "type": "individual", "country": "de"}).status == 204
    shown = api.get(BILLING, token=partner.token).json()
    assert (shown["type"], shown["country"]) == ("individual", "DE")
    assert (shown["vat"], shown["zip_code"], shown["state"]) == ("", "", "")


def test_a_second_put_replaces_the_details_whole(api: ApiClient, partner: PartnerAccount) -> None:
    assert put(api, partner, GOOD).status == 204
    without_vat = {k: v for k, v in GOOD.items() if k != "vat"}
    assert put(api, partner, {**without_vat, "city": "Boston"}).status == 204
    shown = api.get(BILLING, token=partner.token).json()
    assert (shown["city"], shown["vat"]) == ("Boston", "")


def test_a_form_encoded_update_is_accepted(api: ApiClient, partner: PartnerAccount) -> None:
    headers = {"content-type": "application/x-www-form-urlencoded"}
    answer = api.request("PUT", BILLING, token=partner.token, body=urlencode(GOOD).encode(), headers=headers)
    assert answer.status == 204, answer.body
    assert api.get(BILLING, token=partner.token).json()["company"] == "Awesome Company"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "company"}, "type"),
        ({"type": None}, "type"),
        ({"company": ""}, "company"),
        ({"address": None}, "address"),
        ({"city": "x" * 101}, "city"),
        ({"country": "USA"}, "country"),
        ({"country": "XX"}, "country"),
        ({"country": None}, "country"),
        ({"paypal": "not-an-address"}, "paypal"),
        ({"paypal": None}, "paypal"),
        ({"vat": "1\r\n2"}, "vat"),
        ({"zip_code": 10005}, "zip_code"),
        ({"iban": "DE00"}, "iban"),
    ],
)
def test_a_bad_field_is_named_and_nothing_changes(
    api: ApiClient, partner: PartnerAccount, change: dict[str, Any], field: str
) -> None:
    # Given details already set
    assert put(api, partner, GOOD).status == 204
    before = api.get(BILLING, token=partner.token).json()
    # When an update carries one bad or missing field
    body = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    answer = put(api, partner, body)
    # Then it is a 400 naming that field, and the details are as they were
    assert answer.status == 400
    assert field in answer.json()["error"]["fields"]
    assert api.get(BILLING, token=partner.token).json() == before


def test_each_partner_sees_only_its_own(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    assert put(api, partner, GOOD).status == 204
    assert api.get(BILLING, token=other_partner.token).status == 404
    assert api.get(BILLING).status == 401


def test_details_are_never_logged(api: ApiClient, partner: PartnerAccount, json_logs: io.StringIO) -> None:
    secretive = {**GOOD, "paypal": "hidden.payee@wallet.example", "vat": "VAT-77519"}
    assert put(api, partner, secretive).status == 204
    assert put(api, partner, {**secretive, "country": "ZZ"}).status == 400
    assert api.get(BILLING, token=partner.token).status == 200
    logged = json_logs.getvalue()
    assert "hidden.payee" not in logged and "VAT-77519" not in logged
