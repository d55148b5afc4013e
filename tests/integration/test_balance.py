"""`GET /v2/partners/balance` (Text API "Get Balance"): commission is pending for 30 days after
its payment, then available; figures in dollars, `total` a two-decimal string as the docs
write it; each payment counted once; the read costs the same however many payments there are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import botocore.client
import pytest

from tests.conftest import ApiClient, PartnerAccount, new_license
from tests.lifecycle_support import FakeClock, billing_event, post_billing_event

BALANCE = "/v2/partners/balance"


@pytest.fixture
def items_read(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Each DynamoDB call the code makes, with how many items it read."""
    calls: list[tuple[str, int]] = []
    original = botocore.client.BaseClient._make_api_call

    def counting(self: Any, operation: str, params: dict[str, Any]) -> Any:
        answer = original(self, operation, params)
        if self.meta.service_model.service_name == "dynamodb":
            calls.append((operation, answer.get("ScannedCount", 1 if "Item" in answer else 0)))
        return answer

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counting)
    return calls


def pay(api: ApiClient, clock: FakeClock, license_id: str, cents: int, event_id: str) -> None:
    event = billing_event(event_id, "payment.succeeded", clock(), license=int(license_id), amount_cents=cents)
    answer = post_billing_event(api, event, clock())
    assert answer.status == 200, answer.body


def balance(api: ApiClient, partner: PartnerAccount) -> dict[str, Any]:
    answer = api.get(BALANCE, token=partner.token)
    assert answer.status == 200, answer.body
    return answer.json()  # type: ignore[no-any-return]


def customer_managed(
    api: ApiClient, partner: PartnerAccount, email: str = "pay@b.example", **more: Any
) -> str:
    created = new_license(api, partner, client_email=email, payment_origin="client", **more)
    return str(created["license"])


def test_commission_is_pending_for_30_days_then_available(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    # Given a new partner: nothing at all
    assert balance(api, partner) == {"pending": 0, "withdrawn": 0, "available": 0, "total": "0.00"}
    # When a customer-managed license pays $100.00 (20% commission: $20.00)
    clock.now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    license_id = customer_managed(api, partner)
    pay(api, clock, license_id, 10000, "evt_march")
    # Then it is pending, for 30 days
    assert balance(api, partner) == {"pending": 20, "withdrawn": 0, "available": 0, "total": "20.00"}
    clock.now += timedelta(days=30) - timedelta(seconds=1)
    assert balance(api, partner)["pending"] == 20
    # and available from the 30th day after the payment
    clock.now += timedelta(seconds=1)
    assert balance(api, partner) == {"pending": 0, "withdrawn": 0, "available": 20, "total": "20.00"}
    # When a second payment ($123.45: $24.69) arrives, the first stays available
    pay(api, clock, license_id, 12345, "evt_april")
    assert balance(api, partner) == {
        "pending": 24.69,
        "withdrawn": 0,
        "available": 20,
        "total": "44.69",
    }


def test_a_payment_event_sent_twice_counts_once(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    license_id = customer_managed(api, partner)
    pay(api, clock, license_id, 5000, "evt_once")
    pay(api, clock, license_id, 5000, "evt_once")
    assert balance(api, partner)["total"] == "10.00"


def test_commission_in_both_regions_adds_up_and_savings_do_not_count(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount, clock: FakeClock
) -> None:
    us = customer_managed(api, partner, "us@b.example", data_center="us")
    eu = customer_managed(api, partner, "eu@b.example", data_center="eu")
    pay(api, clock, us, 1000, "evt_us")
    pay(api, clock, eu, 2000, "evt_eu")
    assert balance(api, partner)["total"] == "6.00"
    # Only the partner's own: another partner has nothing
    assert balance(api, other_partner)["total"] == "0.00"
    assert api.get(BALANCE).status == 401


def test_the_read_costs_the_same_however_many_payments(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, items_read: list[tuple[str, int]]
) -> None:
    # Given a year of monthly payments, long available
    clock.now = datetime(2024, 1, 5, tzinfo=UTC)
    license_id = customer_managed(api, partner)
    pay(api, clock, license_id, 1000, "evt_first")
    clock.now = datetime(2025, 6, 1, tzinfo=UTC)
    balance(api, partner)  # the token's "last used" of the day is written once, here
    items_read.clear()
    one = balance(api, partner)
    first_read = list(items_read)
    for month in range(2, 13):
        clock.now = datetime(2024, month, 5, tzinfo=UTC)
        pay(api, clock, license_id, 1000, f"evt_{month}")
    clock.now = datetime(2025, 6, 1, tzinfo=UTC)
    items_read.clear()
    twelve = balance(api, partner)
    # Then twelve payments cost what one did: the kept total, not the records, is read
    assert (one["available"], twelve["available"]) == (2, 24)
    assert items_read == first_read
    assert "Scan" not in {operation for operation, _ in items_read}
