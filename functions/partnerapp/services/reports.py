"""Counts, the licenses report, the summary and the CSV search of a partner's licenses."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from partnerapp import catalog
from partnerapp.domain.errors import InvalidValue
from partnerapp.domain.licenses import License
from partnerapp.domain.management import add_months
from partnerapp.domain.money import dollars_text
from partnerapp.domain.timestamps import to_wire
from partnerapp.store.listing import LicenseListing, ListFilter

CSV_COLUMNS = (
    "License ID", "Managed by", "Status", "Client name", "Client email", "Client identifier", "Created",
    "Product", "Credit card", "Card problem", "Commission level", "Discount level", "Total earnings",
    "Total savings",
)  # fmt: skip
# Card problems are the card provider's to know; no card is charged here, so never any.
NO_CARD_PROBLEM = ""
MAX_REPORT_PERIODS = 400

COUNT_KEYS = {"trial": "trials", "paid": "paid", "expired": "expired"}


def count_by_status(listing: LicenseListing, where: ListFilter) -> dict[str, int]:
    """`{trials, paid, expired}` among the licenses `where` selects (its window included)."""
    return {name: listing.count(replace(where, status=status)) for status, name in COUNT_KEYS.items()}


def summary(listing: LicenseListing, where: ListFilter) -> dict[str, str]:
    """The Text API's solution summary, its values written as the docs write them (strings):
    counts by status, and commission earned and discount saved to date, in dollars."""
    counts = count_by_status(listing, where)
    licenses = list(listing.all(where))
    commission = sum(item.total_earnings_cents for item in licenses)
    discount = sum(item.total_savings_cents for item in licenses)
    return {
        **{name: str(count) for name, count in counts.items()},
        "commission": dollars_text(commission),
        "discount": dollars_text(discount),
    }


def _reached_at(item: License, status: str) -> datetime | None:
    """When a license reached a status: its trial began, it converted, it expired."""
    if status == "trial":
        return item.created_at
    if status == "paid":
        return item.conversion_timestamp
    return item.expired_at


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


def license_report(
    licenses: Iterable[License], status: str, aggregation: str, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """One item per period overlapping the window (whole periods, as the docs show them),
    counting the licenses that reached `status` inside the window."""
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
    totals = [0] * len(periods)
    for item in licenses:
        reached = _reached_at(item, status)
        if reached is None or not start <= reached <= end:
            continue
        index = next(n for n, (first, after) in enumerate(periods) if first <= reached < after)
        totals[index] += 1
    return [
        {"date_range": {"from": to_wire(first), "to": to_wire(after - timedelta(seconds=1))}, "total": total}
        for (first, after), total in zip(periods, totals, strict=True)
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
