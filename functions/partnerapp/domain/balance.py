"""What a partner may withdraw (the Text API's "Get Balance"), from three kept figures.

Holding rule: a payment's commission is `pending` for HOLD (30 days) after the payment, so
that a refund or a chargeback inside that window can still cancel it; then it is
`available`. A withdrawal moves its amount to `withdrawn` when requested (status pending or
paid); a rejected one gives it back. So `total` = pending + withdrawn + available = every
commission ever earned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

HOLD = timedelta(days=30)
MINIMUM_WITHDRAWAL_CENTS = 5000  # the docs' "not enough money to withdraw (min. $50)"


@dataclass(frozen=True)
class Balance:
    total_cents: int  # every commission earned, all time
    pending_cents: int  # commission earned within HOLD of now
    withdrawn_cents: int  # withdrawals requested or paid (not rejected)

    @property
    def available_cents(self) -> int:
        return self.total_cents - self.pending_cents - self.withdrawn_cents
