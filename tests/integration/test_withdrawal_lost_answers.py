"""A withdrawal request with each of its writes' first answer lost after DynamoDB applied it
(the SDK repeats it): still one 201, one withdrawal, the balance moved once, one email, sent
at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.conftest import new_license, sent_emails
from tests.integration.test_lost_response import Path, World, each_write_lost, environment  # noqa: F401
from tests.lifecycle_support import billing_event, post_billing_event, run_function

WITHDRAWALS = "/v2/partners/withdrawals"
PAYOUT = {
    "type": "business",
    "company": "Agency One",
    "address": "Main Street 1",
    "city": "Springfield",
    "country": "US",
    "paypal": "pay@agency.example",
}


def _available(world: World) -> None:
    """$100.00 of commission paid 31 days ago, payout details set, the token used today."""
    api, partner = world.api, world.partner
    paid_at = world.clock() - timedelta(days=31)
    license_id = new_license(api, partner, client_email="pay@b.example", payment_origin="client")["license"]
    event = billing_event(
        "evt_old", "payment.succeeded", paid_at, license=int(license_id), amount_cents=50000
    )
    assert post_billing_event(api, event, world.clock()).status == 200
    assert api.request("PUT", "/v2/partners/billing", token=partner.token, json_body=PAYOUT).status == 204
    assert api.get("/v2/partners/balance", token=partner.token).json()["available"] == 100


def _withdraw(world: World) -> Any:
    return world.api.post(WITHDRAWALS, token=world.partner.token)


def _one_withdrawal(world: World, answer: Any) -> None:
    assert answer.status == 201, answer.body  # never a false 403 or 409
    api, token = world.api, world.partner.token
    assert [w["amount"] for w in api.get(WITHDRAWALS, token=token).json()["result"]] == [100]
    assert api.get("/v2/partners/balance", token=token).json()["withdrawn"] == 100
    sent = ["Withdrawal 1 requested: $100.00"]
    assert [e["subject"] for e in sent_emails() if "Withdrawal" in e["subject"]] == sent  # at once
    run_function("LifecycleFunction")
    assert [e["subject"] for e in sent_emails() if "Withdrawal" in e["subject"]] == sent  # and once


def test_a_withdrawal_survives_any_of_its_writes_losing_its_answer(environment: None) -> None:  # noqa: F811
    lost = each_write_lost(Path(_available, _withdraw, _one_withdrawal))
    # The request's transaction, then its email's claim and "sent" (each recognised on retry)
    assert [(w.operation, w.table) for w in lost] == [
        ("TransactWriteItems", "partnerapp-partners"),
        ("UpdateItem", "partnerapp-partners"),
        ("UpdateItem", "partnerapp-partners"),
    ]


def _a_customer_managed_license(world: World) -> None:
    created = new_license(world.api, world.partner, client_email="pay@b.example", payment_origin="client")
    world.made["license"] = int(created["license"])
    assert world.api.get("/v2/partners/balance", token=world.partner.token).status == 200


def _pay(world: World) -> Any:
    event = billing_event(
        "evt_pay", "payment.succeeded", world.clock(), license=world.made["license"], amount_cents=50000
    )
    return post_billing_event(world.api, event, world.clock())


def _counted_once(world: World, answer: Any) -> None:
    assert answer.status == 200, answer.body
    shown = world.api.get("/v2/partners/balance", token=world.partner.token).json()
    assert (shown["total"], shown["pending"]) == ("100.00", 100)


def test_a_payment_adds_to_the_kept_total_once_whichever_answer_is_lost(environment: None) -> None:  # noqa: F811
    lost = each_write_lost(Path(_a_customer_managed_license, _pay, _counted_once))
    assert ("TransactWriteItems", "partnerapp-licenses") in {(w.operation, w.table) for w in lost}
