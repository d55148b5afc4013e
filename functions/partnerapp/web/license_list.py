"""The "Your licenses" page: the filters (status, product), one page of the partner's
licenses as a table, which of how many it shows, links to the previous and next pages and to
the CSV file, and the trials chart.

The listing's cursor only goes forward, so a page's links carry the way back: `back` holds the
cursors of the pages before this one (the first page has none), `page` its number. The way back
is kept to MAX_BACK pages so that a link stays well under the gateway's request-line limit
(each cursor is some hundreds of characters); further back, "First page" is there."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from partnerapp import catalog
from partnerapp.domain import tallies
from partnerapp.domain.licenses import License
from partnerapp.domain.partners import Partner
from partnerapp.web import charts, pages, trials_chart

PAGE = "/web/licenses"
CSV = "/web/licenses/csv"
PAGE_SIZE = 15  # as the API's default `limit`
STATUS_NAMES = {"trial": "Trial", "paid": "Paid", "expired": "Expired"}
FILTER_LABELS = {"status": "Status", "product": "Product", "cursor": "Page", "page": "Page"}
MAX_BACK = 6
MAX_PAGE = 100_000
CURSOR = re.compile(r"[A-Za-z0-9_-]+")  # as store/listing.py writes them (urlsafe base64)


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
    """One page of the table, where the next one starts and the way back."""

    licenses: list[License] = field(default_factory=list)
    next_cursor: str | None = None
    cursor: str | None = None  # the page shown is not the first
    back: list[str] = field(default_factory=list)  # the cursors of the pages before, oldest first
    number: int = 1
    total: int = 0  # the licenses these filters match, from the kept counts


@dataclass(frozen=True)
class Position:
    """Where a page link says the page is: its cursor, the way back and its number."""

    cursor: str | None = None
    back: tuple[str, ...] = ()
    number: int = 1


def read_position(query: dict[str, str]) -> tuple[Position, dict[str, list[str]]]:
    """The page asked for, or an error named by its field (a `back` list not of cursors is the
    page link's error: it came from a link, never from a person)."""
    cursor = query.get("cursor", "").strip() or None
    back = tuple(c for c in query.get("back", "").split(",") if c)
    number = query.get("page", "").strip() or ("2" if cursor else "1")
    if not number.isdigit() or not 1 <= int(number) <= MAX_PAGE:
        return Position(), {"page": [f"A page number from 1 to {MAX_PAGE:,}."]}
    if len(back) > MAX_BACK or not all(CURSOR.fullmatch(c) for c in back):
        return Position(), {"cursor": ["This page link belongs to other filters or is out of date."]}
    return Position(cursor, back, int(number)), {}


def total(counts: Counter[str], filters: Filters) -> int:
    """The licenses `filters` match, from the partner's kept totals (store/tallies.py)."""
    statuses = [filters.status] if filters.status else list(catalog.LICENSE_STATUSES)
    products = [filters.product] if filters.product else list(catalog.PRODUCTS)
    return sum(counts[tallies.count_name(p, s)] for p in products for s in statuses)


def _shown(listing: Listing, filters: Filters) -> str | None:
    """ "16 to 30 of 42 trial LiveChat licenses": which of how many this page shows."""
    if not listing.licenses:
        return None
    first = (listing.number - 1) * PAGE_SIZE + 1
    last = first + len(listing.licenses) - 1
    kind = [STATUS_NAMES[filters.status].lower()] if filters.status else []
    kind += [catalog.PRODUCTS[filters.product].name] if filters.product else []
    noun = "license" if listing.total == 1 else "licenses"
    return f"{first} to {last} of {listing.total} {' '.join([*kind, noun])}"


def _previous(listing: Listing, filters: Filters) -> str | None:
    if listing.back:
        earlier = ",".join(listing.back[:-1])
        return PAGE + filters.query(back=earlier, page=str(listing.number - 1), cursor=listing.back[-1])
    return PAGE + filters.query() if listing.cursor and listing.number == 2 else None


def _next(listing: Listing, filters: Filters) -> str | None:
    if not listing.next_cursor:
        return None
    trail = [*listing.back, listing.cursor] if listing.cursor else []
    earlier = ",".join(trail[-MAX_BACK:])
    return PAGE + filters.query(back=earlier, page=str(listing.number + 1), cursor=listing.next_cursor)


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
            shown=_shown(listing, filters),
            first_page=PAGE + filters.query() if listing.cursor else None,
            previous_page=_previous(listing, filters),
            next_page=_next(listing, filters),
            csv=CSV + filters.query(),
            chart=_chart_view(months),
        )
    )
