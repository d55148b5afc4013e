"""The "Your licenses" page: the filters (status, product), one page of the partner's
licenses as a table, links to the next page and to the CSV file, and the trials chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from partnerapp import catalog
from partnerapp.domain.licenses import License
from partnerapp.domain.partners import Partner
from partnerapp.web import charts, pages, trials_chart

PAGE = "/web/licenses"
CSV = "/web/licenses/csv"
PAGE_SIZE = 15  # as the API's default `limit`
STATUS_NAMES = {"trial": "Trial", "paid": "Paid", "expired": "Expired"}
FILTER_LABELS = {"status": "Status", "product": "Product", "cursor": "Page"}


@dataclass(frozen=True)
class Filters:
    status: str = ""  # "" is every status
    product: str = ""  # "" is every product

    def query(self, **more: str) -> str:
        """The query string of a link that keeps these filters ("" when there is nothing)."""
        params = {"status": self.status, "product": self.product, **more}
        encoded = urlencode({k: v for k, v in params.items() if v})
        return f"?{encoded}" if encoded else ""


@dataclass
class Listing:
    """One page of the table and where the next one starts."""

    licenses: list[License] = field(default_factory=list)
    next_cursor: str | None = None
    cursor: str | None = None  # the page shown is not the first


def read_filters(query: dict[str, str]) -> tuple[Filters, dict[str, list[str]]]:
    """The filters asked for, and an error per unknown value (named by its field)."""
    status, product = query.get("status", "").strip(), query.get("product", "").strip()
    errors: dict[str, list[str]] = {}
    if status and status not in catalog.LICENSE_STATUSES:
        errors["status"] = [f"Choose one of: {', '.join(STATUS_NAMES[s] for s in catalog.LICENSE_STATUSES)}."]
    if product and catalog.product(product) is None:
        errors["product"] = [f"Choose one of: {', '.join(p.name for p in catalog.PRODUCTS.values())}."]
    return Filters(status, product), errors


def _row(item: License) -> dict[str, Any]:
    return {
        "url": f"/web/licenses/{item.product}/{item.license_id}",
        "license_id": item.license_id,
        "status": STATUS_NAMES.get(item.status, item.status),
        "product": catalog.PRODUCTS[item.product].name,
        "customer": item.client_name,
        "managed_by": "You (partner)" if catalog.partner_manages(item.payment_origin) else "Customer",
        "trial_ends": item.trial_ends_at.date().isoformat() if item.status == "trial" else None,
        "seats": item.seats_used,
    }


def _chart_view(months: Sequence[trials_chart.Month]) -> dict[str, Any]:
    return {
        "drawing": trials_chart.chart(months),
        "narrow": trials_chart.chart(months, charts.NARROW_WIDTH),
        "rows": months,
        "series": trials_chart.SERIES,
        "first": charts.month_label(months[0].month),
        "last": charts.month_label(months[-1].month),
    }


def licenses_page(
    partner: Partner,
    filters: Filters,
    listing: Listing,
    months: Sequence[trials_chart.Month],
    errors: dict[str, list[str]] | None = None,
) -> str:
    return (
        pages.environment()
        .get_template("licenses.html.j2")
        .render(
            title="Your licenses",
            description="Your customers' licenses: status, who manages them, trials and seats.",
            current=PAGE,
            partner=partner,
            filters=filters,
            errors=errors or {},
            labels=FILTER_LABELS,
            statuses=[(s, STATUS_NAMES[s]) for s in catalog.LICENSE_STATUSES],
            products=[(code, p.name) for code, p in catalog.PRODUCTS.items()],
            rows=[_row(item) for item in listing.licenses],
            first_page=PAGE + filters.query() if listing.cursor else None,
            next_page=PAGE + filters.query(cursor=listing.next_cursor) if listing.next_cursor else None,
            csv=CSV + filters.query(),
            chart=_chart_view(months),
        )
    )
