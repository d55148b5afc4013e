"""Data residency and privacy: customer data stays in its region, and out of the logs."""

from __future__ import annotations

import io

import boto3

from tests.conftest import LICENSES, ApiClient, PartnerAccount, license_body, run_sweep


def _home_items(partner: PartnerAccount) -> list[dict]:
    return boto3.client("dynamodb", region_name="us-east-1").query(
        TableName="partnerapp-partners",
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"PARTNER#{partner.partner_id}"}},
    )["Items"]


def test_eu_customer_data_is_only_in_the_eu_table(api: ApiClient, partner: PartnerAccount) -> None:
    body = license_body(data_center="eu", identifier="CUST-9", organization_name="Acme GmbH")
    created = api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body=body).json()
    # the uniqueness guard in the home region names the customer only by a keyed hash
    home = str(_home_items(partner))
    assert "CLIENT#" in home
    for personal in ("owner@acme.example", "Acme Corporation", "CUST-9", "Acme GmbH"):
        assert personal not in home
    # and the US table holds nothing of the license
    us = boto3.client("dynamodb", region_name="us-east-1").query(
        TableName="partnerapp-licenses",
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"LICENSE#{created['license']}"}},
    )
    assert us["Items"] == []


def test_logs_carry_no_personal_data_nor_tokens(
    api: ApiClient, partner: PartnerAccount, json_logs: io.StringIO
) -> None:
    api.post(
        f"{LICENSES}?product=livechat",
        token=partner.token,
        headers={"Idempotency-Key": "log-1"},
        json_body=license_body(operators=[{"email": "ann@acme.example", "role": "agent"}]),
    )
    api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body=license_body())  # 409
    api.get("/v2/partners", token="pat_wrong")
    run_sweep()
    captured = json_logs.getvalue()
    assert '"license_id"' in captured and "invitation sent" in captured  # the logs are there...
    for secret in ("owner@acme.example", "ann@acme.example", "Acme Corporation", partner.token, "pat_wrong"):
        assert secret not in captured  # ...without what they must not hold
