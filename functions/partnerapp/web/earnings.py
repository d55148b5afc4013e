"""The earnings page: the report as a bar chart (inline SVG, see `charts`) and as tables.
Amounts are integer cents until they are formatted for reading."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from partnerapp import catalog
from partnerapp.domain.balance import Balance
from partnerapp.domain.earnings import Bucket, EarningsReport, LicenseTotals, Totals
from partnerapp.domain.partners import Partner
from partnerapp.web import charts, pages
from partnerapp.web.money_pages import balance_rows

ONE_DOLLAR = 100  # the axis reaches one dollar at least, so an empty period still has a scale
SERIES = (charts.Series("saved on invoices", "#1a5fb4"), charts.Series("commission", "#26734d"))


def money(cents: int) -> str:
    """`$1,234.56`: cents shown as dollars, exactly (integer arithmetic, no float)."""
    dollars, rest = divmod(cents, 100)
    return f"${dollars:,}.{rest:02d}"


def chart(months: dict[str, Totals], commission: list[Bucket], width: int = charts.WIDTH) -> charts.Chart:
    """Stacked bars per month: savings below, and above them the commission of the documented
    commission report (`GET /v2/partners/reports/commission`, by month), the figures a
    partner's script reads."""
    by_month = {bucket.start.strftime("%Y-%m"): bucket.cents for bucket in commission}
    bars: dict[str, Sequence[int]] = {
        month: (t.savings_cents, by_month.get(month, 0)) for month, t in months.items()
    }
    top = charts.nice_ceiling(max((sum(v) for v in bars.values()), default=0), ONE_DOLLAR)
    return charts.bar_chart(
        bars,
        SERIES,
        top=top,
        axis_label=money,
        title=lambda month, v: f"{month}: {money(v[1])} commission, {money(v[0])} saved",
        stacked=True,
        width=width,
    )


def _row(totals: Totals) -> dict[str, str]:
    return {
        "commission": money(totals.commission_cents),
        "savings": money(totals.savings_cents),
        "total": money(totals.total_cents),
    }


def _render(partner: Partner, **context: Any) -> str:
    return (
        pages.environment()
        .get_template("earnings.html.j2")
        .render(
            title="Your earnings",
            description="Commission and savings from your licenses, by month and by license.",
            current="/web/earnings",
            partner=partner,
            commission_percent=catalog.PARTNER_COMMISSION_PERCENT,
            discount_percent=catalog.PARTNER_DISCOUNT_PERCENT,
            **context,
        )
    )


def _license_row(row: LicenseTotals, customers: dict[int, str]) -> dict[str, Any]:
    return {
        "license": row.license_id,
        "url": f"/web/licenses/{row.product}/{row.license_id}",
        "customer": customers.get(row.license_id),  # None: no longer readable as this partner's
        "product": catalog.PRODUCTS[row.product].name,
        **_row(row.totals),
    }


def earnings_page(
    partner: Partner,
    report: EarningsReport,
    commission: list[Bucket],
    balance: Balance,
    customers: dict[int, str],
) -> str:
    """`customers` names the customer of each license of the report (store/license_names.py)."""
    return _render(
        partner,
        balance=balance_rows(balance),
        errors={},
        values={"date_from": report.date_from.isoformat(), "date_to": report.date_to.isoformat()},
        report=report,
        totals=_row(report.totals),
        months=[{"month": month, **_row(t)} for month, t in report.months.items()],
        licenses=[_license_row(row, customers) for row in report.licenses],
        chart=chart(report.months, commission),
        narrow_chart=chart(report.months, commission, charts.NARROW_WIDTH),
    )


def error_page(partner: Partner, values: dict[str, str], errors: dict[str, Any]) -> str:
    """The period form again, with what was typed and each error next to its field."""
    return _render(
        partner,
        errors={k: [str(m) for m in v] if isinstance(v, list) else [str(v)] for k, v in errors.items()},
        values={"date_from": values.get("date_from", ""), "date_to": values.get("date_to", "")},
        report=None,
    )
