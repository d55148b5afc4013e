"""A partner's request to be paid what is available (the Text API's "Request Withdrawal"),
and its life: `pending` until an operator pays or rejects it (`partnerapp withdrawals
set-status`); a rejected one gives its amount back to `available`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from partnerapp.domain.balance import MINIMUM_WITHDRAWAL_CENTS, Balance
from partnerapp.domain.errors import Conflict, RuleViolation
from partnerapp.domain.money import dollars_text

PENDING, PAID, REJECTED = "pending", "paid", "rejected"
STATUSES = (PENDING, PAID, REJECTED)
DECIDED = (PAID, REJECTED)  # what an operator may set a pending withdrawal to


@dataclass(frozen=True)
class Withdrawal:
    withdrawal_id: int  # the partner's own numbering: 1, 2, ...
    requested_at: datetime
    amount_cents: int
    paypal: str  # where it is paid: the payout details' PayPal login when requested
    invoice_id: str
    status: str = PENDING
    action_at: datetime | None = None  # when it was paid or rejected


def invoice_id(partner_id: str, number: int, at: datetime) -> str:
    """`<year>/<number>/<partner id>`, the shape of the docs' `2018/2/xyz`."""
    return f"{at.year}/{number}/{partner_id}"


def requested(
    partner_id: str, number: int, balance: Balance, paypal: str | None, now: datetime
) -> Withdrawal:
    """A withdrawal of everything available, or why not: without payout details (the docs'
    409) or below the minimum (the docs' 403)."""
    if paypal is None:
        raise Conflict("No payout details yet: set them with PUT /v2/partners/billing first.")
    if balance.available_cents < MINIMUM_WITHDRAWAL_CENTS:
        raise RuleViolation(
            f"Not enough money to withdraw: ${dollars_text(balance.available_cents)} is available, "
            f"the minimum is ${dollars_text(MINIMUM_WITHDRAWAL_CENTS)}."
        )
    return Withdrawal(number, now, balance.available_cents, paypal, invoice_id(partner_id, number, now))


def decided(withdrawal: Withdrawal, status: str, now: datetime) -> Withdrawal:
    if status not in DECIDED:
        raise RuleViolation(f"A withdrawal can be set to {' or '.join(DECIDED)}.")
    if withdrawal.status != PENDING:
        raise Conflict(f"Withdrawal {withdrawal.withdrawal_id} is {withdrawal.status} already.")
    return replace(withdrawal, status=status, action_at=now)
