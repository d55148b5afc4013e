"""A partner's earnings report for a period, for the API and the help center's page."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from partnerapp.domain.earnings import EarningsReport, summarize
from partnerapp.settings import Settings
from partnerapp.store.earnings import EarningsLedger


class EarningsReader:
    def __init__(self, settings: Settings) -> None:
        self._ledger = EarningsLedger(settings)

    def report(self, partner_id: str, date_from: date, date_to: date) -> EarningsReport:
        start = datetime.combine(date_from, time.min, UTC)
        end = datetime.combine(date_to, time(23, 59, 59), UTC)
        return summarize(self._ledger.records(partner_id, start, end), date_from, date_to)
