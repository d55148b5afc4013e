"""The billing system's events: signed with its own secret, applied once per event id; a
subscription converts the trial, payments earn a customer-managed license's partner 20%."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import boto3
import pytest

from partnerapp_infra.cli import main as cli
from tests.conftest import LICENSES, ApiClient, PartnerAccount, license_details, new_license
from tests.lifecycle_support import FakeClock, billing_event, billing_signature, post_billing_event

EVENTS = "/v2/billing/events"


def payments_of(license_id: int) -> list[dict[str, Any]]:
    table = boto3.client("dynamodb", region_name="us-east-1")
    items = table.query(
        TableName="partnerapp-licenses",
        KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues={":pk": {"S": f"LICENSE#{license_id}"}, ":prefix": {"S": "PAYMENT#"}},
    )["Items"]
    return [{k: next(iter(v.values())) for k, v in i.items()} for i in items]


def test_a_subscription_converts_the_trial_once(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    item = new_license(api, partner, payment_origin="client")
    clock.advance(days=9)
    subscribed_at = clock.advance(hours=-1)
    event = billing_event("evt_sub_1", "subscription.created", subscribed_at, license=item["license"])
    first = post_billing_event(api, event, clock())
    assert first.status == 200, first.body
    assert first.json() == {"received": True, "event_id": "evt_sub_1", "result": "applied"}
    license_ = license_details(api, partner, item)
    assert (license_["status"], license_["paid"], license_["cc_added"]) == ("paid", True, True)
    assert license_["conversion_timestamp"] == subscribed_at.strftime("%Y-%m-%d %H:%M:%S")
    # The billing system retries: same id, same answer, nothing applied twice
    again = post_billing_event(api, event, clock())
    assert again.status == 200 and again.json()["result"] == "duplicate"
    actions = [
        h["action"]
        for h in api.get(f"{LICENSES}/livechat/{item['license']}/history", token=partner.token).json()[
            "history"
        ]
    ]
    assert actions.count("converted") == 1


def test_payments_earn_the_partner_20_percent_rounded_half_up(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    item = new_license(api, partner, payment_origin="client")
    paid_at = clock.advance(days=3)
    # $49.99 -> $9.998 -> $10.00; $123.45 -> $24.69; 2 cents -> 0.4 -> 0; 3 cents -> 0.6 -> 1
    for n, cents in enumerate((4999, 12345, 2, 3)):
        event = billing_event(
            f"evt_pay_{n}", "payment.succeeded", paid_at, license=item["license"], amount_cents=cents
        )
        assert post_billing_event(api, event, clock()).json()["result"] == "applied"
    retried = billing_event(
        "evt_pay_0", "payment.succeeded", paid_at, license=item["license"], amount_cents=4999
    )
    assert post_billing_event(api, retried, clock()).json()["result"] == "duplicate"
    stored = sorted(
        (int(p["amount_cents"]), int(p["commission_cents"])) for p in payments_of(item["license"])
    )
    assert stored == [(2, 0), (3, 1), (4999, 1000), (12345, 2469)]
    # A payment before any subscription event converts the trial (events may come out of order)
    license_ = license_details(api, partner, item)
    assert license_["status"] == "paid" and license_["commission_percent"] == 20


def test_a_partner_managed_license_earns_no_commission_on_payments(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    item = new_license(api, partner, payment_origin="partner")
    event = billing_event(
        "evt_pm_1", "payment.succeeded", clock(), license=item["license"], amount_cents=10_000
    )
    assert post_billing_event(api, event, clock()).status == 200
    [payment] = payments_of(item["license"])
    assert (int(payment["commission_percent"]), int(payment["commission_cents"])) == (0, 0)


def test_unsigned_stale_or_forged_events_are_refused_and_change_nothing(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    item = new_license(api, partner, payment_origin="client")
    event = billing_event("evt_x", "subscription.created", clock(), license=item["license"])
    body = json.dumps(event).encode()
    now = int(clock().timestamp())
    attempts = {
        "none": None,
        "garbage": "not a signature",
        "wrong secret": billing_signature(body, now, secret="x" * 40),
        "other body": billing_signature(body + b" ", now),
        "six minutes old": billing_signature(body, now - 360),
        "six minutes ahead": billing_signature(body, now + 360),
    }
    for name, signature in attempts.items():
        headers = {
            "content-type": "application/json",
            **({"billing-signature": signature} if signature else {}),
        }
        answer = api.post(EVENTS, body=body, headers=headers)
        assert answer.status == 401, name
        assert answer.json()["error"]["type"] == "authentication"
    assert license_details(api, partner, item)["status"] == "trial"
    # a bearer token of a partner is no way in either
    answer = api.post(EVENTS, token=partner.token, json_body=event)
    assert answer.status == 401


def test_bad_events_are_a_400_naming_the_field_and_change_nothing(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    item = new_license(api, partner, payment_origin="client")
    cases = [
        ({"type": "subscription.created", "created": "2026-01-01 00:00:00", "data": {}}, "id"),
        (billing_event("e1", "subscription.created", clock()) | {"created": "yesterday"}, "created"),
        (
            billing_event(
                "e2", "subscription.created", clock().replace(year=clock().year + 1), license=item["license"]
            ),
            "created",
        ),
        (
            billing_event("e3", "subscription.created", clock(), license="\u00b2"),
            "data",
        ),  # not an ASCII digit
        (billing_event("e4", "payment.succeeded", clock(), license=item["license"], amount_cents=-5), "data"),
        (
            billing_event(
                "e5", "payment.succeeded", clock(), license=item["license"], amount_cents=100, currency="EUR"
            ),
            "data",
        ),
        (billing_event("e6/../x", "subscription.created", clock(), license=item["license"]), "id"),
    ]
    for event, field in cases:
        answer = post_billing_event(api, event, clock())
        assert answer.status == 400, (event, answer.body)
        assert field in answer.json()["error"]["fields"], (event, answer.body)
    assert payments_of(item["license"]) == []
    assert license_details(api, partner, item)["status"] == "trial"


def test_unknown_licenses_are_404_and_other_event_types_are_acknowledged(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    unknown = billing_event("evt_u", "subscription.created", clock(), license=999_999_991)
    assert post_billing_event(api, unknown, clock()).status == 404
    ignored = post_billing_event(api, billing_event("evt_i", "invoice.finalized", clock()), clock())
    assert ignored.status == 200 and ignored.json()["result"] == "ignored"


def test_partnerapp_billing_sign_signs_an_event_the_api_accepts(
    api: ApiClient,
    partner: PartnerAccount,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    item = new_license(api, partner, payment_origin="client")
    body = json.dumps(
        billing_event("evt_cli", "subscription.created", clock(), license=item["license"])
    ).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body)))
    assert cli.main(["billing", "sign", "--timestamp", str(int(clock().timestamp()))]) == 0
    # The header is the command's own line; the functions' JSON log lines may share stdout.
    printed = capsys.readouterr().out.splitlines()
    [header] = [line for line in printed if line.startswith("t=")]
    answer = api.post(
        EVENTS, body=body, headers={"content-type": "application/json", "billing-signature": header}
    )
    assert answer.status == 200 and answer.json()["result"] == "applied"
