"""Invoices of a partner-managed subscription: seats actually used times the plan price, less the
partner's discount. The system computes them; no card data is ever taken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from partnerapp import catalog
from partnerapp.domain.licenses import License
from partnerapp.domain.management import cycle_starts
from partnerapp.domain.money import after_discount


@dataclass(frozen=True)
class Invoice:
    number: int  # 1 for the first cycle
    period_start: datetime
    plan: str
    billing_cycle: str
    seats_billed: int
    unit_price_cents: int
    discount_percent: int
    gross_cents: int
    total_cents: int
    # The subscription's seats when issued; None on invoices issued before it was kept.
    seats_subscribed: int | None = None

    @property
    def savings_cents(self) -> int:
        return self.gross_cents - self.total_cents


def due_invoices(item: License, now: datetime, issued: set[int]) -> list[Invoice]:
    """Invoices for cycles that have begun and were not issued yet. Seats billed are the seats
    used when the invoice is issued (accepted invitations), never more than subscribed."""
    subscription = item.subscription
    if subscription is None or not catalog.partner_manages(item.payment_origin):
        return []
    invoices = []
    for number, start in enumerate(cycle_starts(subscription, now), start=1):
        if number in issued:
            continue
        seats = min(item.seats_used, subscription.seats)
        unit = catalog.plan_price_cents(subscription.plan, subscription.billing_cycle)
        gross = seats * unit
        invoices.append(
            Invoice(
                number,
                start,
                subscription.plan,
                subscription.billing_cycle,
                seats,
                unit,
                item.discount_percent,
                gross,
                after_discount(gross, item.discount_percent),
                subscription.seats,
            )
        )
    return invoices


ISSUED = "issued"
PAID = "paid"


def invoice_statuses(invoices: list[Invoice], paid_cents: int) -> dict[int, str]:
    """`paid` for each invoice the payments the billing system reported cover, oldest invoice
    first (payments settle the oldest debt); `issued` from the first one they do not."""
    statuses: dict[int, str] = {}
    left, settled = paid_cents, True
    for invoice in sorted(invoices, key=lambda i: i.number):
        settled = settled and invoice.total_cents <= left
        left -= invoice.total_cents if settled else 0
        statuses[invoice.number] = PAID if settled else ISSUED
    return statuses


def annual_recurring_cents(item: License) -> int:
    """What a renewing partner-managed subscription bills in a year, by the invoices' rule
    (billed seats x plan price, less the discount); 0 when nothing renews or the customer
    manages the subscription (theirs is not seen here)."""
    subscription = item.subscription
    if (
        subscription is None
        or subscription.ends_at is not None
        or not catalog.partner_manages(item.payment_origin)
    ):
        return 0
    per_cycle = min(item.seats_used, subscription.seats) * catalog.plan_price_cents(
        subscription.plan, subscription.billing_cycle
    )
    cycles_per_year = 12 // catalog.BILLING_CYCLES[subscription.billing_cycle]
    return after_discount(per_cycle, item.discount_percent) * cycles_per_year
