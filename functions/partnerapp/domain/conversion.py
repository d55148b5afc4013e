"""What the billing system reports, as pure rules: a customer subscribed (the trial converts)
and a payment was recorded (the partner's commission, on a customer-managed license).

A partner-managed license earns its partner the discount on every invoice instead
(`billing.due_invoices`): a payment recorded on it earns no commission.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from partnerapp import catalog
from partnerapp.domain import history
from partnerapp.domain.history import HistoryEntry
from partnerapp.domain.licenses import License
from partnerapp.domain.management import Outcome
from partnerapp.domain.money import percent_of
from partnerapp.domain.payments import Payment

SUBSCRIPTION_CREATED = "subscription.created"
PAYMENT_SUCCEEDED = "payment.succeeded"
EVENT_TYPES: tuple[str, ...] = (SUBSCRIPTION_CREATED, PAYMENT_SUCCEEDED)


def convert(item: License, at: datetime, now: datetime) -> Outcome:
    """The customer subscribed at `at`: a trial (or an expired one) becomes paid. A license
    that is paid already stays as it is; its first conversion time is kept."""
    if item.status == "paid":
        return Outcome(item, ())
    changed = replace(
        item,
        status="paid",
        paid=True,
        cc_added=item.cc_added or not catalog.partner_manages(item.payment_origin),
        conversion_timestamp=item.conversion_timestamp or at,
        expired_at=None,
    )
    entry = HistoryEntry(
        now, history.BILLING, history.CONVERTED, {"payment_origin": item.payment_origin, "at": at}
    )
    return Outcome(changed, (entry,))


def record_payment(
    item: License, payment_id: str, amount_cents: int, paid_at: datetime, now: datetime
) -> Outcome:
    """A payment converts the license if it was not yet (events may arrive out of order) and
    earns the commission the license's payment origin gives, rounded by `money.percent_of`."""
    converted = convert(item, paid_at, now)
    percent = item.commission_percent
    commission = percent_of(amount_cents, percent)
    payment = Payment(payment_id, paid_at, amount_cents, percent, commission)
    changed = replace(converted.license, total_earnings_cents=item.total_earnings_cents + commission)
    entry = HistoryEntry(
        now,
        history.BILLING,
        history.PAYMENT_RECORDED,
        {"payment_id": payment_id, "amount_cents": amount_cents, "commission_cents": commission},
    )
    return Outcome(changed, (*converted.entries, entry), payments=(payment,))
