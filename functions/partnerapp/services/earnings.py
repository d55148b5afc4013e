"""A partner's earnings, for the API and the help center's page: the report by month and by
license, the Text API's summary (`GET /earnings`) and its commission report."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from partnerapp import catalog
from partnerapp.domain.earnings import (
    Bucket,
    EarningsReport,
    ProductEarnings,
    by_product,
    commission_buckets,
    summarize,
)
from partnerapp.settings import Settings
from partnerapp.store.earnings import EarningsLedger

# Before any record of this project: "all time" is one Query on the index from here.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
RECENT = timedelta(days=30)


class EarningsReader:
    def __init__(self, settings: Settings) -> None:
        self._ledger = EarningsLedger(settings)

    def report(self, partner_id: str, date_from: date, date_to: date) -> EarningsReport:
        start = datetime.combine(date_from, time.min, UTC)
        end = datetime.combine(date_to, time(23, 59, 59), UTC)
        return summarize(self._ledger.records(partner_id, start, end), date_from, date_to)

    def by_product(self, partner_id: str, now: datetime) -> dict[str, ProductEarnings]:
        """Every product's savings and commission up to `now`, and its last 30 days' commission."""
        records = self._ledger.records(partner_id, EPOCH, now)
        return by_product(records, catalog.PRODUCTS, now - RECENT)

    def commission(
        self,
        partner_id: str,
        start: datetime,
        end: datetime,
        aggregation: str,
        products: frozenset[str] | None = None,
    ) -> list[Bucket]:
        """The commission report: one bucket per day, week or month of the window, of the
        given products only (all when None; none: every bucket is zero)."""
        records = self._ledger.records(partner_id, start, end) if products != frozenset() else []
        wanted = [r for r in records if products is None or r.product in products]
        return commission_buckets(wanted, start, end, aggregation)
