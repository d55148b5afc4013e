"""The earnings page: the report as a bar chart (inline SVG, drawn here: no script, no
library) and as tables. Amounts are integer cents until they are formatted for reading."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from partnerapp import catalog
from partnerapp.domain.earnings import EarningsReport, Totals
from partnerapp.domain.partners import Partner
from partnerapp.web import pages

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 72, 8, 12, 32  # room for the axis labels
GRIDLINES = 4
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def money(cents: int) -> str:
    """`$1,234.56`: cents shown as dollars, exactly (integer arithmetic, no float)."""
    dollars, rest = divmod(cents, 100)
    return f"${dollars:,}.{rest:02d}"


def nice_ceiling(cents: int) -> int:
    """The axis maximum: 1, 2 or 5 times a power of ten, at least `cents` (one dollar at least)."""
    value = max(cents, 100)
    power = int(10 ** math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


@dataclass(frozen=True)
class Bar:
    label: str | None  # shown under the bar (every few months when there are many)
    title: str  # the tooltip and the accessible text
    x: float
    width: float
    savings_y: float
    savings_height: float
    commission_y: float
    commission_height: float


def chart(months: dict[str, Totals]) -> dict[str, Any]:
    """Stacked bars per month (savings below, commission above) and the y axis's gridlines."""
    top = nice_ceiling(max((t.total_cents for t in months.values()), default=0))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_width / max(len(months), 1)
    label_every = math.ceil(len(months) / 12)

    def height(cents: int) -> float:
        return round(plot_height * cents / top, 2)

    bars = []
    for index, (month, totals) in enumerate(months.items()):
        savings_h, commission_h = height(totals.savings_cents), height(totals.commission_cents)
        year, number = month.split("-")
        bars.append(
            Bar(
                label=f"{MONTH_NAMES[int(number) - 1]} {year[2:]}" if index % label_every == 0 else None,
                title=f"{month}: {money(totals.commission_cents)} commission, "
                f"{money(totals.savings_cents)} saved",
                x=round(LEFT + index * band + band * 0.2, 2),
                width=round(band * 0.6, 2),
                savings_y=round(TOP + plot_height - savings_h, 2),
                savings_height=savings_h,
                commission_y=round(TOP + plot_height - savings_h - commission_h, 2),
                commission_height=commission_h,
            )
        )
    grid = [
        {"y": round(TOP + plot_height - plot_height * n / GRIDLINES, 2), "label": money(top * n // GRIDLINES)}
        for n in range(GRIDLINES + 1)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": TOP + plot_height,
        "label_y": HEIGHT - 10,
        "bars": bars,
        "grid": grid,
    }


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


def earnings_page(partner: Partner, report: EarningsReport) -> str:
    return _render(
        partner,
        errors={},
        values={"date_from": report.date_from.isoformat(), "date_to": report.date_to.isoformat()},
        report=report,
        totals=_row(report.totals),
        months=[{"month": month, **_row(t)} for month, t in report.months.items()],
        licenses=[
            {"license": row.license_id, "product": catalog.PRODUCTS[row.product].name, **_row(row.totals)}
            for row in report.licenses
        ],
        chart=chart(report.months),
    )


def error_page(partner: Partner, values: dict[str, str], errors: dict[str, Any]) -> str:
    """The period form again, with what was typed and each error next to its field."""
    return _render(
        partner,
        errors={k: [str(m) for m in v] if isinstance(v, list) else [str(v)] for k, v in errors.items()},
        values={"date_from": values.get("date_from", ""), "date_to": values.get("date_to", "")},
        report=None,
    )
