"""A partner's earnings over a period: the commission on customer-managed licenses' payments
and the discount saved on partner-managed licenses' invoices, by month and by license.

Each amount was rounded once, when its payment or invoice was recorded (`money`); here they
are only added up, so the totals equal the sum of the rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

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
