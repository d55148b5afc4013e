"""License-management rules without AWS: offers, trial extensions, subscriptions, invoices."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from partnerapp.domain import management
from partnerapp.domain.billing import due_invoices
from partnerapp.domain.errors import Conflict, InvalidValue, NotFound, RuleViolation
from partnerapp.domain.licenses import Invitation, NewLicense, Operator, start_trial
from partnerapp.domain.money import after_discount, percent_of

NOW = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
ACTOR = "partner:p1"


def trial(product: str = "livechat", origin: str = "partner", days: int = 14):  # type: ignore[no-untyped-def]
    request = NewLicense(product, "Acme Corp", "owner@acme.example", origin, "us-south1", trial_duration=days)
    return start_trial("p1", request, 123456781, NOW)


def test_trial_extension_is_capped_at_60_days_from_creation() -> None:
    item = trial(days=30)
    extended = management.customize_offer(item, None, 30, ACTOR, NOW).license
    assert extended.trial_ends_at == NOW + timedelta(days=60)
    with pytest.raises(RuleViolation, match="0 more days"):
        management.customize_offer(extended, None, 1, ACTOR, NOW)
    with pytest.raises(RuleViolation, match="30 more days"):
        management.customize_offer(trial(days=30), None, 31, ACTOR, NOW)  # 30 + 31 > 60


def test_only_a_trial_can_be_extended() -> None:
    paid = management.create_subscription(trial(), "team", "monthly", 5, ACTOR, NOW).license
    with pytest.raises(RuleViolation):
        management.customize_offer(paid, None, 5, ACTOR, NOW)


@pytest.mark.parametrize(
    "product,origin", [("livechat", "client"), ("chatbot", "partner"), ("chatbot", "client")]
)
def test_offer_only_for_partner_managed_livechat(product: str, origin: str) -> None:
    with pytest.raises(RuleViolation):
        management.customize_offer(trial(product, origin), 10, None, ACTOR, NOW)


def test_extra_discount_adds_to_the_partner_discount_and_is_recorded() -> None:
    outcome = management.customize_offer(trial(), 10, 7, ACTOR, NOW)
    assert outcome.license.discount_percent == 30
    assert [e.action for e in outcome.entries] == ["offer_changed", "trial_extended"]


def test_operators_get_a_result_each() -> None:
    item = replace(trial(), invitations=trial().invitations)
    outcome = management.add_operators(
        item, [Operator("ann@acme.example", "agent"), Operator("owner@acme.example", "agent")], ACTOR, NOW
    )
    assert outcome.result == [
        {"operator": "ann@acme.example", "status_code": 201},
        {"operator": "owner@acme.example", "status_code": 409},
    ]
    assert [i.email for i in outcome.invitations] == ["ann@acme.example"]
    with pytest.raises(RuleViolation):
        management.add_operators(trial(origin="client"), [Operator("a@b.example", "agent")], ACTOR, NOW)


def test_resend_requires_an_existing_operator_invitation() -> None:
    with_ann = management.add_operators(trial(), [Operator("ann@acme.example", "agent")], ACTOR, NOW).license
    outcome = management.resend_invitation(with_ann, "ann@acme.example", ACTOR, NOW)
    assert outcome.invitations[0].status == "pending"
    with pytest.raises(NotFound):
        management.resend_invitation(with_ann, "nobody@acme.example", ACTOR, NOW)


def test_subscription_converts_the_trial_and_can_close_now_or_at_cycle_end() -> None:
    outcome = management.create_subscription(trial(), "team", "monthly", 5, ACTOR, NOW)
    assert outcome.license.status == "paid" and outcome.license.paid
    assert [e.action for e in outcome.entries] == ["subscription_created", "converted"]
    with pytest.raises(Conflict):
        management.create_subscription(outcome.license, "team", "monthly", 5, ACTOR, NOW)
    at_end = management.close_subscription(outcome.license, False, ACTOR, NOW + timedelta(days=3)).license
    assert at_end.subscription is not None and at_end.subscription.ends_at == datetime(
        2026, 2, 28, 12, tzinfo=UTC
    )
    assert at_end.status == "paid"
    now_closed = management.close_subscription(outcome.license, True, ACTOR, NOW).license
    assert now_closed.status == "expired"


def test_customer_managed_subscription_is_not_the_partners() -> None:
    with pytest.raises(RuleViolation):
        management.create_subscription(trial(origin="client"), "team", "monthly", 5, ACTOR, NOW)


def test_transfer_stops_the_discount_and_starts_the_commission() -> None:
    item = management.customize_offer(trial(), 10, None, ACTOR, NOW).license
    moved = management.transfer_to_client(item, ACTOR, NOW).license
    assert (moved.payment_origin, moved.discount_percent, moved.commission_percent) == ("client", 0, 20)
    with pytest.raises(RuleViolation):
        management.transfer_to_client(moved, ACTOR, NOW)


def test_transfer_makes_new_owner_the_owner_only_if_on_the_license() -> None:
    with_agent = replace(trial(), invitations=(*trial().invitations, Invitation(5, "ann@x.example", "agent")))
    moved = management.transfer_to_client(with_agent, ACTOR, NOW, "ann@x.example")
    assert moved.license.owner == "ann@x.example"
    assert moved.license.client_email == with_agent.client_email  # the customer record stays
    assert [e.action for e in moved.entries] == ["owner_changed", "transferred"]
    with pytest.raises(InvalidValue):
        management.transfer_to_client(with_agent, ACTOR, NOW, "stranger@x.example")


def test_billing_records_a_payment_method_without_keeping_the_token() -> None:
    outcome = management.update_billing(trial(), ACTOR, NOW)
    assert outcome.license.cc_added and [e.action for e in outcome.entries] == ["billing_updated"]
    with pytest.raises(RuleViolation):
        management.update_billing(trial(origin="client"), ACTOR, NOW)


def test_invoices_bill_used_seats_less_the_discount_each_cycle() -> None:
    subscribed = management.create_subscription(trial(), "team", "monthly", 5, ACTOR, NOW).license
    used = replace(subscribed, seats_used=3, extra_discount_percent=5)
    invoices = due_invoices(used, NOW + timedelta(days=62), issued=set())
    # Jan 31, then Feb 28 (clamped) and Mar 31: three cycles begun
    assert [i.period_start.date().isoformat() for i in invoices] == ["2026-01-31", "2026-02-28", "2026-03-31"]
    first = invoices[0]
    assert (first.seats_billed, first.unit_price_cents, first.gross_cents) == (3, 4100, 12300)
    assert first.discount_percent == 25 and first.total_cents == 9225 and first.savings_cents == 3075
    assert due_invoices(used, NOW + timedelta(days=62), issued={1, 2, 3}) == []
    assert due_invoices(replace(used, seats_used=9), NOW, set())[0].seats_billed == 5  # never over subscribed


def test_money_rounds_half_up_to_the_cent() -> None:
    assert percent_of(1005, 20) == 201  # 200.999... -> 201
    assert percent_of(1002, 25) == 251  # 250.5 -> 251
    assert after_discount(999, 20) == 799
    with pytest.raises(ValueError, match="non-negative"):
        percent_of(-1, 20)
