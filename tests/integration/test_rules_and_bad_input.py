"""Every bad request gets a clear 4xx naming what is wrong, and changes nothing."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from tests.conftest import LICENSES, ApiClient, PartnerAccount, license_body


def licenses_of(partner: PartnerAccount) -> int:
    """How many licenses the partner has in both data regions (Query on the by_partner index)."""
    total = 0
    for region in ("us-east-1", "eu-central-1"):
        response = boto3.client("dynamodb", region_name=region).query(
            TableName="partnerapp-licenses",
            IndexName="by_partner",
            KeyConditionExpression="by_partner_pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"PARTNER#{partner.partner_id}"}},
            Select="COUNT",
        )
        total += response["Count"]
    return total


@pytest.mark.parametrize(
    "body,field",
    [
        (license_body(client_name=None), "client_name"),
        (license_body(client_name="Ab"), "client_name"),
        (license_body(client_name="x" * 101), "client_name"),
        (license_body(client_name="Acme\r\nBcc: victim@example.com"), "client_name"),
        (license_body(client_email=None), "client_email"),
        (license_body(client_email="not-an-email"), "client_email"),
        (license_body(client_email="a@b.example\r\nBcc: c@d.example"), "client_email"),
        (license_body(client_email=("x" * 250) + "@acme.example"), "client_email"),
        (license_body(payment_origin=None), "payment_origin"),
        (license_body(payment_origin="reseller"), "payment_origin"),
        (license_body(trial_duration=13), "trial_duration"),
        (license_body(trial_duration=31), "trial_duration"),
        (license_body(trial_duration="20"), "trial_duration"),
        (license_body(data_center="mars"), "data_center"),
        (license_body(identifier="i" * 101), "identifier"),
        (license_body(purchase_order=12), "purchase_order"),
        (license_body(organization_name="o" * 101), "organization_name"),
        (license_body(operators=[{"email": "a@acme.example", "role": "owner"}]), "operators"),
        (license_body(operators=[{"email": "nope", "role": "agent"}]), "operators"),
        (license_body(operators=[{"email": "a@acme.example"}]), "operators"),
        (license_body(operators=[{"email": "owner@acme.example", "role": "agent"}]), "operators"),
        (
            license_body(operators=[{"email": f"u{i}@acme.example", "role": "agent"} for i in range(21)]),
            "operators",
        ),
        (license_body(color="blue"), "color"),
    ],
)
def test_invalid_field_is_named_in_a_400(
    api: ApiClient, partner: PartnerAccount, body: dict[str, Any], field: str
) -> None:
    response = api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body=body)
    assert response.status == 400, response.body
    error = response.json()["error"]
    assert error["type"] == "validation"
    assert field in error["fields"]
    assert licenses_of(partner) == 0


def test_every_failing_field_is_named_at_once(api: ApiClient, partner: PartnerAccount) -> None:
    response = api.post(
        f"{LICENSES}?product=livechat",
        token=partner.token,
        json_body={"client_name": "A", "trial_duration": 99},
    )
    assert response.status == 400
    assert set(response.json()["error"]["fields"]) == {
        "client_name",
        "client_email",
        "payment_origin",
        "trial_duration",
    }


@pytest.mark.parametrize("query", ["", "?product=", "?product=hubspot"])
def test_missing_or_unknown_product_is_400(api: ApiClient, partner: PartnerAccount, query: str) -> None:
    response = api.post(f"{LICENSES}{query}", token=partner.token, json_body=license_body())
    assert response.status == 400
    assert "product" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "product,payment_origin",
    [("livechat", "client"), ("chatbot", "partner"), ("chatbot", "client")],
)
def test_operators_are_refused_where_the_rules_say_no(
    api: ApiClient, partner: PartnerAccount, product: str, payment_origin: str
) -> None:
    response = api.post(
        f"{LICENSES}?product={product}",
        token=partner.token,
        json_body=license_body(
            payment_origin=payment_origin, operators=[{"email": "a@acme.example", "role": "agent"}]
        ),
    )
    assert response.status == 403
    error = response.json()["error"]
    assert error["type"] == "authorization"
    assert "operators" in error["fields"]
    assert licenses_of(partner) == 0


def test_operators_of_an_empty_list_are_fine_anywhere(api: ApiClient, partner: PartnerAccount) -> None:
    response = api.post(
        f"{LICENSES}?product=chatbot", token=partner.token, json_body=license_body(operators=[])
    )
    assert response.status == 201


@pytest.mark.parametrize(
    "body,content_type,status",
    [
        (b'{"client_name": ', "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b"", "application/json", 400),
        (b'{"client_name": "Acme Corp", "client_name": "Other Corp"}', "application/json", 400),
        (b"[" * 100 + b"]" * 100, "application/json", 400),
        (b"client_name=Acme+Corp&client_name=Other+Corp", "application/x-www-form-urlencoded", 400),
        (b"client_name=%FF%FE", "application/x-www-form-urlencoded", 400),
        (b'{"client_name": "Acme Corporation"}', "text/plain", 415),
        (b'{"client_name": "' + b"x" * 70_000 + b'"}', "application/json", 413),
    ],
)
def test_malformed_bodies(
    api: ApiClient, partner: PartnerAccount, body: bytes, content_type: str, status: int
) -> None:
    response = api.post(
        f"{LICENSES}?product=livechat", token=partner.token, body=body, headers={"content-type": content_type}
    )
    assert response.status == status, response.body
    assert "error" in response.json()
    assert licenses_of(partner) == 0


def test_a_form_encoded_create_is_read_like_json(api: ApiClient, partner: PartnerAccount) -> None:
    """Given the create fields as curl's `--data` sends them, when posted, then the license is
    created with the form's values (numbers and booleans converted as from JSON strings)."""
    form = (
        b"client_name=Acme+Corporation&client_email=owner%40acme.example"
        b"&payment_origin=client&trial_duration=21"
    )
    response = api.post(
        f"{LICENSES}?product=livechat",
        token=partner.token,
        body=form,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 201, response.body
    created = response.json()
    assert (created["client_name"], created["client_email"], created["payment_origin"]) == (
        "Acme Corporation",
        "owner@acme.example",
        "client",
    )
    assert licenses_of(partner) == 1


def test_a_form_field_the_schema_cannot_read_is_named(api: ApiClient, partner: PartnerAccount) -> None:
    form = (
        b"client_name=Acme+Corporation&client_email=owner%40acme.example"
        b"&payment_origin=client&trial_duration=many"
    )
    response = api.post(
        f"{LICENSES}?product=livechat",
        token=partner.token,
        body=form,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 400
    assert "trial_duration" in response.json()["error"]["fields"]
    assert licenses_of(partner) == 0


def test_missing_content_type_is_415(api: ApiClient, partner: PartnerAccount) -> None:
    response = api.post(f"{LICENSES}?product=livechat", token=partner.token, body=b"{}")
    assert response.status == 415


def test_unknown_route_is_a_json_404(api: ApiClient) -> None:
    response = api.get("/v2/partners/nothing-here")
    assert response.status == 404


def test_every_answer_carries_the_security_headers(api: ApiClient, partner: PartnerAccount) -> None:
    for response in (
        api.get("/v2/partners/status"),
        api.get("/v2/partners"),
        api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body={}),
    ):
        assert response.header("X-Content-Type-Options") == "nosniff"
        assert "frame-ancestors 'none'" in (response.header("Content-Security-Policy") or "")
        assert response.header("Referrer-Policy") == "no-referrer"
