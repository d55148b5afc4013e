"""A payment the billing system recorded on a license, and what the partner earned on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Payment:
    payment_id: str  # the billing event's id: one payment per event
    paid_at: datetime
    amount_cents: int
    commission_percent: int
    commission_cents: int
