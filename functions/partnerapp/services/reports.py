"""Counts and the CSV search of a partner's licenses."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any

from partnerapp import catalog
from partnerapp.domain.licenses import License
from partnerapp.domain.timestamps import to_wire
from partnerapp.store.listing import LicenseListing, ListFilter

CSV_COLUMNS = (
    "License ID", "Managed by", "Status", "Client name", "Client email", "Client identifier", "Created",
    "Product", "Commission level", "Discount level", "Total earnings", "Total savings",
)  # fmt: skip

COUNT_KEYS = {"trial": "trials", "paid": "paid", "expired": "expired"}


def count_by_status(listing: LicenseListing, partner_id: str) -> dict[str, int]:
    return {name: listing.count(ListFilter(partner_id, status=status)) for status, name in COUNT_KEYS.items()}


def _field_value(item: License, field: str) -> str | None:
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
    if operator == "exists":
        return bool(value)
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


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def csv_row(item: License) -> list[str]:
    return [
        str(item.license_id),
        "Partner" if catalog.partner_manages(item.payment_origin) else "Client",
        item.status,
        item.client_name,
        item.client_email,
        item.identifier or "",
        to_wire(item.created_at),
        catalog.PRODUCTS[item.product].name,
        f"{item.commission_percent}%",
        f"{item.discount_percent}%",
        _money(item.total_earnings_cents),
        _money(item.total_savings_cents),
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
