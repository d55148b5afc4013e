"""The earnings report on the wire: its period (query string) and its totals."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import Schema, ValidationError, fields, validates_schema

from partnerapp import catalog
from partnerapp.domain.earnings import EarningsReport, Totals

MAX_MONTHS = 60
DEFAULT_MONTHS = 12


class EarningsQuerySchema(Schema):
    """`date_from` and `date_to` (`YYYY-MM-DD`, both included); the last 12 months by default."""

    date_from = fields.Date(format="%Y-%m-%d", metadata={"description": "First day of the period."})
    date_to = fields.Date(format="%Y-%m-%d", metadata={"description": "Last day of the period (included)."})

    @validates_schema
    def period_is_sensible(self, data: dict[str, Any], **_: Any) -> None:
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError({"date_from": ["Must be on or before date_to."]})
        if start and end and _months(start, end) > MAX_MONTHS:
            raise ValidationError({"date_from": [f"The period may span at most {MAX_MONTHS} months."]})


def _months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def period(query: dict[str, Any], today: date) -> tuple[date, date]:
    """The loaded query's period, defaults filled in: up to today, from the first day of the
    month 11 months before (12 calendar months)."""
    end: date = query.get("date_to") or today
    start: date | None = query.get("date_from")
    if start is None:
        month_index = end.year * 12 + end.month - 1 - (DEFAULT_MONTHS - 1)
        start = date(month_index // 12, month_index % 12 + 1, 1)
    if start > end:
        raise ValidationError({"date_from": ["Must be on or before date_to."]})
    if _months(start, end) > MAX_MONTHS:
        raise ValidationError({"date_from": [f"The period may span at most {MAX_MONTHS} months."]})
    return start, end


def _totals(totals: Totals) -> dict[str, int]:
    return {
        "commission_cents": totals.commission_cents,
        "savings_cents": totals.savings_cents,
        "total_cents": totals.total_cents,
    }


def dump_earnings(report: EarningsReport) -> dict[str, Any]:
    return {
        "date_from": report.date_from.isoformat(),
        "date_to": report.date_to.isoformat(),
        "currency": catalog.CURRENCY,
        "commission_percent": catalog.PARTNER_COMMISSION_PERCENT,
        "discount_percent": catalog.PARTNER_DISCOUNT_PERCENT,
        "totals": _totals(report.totals),
        "months": [{"month": month, **_totals(totals)} for month, totals in report.months.items()],
        "licenses": [
            {"license": row.license_id, "product": row.product, **_totals(row.totals)}
            for row in report.licenses
        ],
    }
