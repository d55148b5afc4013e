"""Withdrawals: a partner's request (`POST /v2/partners/withdrawals`) and an operator's
decision (`partnerapp withdrawals set-status`), each one transaction with its email
(store/withdrawals.py), each read again and decided anew when the balance moved meanwhile."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from partnerapp.domain import withdrawals
from partnerapp.domain.balance import Balance
from partnerapp.domain.errors import Conflict, NotFound
from partnerapp.domain.timestamps import Clock
from partnerapp.domain.withdrawals import Withdrawal
from partnerapp.mail.withdrawals import KIND
from partnerapp.services.balance import BalanceReader
from partnerapp.settings import Settings
from partnerapp.store.payouts import PayoutStore
from partnerapp.store.summaries import mail_values
from partnerapp.store.withdrawals import BalanceChanged, WithdrawalStore

ATTEMPTS = 5


def _mail(partner_id: str, withdrawal: Withdrawal) -> dict[str, Any]:
    figures = {
        k: v for k, v in asdict(withdrawal).items() if k in ("withdrawal_id", "status", "amount_cents")
    }
    figures["invoice_id"] = withdrawal.invoice_id
    period = f"{withdrawal.withdrawal_id:08d}-{withdrawal.status}"
    return mail_values(partner_id, KIND, period, figures, withdrawal.action_at or withdrawal.requested_at)


class Withdrawals:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self._settings = settings
        self._store = WithdrawalStore(settings)
        self._payouts = PayoutStore(settings)
        self._balances = BalanceReader(settings)
        self._clock = clock

    def request(self, partner_id: str) -> Withdrawal:
        """Everything available, as one withdrawal, or a RuleViolation / Conflict saying why not."""
        for _ in range(ATTEMPTS):
            now = self._clock()
            seen = self._store.withdrawn(partner_id)
            earned = self._balances.balance(partner_id, now)
            balance = Balance(earned.total_cents, earned.pending_cents, seen.withdrawn_cents)
            payout = self._payouts.get(partner_id)
            paypal = payout.paypal if payout is not None else None
            wanted = withdrawals.requested(partner_id, seen.last_number + 1, balance, paypal, now)
            mail = _mail(partner_id, wanted)
            try:
                self._store.request(partner_id, seen, wanted, mail)
            except BalanceChanged:
                continue  # another request took it meanwhile: what is left decides
            self._send_now(mail)
            return wanted
        raise Conflict("The balance kept changing; try again.")

    def decide(self, partner_id: str, number: int, status: str) -> Withdrawal:
        """Set a pending withdrawal `paid` or `rejected`; setting it again to what it is
        already is answered as done (an operator's repeat), anything else is a Conflict."""
        before = self._store.get(partner_id, number)
        if before is None:
            raise NotFound(f"No withdrawal {number} for this partner.")
        if before.status == status and status in withdrawals.DECIDED:
            return before
        after = withdrawals.decided(before, status, self._clock())
        mail = _mail(partner_id, after)
        try:
            self._store.decide(partner_id, before, after, mail)
        except BalanceChanged:
            now = self._store.get(partner_id, number)
            if now is not None and now.status == status:
                return now  # a concurrent run of the same decision
            raise Conflict(f"Withdrawal {number} changed meanwhile; look again.") from None
        self._send_now(mail)
        return after

    def _send_now(self, mail: dict[str, Any]) -> None:
        """The email the write just queued goes out now, not at the next lifecycle run; if
        SES refuses, it stays queued and that run retries it (services/summaries.py)."""
        from partnerapp.services.summaries import SummaryJob

        job = SummaryJob(self._settings)
        job.deliver_now(mail["partner_id"], mail["kind"], mail["period"], self._clock())

    def listed(self, partner_id: str, date_from: date | None, date_to: date | None) -> list[Withdrawal]:
        return self._store.listed(partner_id, date_from, date_to)
