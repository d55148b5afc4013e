"""`GET /web/licenses` and `GET /web/licenses/csv`: the help center's "Your licenses" page
for the signed-in partner (session cookie), read through the same listing and CSV code as
`GET /v2/partners/solutions/licenses` and its CSV search."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api import browser
from partnerapp.api.dependencies import dependencies

if TYPE_CHECKING:
    from partnerapp.domain.partners import Partner
    from partnerapp.store.listing import ListFilter
    from partnerapp.web.license_list import Filters, Listing, Position
    from partnerapp.web.trials_chart import Month

router = APIGatewayHttpRouter()

# A product filter is applied to each Query (no index has the product in its key), so a page
# may come back short: it is topped up from the next one, a few Queries per region at most.
MAX_QUERIES_PER_REGION = 4
SIGN_IN_REASON = "Your licenses are shown to you only: sign in with your partner account first."


def _where(partner: Partner, filters: Filters) -> ListFilter:
    from partnerapp.store.listing import ListFilter

    return ListFilter(partner.partner_id, status=filters.status or None, product=filters.product or None)


def _one_page(where: ListFilter, position: Position) -> Listing:
    from partnerapp.web.license_list import PAGE_SIZE, Listing

    listing = Listing(cursor=position.cursor, back=list(position.back), number=position.number)
    next_cursor = position.cursor
    for _ in range(MAX_QUERIES_PER_REGION):
        page = dependencies().listing.page(where, PAGE_SIZE - len(listing.licenses), next_cursor)
        listing.licenses += page.licenses
        next_cursor = page.next_cursor
        if next_cursor is None or len(listing.licenses) >= PAGE_SIZE:
            break
    listing.next_cursor = next_cursor
    return listing


def _chart_months(partner: Partner) -> list[Month]:
    """The chart's twelve months, whatever the filters: counted over those months only, so
    its cost does not grow with the partner's total number of licenses."""
    from partnerapp.store.trials import TrialCounts
    from partnerapp.web import trials_chart

    deps = dependencies()
    months = trials_chart.last_months(deps.clock().date())
    counts = TrialCounts(deps.settings).per_month(partner.partner_id, months[0], months[-1])
    return trials_chart.tally(counts.trials, counts.conversions, months)


def _page(
    partner: Partner, filters: Filters, listing: Listing, errors: dict[str, list[str]]
) -> Response[str]:
    from partnerapp.web import license_list

    page = license_list.licenses_page(partner, filters, listing, _chart_months(partner), errors)
    return browser.html(400 if errors else 200, page)


@router.get("/web/licenses")
def licenses_page() -> Response[str]:
    from partnerapp.store.listing import BadCursor
    from partnerapp.web import license_list, pages

    event = router.current_event
    partner = browser.signed_in_partner(event)
    if partner is None:
        return browser.html(
            401,
            pages.sign_in_first_page(
                "Sign in to see your licenses", SIGN_IN_REASON, browser.here(router.current_event)
            ),
        )
    query = dict(event.query_string_parameters or {})
    filters, errors = license_list.read_filters(query)
    position, position_errors = license_list.read_position(query)
    errors = {**errors, **position_errors}
    listing = license_list.Listing()
    if not errors:
        try:
            listing = _one_page(_where(partner, filters), position)
        except BadCursor:
            errors = {"cursor": ["This page link belongs to other filters or is out of date."]}
        listing.total = license_list.total(_kept_totals(partner), filters)
    return _page(partner, filters, listing, errors)


def _kept_totals(partner: Partner) -> Counter[str]:
    """The partner's kept counts (store/tallies.py): the list's total without counting licenses."""
    from partnerapp.store.tallies import TallyReader

    return TallyReader(dependencies().settings).totals(partner.partner_id)


@router.get("/web/licenses/csv")
def licenses_csv() -> Response[str]:
    from partnerapp.services.reports import licenses_csv
    from partnerapp.web import license_list, pages

    event = router.current_event
    partner = browser.signed_in_partner(event)
    if partner is None:
        return browser.html(
            401,
            pages.sign_in_first_page(
                "Sign in to download your licenses", SIGN_IN_REASON, browser.here(router.current_event)
            ),
        )
    filters, errors = license_list.read_filters(dict(event.query_string_parameters or {}))
    if errors:
        return _page(partner, filters, license_list.Listing(), errors)
    # The same rows and columns as the API's CSV search, for the filters on the page.
    body = licenses_csv(dependencies().listing.all(_where(partner, filters)), [])
    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8",
        body=body,
        headers={"Content-Disposition": 'attachment; filename="licenses.csv"'},
    )
