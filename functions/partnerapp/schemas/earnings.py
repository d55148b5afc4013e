"""Earnings on the wire: the Text API's summary (`GET /earnings`) and commission report
(`GET /reports/commission`), and this project's report by month and by license
(`GET /earnings/by-month`). Money is integer cents inside and dollars on the documented
fields (`Dollars`); every answer is dumped through its schema here."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from partnerapp import catalog
from partnerapp.domain.balance import Balance
from partnerapp.domain.earnings import AGGREGATIONS, Bucket, EarningsReport, ProductEarnings, Totals
from partnerapp.schemas import descriptions
from partnerapp.schemas.fields import Dollars, WireTime

MAX_MONTHS = 60
DEFAULT_MONTHS = 12
QUERY_MOMENT = "%Y-%m-%dT%H:%M:%SZ"
MAX_REPORT_DAYS = 5 * 366  # a day-by-day report of five years at most


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


# --- GET /earnings/by-month (this project's addition) -------------------------------------


class TotalsSchema(Schema):
    commission_cents = fields.Integer(required=True)
    savings_cents = fields.Integer(required=True)
    total_cents = fields.Integer(required=True)


class MonthTotalsSchema(TotalsSchema):
    month = fields.String(required=True, metadata={"description": "`YYYY-MM`."})


class LicenseTotalsSchema(TotalsSchema):
    license = fields.Integer(required=True)
    product = fields.String(required=True, metadata={"description": descriptions.PRODUCT})


class EarningsByMonthSchema(Schema):
    date_from = fields.Date(required=True, metadata={"description": "First day of the period."})
    date_to = fields.Date(required=True, metadata={"description": "Last day of the period (included)."})
    currency = fields.String(required=True)
    commission_percent = fields.Integer(required=True)
    discount_percent = fields.Integer(required=True)
    totals = fields.Nested(TotalsSchema, required=True)
    months = fields.List(fields.Nested(MonthTotalsSchema), required=True)
    licenses = fields.List(fields.Nested(LicenseTotalsSchema), required=True)


def _totals(totals: Totals) -> dict[str, int]:
    return {
        "commission_cents": totals.commission_cents,
        "savings_cents": totals.savings_cents,
        "total_cents": totals.total_cents,
    }


def dump_earnings(report: EarningsReport) -> dict[str, Any]:
    dumped: dict[str, Any] = EarningsByMonthSchema().dump(
        {
            "date_from": report.date_from,
            "date_to": report.date_to,
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
    )
    return dumped


# --- GET /earnings (the Text API's summary) -----------------------------------------------


class CommissionSchema(Schema):
    commission_total = Dollars(required=True)
    commission_last_30_days = Dollars(required=True)


class SolutionProductSchema(CommissionSchema):
    discount = Dollars(
        required=True, metadata={"description": "Saved on the invoices of partner-managed licenses."}
    )


class AffiliateEarningsSchema(CommissionSchema):
    """The Affiliate program is not part of this project: always zero here."""

    livechat = fields.Nested(CommissionSchema, required=True)
    chatbot = fields.Nested(CommissionSchema, required=True)
    partner_program = fields.Nested(CommissionSchema, required=True)


class SolutionEarningsSchema(CommissionSchema):
    livechat = fields.Nested(SolutionProductSchema, required=True)
    chatbot = fields.Nested(SolutionProductSchema, required=True)


class EarningsSchema(CommissionSchema):
    balance = Dollars(
        required=True,
        metadata={"description": "What you may withdraw now: `available` of GET /v2/partners/balance."},
    )
    blocked = Dollars(required=True, metadata={"description": "Always 0 here: nothing is blocked."})
    withdrawals = Dollars(
        required=True,
        metadata={"description": "Withdrawals requested or paid: `withdrawn` of GET /v2/partners/balance."},
    )
    pending = Dollars(
        required=True,
        metadata={"description": "Commission still held (30 days): `pending` of GET /v2/partners/balance."},
    )
    affiliate = fields.Nested(AffiliateEarningsSchema, required=True)
    solution = fields.Nested(SolutionEarningsSchema, required=True)


def _zero_commission() -> dict[str, int]:
    return {"commission_total": 0, "commission_last_30_days": 0}


def dump_earnings_summary(products: dict[str, ProductEarnings], balance: Balance) -> dict[str, Any]:
    """The docs' Get Earnings: commission from the records, and the balance's own figures
    (services/balance.py), so this and `GET /v2/partners/balance` never disagree."""
    solution_products = {
        product: {
            "discount": row.discount_cents,
            "commission_total": row.commission_cents,
            "commission_last_30_days": row.commission_last_30_days_cents,
        }
        for product, row in products.items()
        if product in catalog.PRODUCTS
    }
    total = sum(row["commission_total"] for row in solution_products.values())
    recent = sum(row["commission_last_30_days"] for row in solution_products.values())
    affiliate = {
        **_zero_commission(),
        **{p: _zero_commission() for p in ("livechat", "chatbot", "partner_program")},
    }
    dumped: dict[str, Any] = EarningsSchema().dump(
        {
            "balance": balance.available_cents,
            "blocked": 0,
            "commission_total": total,
            "commission_last_30_days": recent,
            "withdrawals": balance.withdrawn_cents,
            "pending": balance.pending_cents,
            "affiliate": affiliate,
            "solution": {"commission_total": total, "commission_last_30_days": recent, **solution_products},
        }
    )
    return dumped


# --- GET /reports/commission --------------------------------------------------------------


class QueryMoment(fields.Field[datetime]):
    """A moment in a query: `YYYY-MM-DDTHH:mm:ssZ` as the docs write it, or a bare date
    (`YYYY-MM-DD`: its first second, or with `end_of_day` its last)."""

    def __init__(self, *, end_of_day: bool = False, **kwargs: Any) -> None:
        metadata = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$"}
        super().__init__(metadata={**metadata, **kwargs.pop("metadata", {})}, **kwargs)
        self.end_of_day = end_of_day

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if isinstance(value, str) and value.isascii():
            for form in (QUERY_MOMENT, "%Y-%m-%d"):
                try:
                    moment = datetime.strptime(value, form).replace(tzinfo=UTC)
                except ValueError:
                    continue
                if form != QUERY_MOMENT and self.end_of_day:
                    moment = datetime.combine(moment.date(), time(23, 59, 59), UTC)
                return moment
        raise ValidationError("Not a valid date: use YYYY-MM-DDTHH:mm:ssZ or YYYY-MM-DD.")


class CommissionFilterSchema(Schema):
    field = fields.String(required=True, validate=validate.OneOf(("program", "product")))
    operator = fields.String(required=True, validate=validate.Equal("equals"))
    value = fields.String(required=True)

    @validates_schema
    def known_value(self, data: dict[str, Any], **_: Any) -> None:
        allowed = {"program": ("solution", "affiliate"), "product": ("livechat", "chatbot", "helpdesk")}
        if data["value"] not in allowed[data["field"]]:
            raise ValidationError(f"One of: {', '.join(allowed[data['field']])}.", "value")


class CommissionQuerySchema(Schema):
    date_from = QueryMoment(required=True, metadata={"description": descriptions.EARNED_FROM})
    date_to = QueryMoment(required=True, end_of_day=True, metadata={"description": descriptions.EARNED_TO})
    aggregation = fields.String(required=True, validate=validate.OneOf(AGGREGATIONS))
    filters = fields.String(
        load_default="[]",
        validate=validate.Length(max=2000),
        metadata={
            "description": 'A JSON array, e.g. `[{"field": "product", "value": "livechat", '
            '"operator": "equals"}]`.'
        },
    )

    @validates_schema
    def window_and_filters(self, data: dict[str, Any], **_: Any) -> None:
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError({"date_from": ["Must be on or before date_to."]})
        if start and end and end - start > timedelta(days=MAX_REPORT_DAYS):
            raise ValidationError({"date_from": [f"The window may span at most {MAX_REPORT_DAYS} days."]})
        if "filters" in data:
            commission_filters(data["filters"])


def commission_filters(text: str) -> list[dict[str, str]]:
    """The `filters` query value, parsed and checked (a 400 names `filters` otherwise)."""
    try:
        parsed = json.loads(text)
    except ValueError:
        raise ValidationError({"filters": ["Not a JSON array of filters."]}) from None
    if not isinstance(parsed, list):
        raise ValidationError({"filters": ["Not a JSON array of filters."]})
    errors = CommissionFilterSchema(many=True).validate(parsed)
    if errors:
        raise ValidationError({"filters": errors})
    return parsed


class CommissionDateRangeSchema(Schema):
    from_ = WireTime(required=True, data_key="from")
    to = WireTime(required=True)


class CommissionReportItemSchema(Schema):
    date_range = fields.Nested(CommissionDateRangeSchema, required=True)
    total = Dollars(required=True)


class CommissionReportSchema(Schema):
    items = fields.List(fields.Nested(CommissionReportItemSchema), required=True)


def dump_commission_report(buckets: list[Bucket]) -> dict[str, Any]:
    items = [{"date_range": {"from_": b.start, "to": b.end}, "total": b.cents} for b in buckets]
    dumped: dict[str, Any] = CommissionReportSchema().dump({"items": items})
    return dumped
