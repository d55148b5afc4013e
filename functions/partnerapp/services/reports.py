"""Counts, the licenses report and the summary (from the kept counts, store/tallies.py, never
from the licenses), and the CSV search of a partner's licenses."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from partnerapp import catalog
from partnerapp.domain import tallies
from partnerapp.domain.errors import InvalidValue
from partnerapp.domain.licenses import License
from partnerapp.domain.management import add_months
from partnerapp.domain.money import dollars_text
from partnerapp.domain.timestamps import to_wire
from partnerapp.store.tallies import TallyReader

CSV_COLUMNS = (
    "License ID", "Managed by", "Status", "Client name", "Client email", "Client identifier", "Created",
    "Product", "Credit card", "Card problem", "Commission level", "Discount level", "Total earnings",
    "Total savings",
)  # fmt: skip
# Card problems are the card provider's to know; no card is charged here, so never any.
NO_CARD_PROBLEM = ""
MAX_REPORT_PERIODS = 400

COUNT_KEYS = {"trial": "trials", "paid": "paid", "expired": "expired"}
# An open end of a window: no license is older or newer than these.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def count_by_status(
    reader: TallyReader, partner_id: str, start: datetime | None, end: datetime | None
) -> dict[str, int]:
    """`{trials, paid, expired}` among the licenses created from `start` to `end` (both
    included; either may be open), from the kept counts."""
    if start is None and end is None:
        totals = reader.totals(partner_id)
        return {name: _status_total(totals, status) for status, name in COUNT_KEYS.items()}
    counts = reader.per_day(partner_id, tallies.CREATED, start or EARLIEST, end or LATEST)
    by_status = Counter[str]()
    for (_, _, status), count in counts.items():
        by_status[status] += count
    return {name: by_status[status] for status, name in COUNT_KEYS.items()}


def _status_total(totals: Counter[str], status: str) -> int:
    return sum(totals[tallies.count_name(product, status)] for product in catalog.PRODUCTS)


def summary(reader: TallyReader, partner_id: str) -> dict[str, str]:
    """The Text API's solution summary, its values written as the docs write them (strings):
    counts by status, and commission earned and discount saved to date, in dollars."""
    totals = reader.totals(partner_id)
    return {
        **{name: str(_status_total(totals, status)) for status, name in COUNT_KEYS.items()},
        "commission": dollars_text(totals[tallies.COMMISSION]),
        "discount": dollars_text(totals[tallies.SAVINGS]),
    }


def period_start(moment: datetime, aggregation: str) -> datetime:
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if aggregation == "week":
        return day - timedelta(days=day.weekday())  # weeks run Monday to Sunday
    if aggregation == "month":
        return day.replace(day=1)
    return day


def next_period(start: datetime, aggregation: str) -> datetime:
    if aggregation == "day":
        return start + timedelta(days=1)
    if aggregation == "week":
        return start + timedelta(days=7)
    return add_months(start, 1)


def report_periods(aggregation: str, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Every whole period overlapping the window (as the docs show them): (first, after)."""
    periods = []
    cursor = period_start(start, aggregation)
    while cursor <= end:
        periods.append((cursor, next_period(cursor, aggregation)))
        cursor = periods[-1][1]
        if len(periods) > MAX_REPORT_PERIODS:
            raise InvalidValue(
                "The window holds too many periods.",
                {"date_from": [f"At most {MAX_REPORT_PERIODS} periods of the aggregation."]},
            )
    return periods


def license_report(
    reader: TallyReader, partner_id: str, status: str, aggregation: str, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """One item per period overlapping the window, counting the licenses that reached
    `status` inside the window (a trial at creation, paid at conversion, expired at expiry)."""
    periods = report_periods(aggregation, start, end)
    per_day = Counter[date]()
    for (day, _, reached), count in reader.per_day(partner_id, tallies.REACHED, start, end).items():
        if reached == status:
            per_day[day] += count
    return [
        {
            "date_range": {"from": to_wire(first), "to": to_wire(after - timedelta(seconds=1))},
            "total": sum(n for day, n in per_day.items() if first.date() <= day < after.date()),
        }
        for first, after in periods
    ]


def _field_value(item: License, field: str) -> str | None:
    if field == "credit_card":
        return "yes" if item.cc_added else None
    if field == "license_product":
        return item.product
    if field == "license_status":
        return item.status
    if field == "payment_origin":
        return item.payment_origin
    if field == "license_created_at":
        return to_wire(item.created_at)
    # license_details: the free-text details a partner searches in
    details = [
        item.client_name,
        item.client_email,
        item.identifier,
        item.purchase_order,
        item.organization_name,
    ]
    return " ".join(d for d in details if d) or None


def _matches(value: str | None, operator: str, wanted: str | None) -> bool:
    if operator == "exists":  # the docs' `{"operator": "exists", "value": "no"}`: absent
        return bool(value) != ((wanted or "yes").lower() == "no")
    if value is None or wanted is None:
        return False
    comparisons: dict[str, Callable[[str, str], bool]] = {
        "equals": lambda v, w: v.lower() == w.lower(),
        "contains": lambda v, w: w.lower() in v.lower(),
        "greater_or_equal": lambda v, w: v >= w,
        "lesser_or_equal": lambda v, w: v <= _end_of_day(w),
    }
    return comparisons[operator](value, wanted)


def _end_of_day(value: str) -> str:
    """A bare date compares as its whole day."""
    return f"{value} 23:59:59" if len(value) == 10 else value


def matches_all(item: License, filters: list[dict[str, Any]]) -> bool:
    return all(_matches(_field_value(item, f["field"]), f["operator"], f.get("value")) for f in filters)


def csv_row(item: License) -> list[str]:
    return [
        str(item.license_id),
        item.payment_origin,  # "partner" or "client", as the docs' example row
        item.status,
        item.client_name,
        item.client_email,
        item.identifier or "",
        to_wire(item.created_at),
        catalog.PRODUCTS[item.product].name,
        "yes" if item.cc_added else "no",
        NO_CARD_PROBLEM,
        dollars_text(item.commission_percent * 100),  # a level: 20 percent is "20.00"
        dollars_text(item.discount_percent * 100),
        dollars_text(item.total_earnings_cents),
        dollars_text(item.total_savings_cents),
    ]


def _safe(cell: str) -> str:
    """Cells a spreadsheet would run as a formula are prefixed with a quote (CSV injection)."""
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def licenses_csv(licenses: Iterable[License], filters: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in licenses:
        if matches_all(item, filters):
            writer.writerow([_safe(cell) for cell in csv_row(item)])
    return out.getvalue()
