"""A partner's earnings over a period: the commission on customer-managed licenses' payments
and the discount saved on partner-managed licenses' invoices, by month and by license.

Each amount was rounded once, when its payment or invoice was recorded (`money`); here they
are only added up, so the totals equal the sum of the rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

COMMISSION = "commission"
SAVINGS = "savings"
KINDS = (COMMISSION, SAVINGS)


@dataclass(frozen=True)
class EarningRecord:
    at: datetime  # a payment's time, or the start of an invoiced period
    license_id: int
    product: str
    kind: str  # COMMISSION or SAVINGS
    cents: int


@dataclass
class Totals:
    commission_cents: int = 0
    savings_cents: int = 0

    @property
    def total_cents(self) -> int:
        return self.commission_cents + self.savings_cents

    def add(self, record: EarningRecord) -> None:
        if record.kind == COMMISSION:
            self.commission_cents += record.cents
        else:
            self.savings_cents += record.cents


@dataclass
class LicenseTotals:
    license_id: int
    product: str
    totals: Totals = field(default_factory=Totals)


@dataclass
class EarningsReport:
    date_from: date
    date_to: date
    totals: Totals
    months: dict[str, Totals]  # "YYYY-MM" -> totals, every month of the period, in order
    licenses: list[LicenseTotals]  # licenses that earned something, highest total first


def months_between(start: date, end: date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def summarize(records: Iterable[EarningRecord], date_from: date, date_to: date) -> EarningsReport:
    totals = Totals()
    months = {month: Totals() for month in months_between(date_from, date_to)}
    licenses: dict[int, LicenseTotals] = {}
    for record in records:
        if not date_from <= record.at.date() <= date_to:
            continue
        totals.add(record)
        months[record.at.strftime("%Y-%m")].add(record)
        licenses.setdefault(record.license_id, LicenseTotals(record.license_id, record.product)).totals.add(
            record
        )
    ranked = sorted(licenses.values(), key=lambda row: (-row.totals.total_cents, row.license_id))
    return EarningsReport(date_from, date_to, totals, months, ranked)


# --- the Text API's earnings summary and commission report --------------------------------


@dataclass
class ProductEarnings:
    """One product's all-time figures: savings on invoices (the docs' `discount`) and commission."""

    discount_cents: int = 0
    commission_cents: int = 0
    commission_last_30_days_cents: int = 0


def by_product(
    records: Iterable[EarningRecord], products: Iterable[str], recent_since: datetime
) -> dict[str, ProductEarnings]:
    """Each product's totals; commission dated `recent_since` or later is also "last 30 days"."""
    found = {product: ProductEarnings() for product in products}
    for record in records:
        row = found.setdefault(record.product, ProductEarnings())
        if record.kind == SAVINGS:
            row.discount_cents += record.cents
            continue
        row.commission_cents += record.cents
        if record.at >= recent_since:
            row.commission_last_30_days_cents += record.cents
    return found


DAY, WEEK, MONTH = "day", "week", "month"
AGGREGATIONS = (DAY, WEEK, MONTH)


@dataclass(frozen=True)
class Bucket:
    """One row of a report: a whole day, week (Monday to Sunday) or calendar month, and the
    commission earned in it within the asked window."""

    start: datetime
    end: datetime  # its last second
    cents: int


def bucket_start(moment: datetime, aggregation: str) -> datetime:
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if aggregation == WEEK:
        return day - timedelta(days=day.weekday())
    if aggregation == MONTH:
        return day.replace(day=1)
    return day


def next_bucket(start: datetime, aggregation: str) -> datetime:
    if aggregation == MONTH:
        return (
            start.replace(year=start.year + 1, month=1)
            if start.month == 12
            else start.replace(month=start.month + 1)
        )
    return start + timedelta(days=7 if aggregation == WEEK else 1)


def commission_buckets(
    records: Iterable[EarningRecord], start: datetime, end: datetime, aggregation: str
) -> list[Bucket]:
    """Every bucket from the one holding `start` to the one holding `end`, in order, each with
    the commission of the records from `start` to `end` (both included) that fall in it."""
    edges: list[datetime] = []
    cursor = bucket_start(start, aggregation)
    while cursor <= end:
        edges.append(cursor)
        cursor = next_bucket(cursor, aggregation)
    cents = dict.fromkeys(edges, 0)
    for record in records:
        if record.kind == COMMISSION and start <= record.at <= end:
            cents[bucket_start(record.at, aggregation)] += record.cents
    return [
        Bucket(edge, next_bucket(edge, aggregation) - timedelta(seconds=1), cents[edge]) for edge in edges
    ]
