"""A partner's balance (domain/balance.py) from kept figures: the all-time commission total,
the commission of the holding window (one Query per region on the earnings index, bounded
by HOLD), and what withdrawals took. Never a read of every payment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from partnerapp.domain.balance import HOLD, Balance
from partnerapp.domain.earnings import COMMISSION
from partnerapp.settings import Settings
from partnerapp.store.commission_totals import CommissionTotals
from partnerapp.store.earnings import EarningsLedger
from partnerapp.store.withdrawals import WithdrawalStore

# A payment the billing system dated ahead of our clock is still pending, not available.
FOREVER = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


class BalanceReader:
    def __init__(self, settings: Settings) -> None:
        self._totals = CommissionTotals(settings)
        self._ledger = EarningsLedger(settings)
        self._withdrawals = WithdrawalStore(settings)

    def balance(self, partner_id: str, now: datetime) -> Balance:
        held_since = now - HOLD + timedelta(seconds=1)  # a payment exactly HOLD ago is available
        recent = self._ledger.records(partner_id, held_since, FOREVER)
        return Balance(
            total_cents=self._totals.total_cents(partner_id),
            pending_cents=sum(r.cents for r in recent if r.kind == COMMISSION),
            withdrawn_cents=self._withdrawals.withdrawn_cents(partner_id),
        )
