"""Listing a partner's licenses: newest first across both data regions, by status, counted,
reported over time, summarized and searched into a CSV file."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp import catalog
from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.documented import Doc
from partnerapp.api.errors import not_found, validation
from partnerapp.api.validation import load

router = APIGatewayHttpRouter()

LICENSES = "/v2/partners/solutions/licenses"
DATE_HINT = "Use YYYY-MM-DDTHH:mm:ssZ or YYYY-MM-DD."


def moment(value: str, field: str, end_of_day: bool) -> datetime:
    """A query date in any documented format; a bare date as `date_to` is its whole day."""
    from partnerapp.schemas.management import DATE_FORMATS

    for pattern in DATE_FORMATS:
        try:
            found = datetime.strptime(value, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
        if end_of_day and pattern == DATE_FORMATS[0]:
            found = found.replace(hour=23, minute=59, second=59)
        return found
    raise validation({field: [DATE_HINT]})


def _window(query: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    start = moment(query["date_from"], "date_from", False) if query.get("date_from") else None
    end = moment(query["date_to"], "date_to", True) if query.get("date_to") else None
    if start and end and start > end:
        raise validation({"date_from": ["Must be on or before date_to."]})
    return start, end


def _filter(partner_id: str, query: dict[str, Any], status: str | None = None) -> Any:
    from partnerapp.store.listing import ListFilter

    start, end = _window(query)
    return ListFilter(
        partner_id,
        status=status,
        created_from=start.strftime("%Y%m%dT%H%M%S") if start else None,
        created_to=end.strftime("%Y%m%dT%H%M%S") if end else None,
    )


def _page(where: Any, limit: int, cursor: str | None) -> Any:
    from partnerapp.store.listing import BadCursor

    try:
        return dependencies().listing.page(where, limit, cursor)
    except BadCursor:
        raise validation({"next_cursor": ["Not a cursor of this listing."]}) from None


def _query(schema: Any) -> dict[str, Any]:
    return dict(load(schema, dict(router.current_event.query_string_parameters or {})))


@Doc(
    "List licenses, newest first",
    "Across both data regions: every license created in the window. With `limit` (our "
    "addition) one page at a time, and `next_cursor`.",
    query="management.ListQuerySchema",
    response="licenses.LicenseListSchema",
    errors=(400, 401),
)
@router.get(LICENSES)
def list_licenses() -> dict[str, Any]:
    """Text API "Get Solution Licenses": `{result: [...]}`, every license of the window. Our
    addition: with `limit`, one page and its `next_cursor`."""
    from partnerapp.schemas.licenses import dump_license_list
    from partnerapp.schemas.management import ListQuerySchema

    partner = require_partner(router.current_event)
    query = _query(ListQuerySchema)
    where = _filter(partner.partner_id, query)
    if "limit" not in query and "next_cursor" not in query:
        return dump_license_list(list(dependencies().listing.all(where)), None, paged=False)
    page = _page(where, query.get("limit", 15), query.get("next_cursor"))
    return dump_license_list(page.licenses, page.next_cursor, paged=True)


@Doc(
    "Count licenses by status",
    "Among the licenses created from date_from to date_to.",
    query="management.CountQuerySchema",
    response="management.CountSchema",
    errors=(400, 401),
)
@router.get(f"{LICENSES}/count")
def count_licenses() -> dict[str, int]:
    """Text API "Get License Metrics": trials, paid and expired among licenses created in the
    window."""
    from partnerapp.schemas.management import CountQuerySchema
    from partnerapp.services.reports import count_by_status

    partner = require_partner(router.current_event)
    from partnerapp.schemas.management import CountSchema

    query = _query(CountQuerySchema)
    start, end = _window(query)
    return dict(CountSchema().dump(count_by_status(dependencies().tallies, partner.partner_id, start, end)))


@Doc(
    "Search licenses as CSV",
    "`filters` is a JSON array of {field, operator, value}; the bare URL-encoded array as the "
    "whole query (the docs' example) is read the same. Money and levels as `20.00`.",
    query="management.CsvQuerySchema",
    success_description="A CSV file.",
    media="text/csv",
    errors=(400, 401),
)
@router.get(f"{LICENSES}/search/csv")
def search_csv() -> Response[str]:
    import json

    from marshmallow import ValidationError

    from partnerapp.schemas.management import CsvQuerySchema, FilterSchema
    from partnerapp.services.reports import licenses_csv
    from partnerapp.store.listing import ListFilter

    partner = require_partner(router.current_event)
    query = load(CsvQuerySchema, _csv_parameters())
    try:
        filters = FilterSchema(many=True).load(json.loads(query["filters"]))
    except (ValueError, TypeError):
        raise validation({"filters": ["A JSON list of {field, operator, value}."]}) from None
    except ValidationError as error:
        raise validation({"filters": error.normalized_messages()}) from None
    body = licenses_csv(dependencies().listing.all(ListFilter(partner.partner_id)), filters)
    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8",
        body=body,
        headers={"Content-Disposition": 'attachment; filename="licenses.csv"'},
    )


def _csv_parameters() -> dict[str, str]:
    """The query as `filters=[...]`, or as the docs' example sends it: the URL-encoded JSON
    list alone, with no `filters=` before it."""
    event = router.current_event
    raw = event.raw_query_string or ""
    if raw and "=" not in raw and unquote(raw).lstrip().startswith("["):
        return {"filters": unquote(raw)}
    return dict(event.query_string_parameters or {})


@Doc(
    "List licenses of one status",
    query="management.StatusQuerySchema",
    response="licenses.StatusListSchema",
)
@router.get(f"{LICENSES}/<status>")
def list_by_status(status: str) -> dict[str, Any]:
    """Text API "Get Solution Licenses by Status": `{results: [...], next_cursor}`."""
    from partnerapp.schemas.licenses import dump_status_list
    from partnerapp.schemas.management import StatusQuerySchema

    if status not in catalog.LICENSE_STATUSES:
        raise not_found(f"Unknown status; use one of: {', '.join(catalog.LICENSE_STATUSES)}.")
    partner = require_partner(router.current_event)
    query = _query(StatusQuerySchema)
    page = _page(_filter(partner.partner_id, query, status), query["limit"], query.get("next_cursor"))
    return dump_status_list(page.licenses, page.next_cursor)


@Doc(
    "Licenses that reached a status, per day, week or month",
    "trial: trials started; paid: conversions; expired: expirations, inside the window.",
    query="management.LicenseReportQuerySchema",
    response="management.LicenseReportSchema",
    errors=(400, 401),
)
@router.get("/v2/partners/solutions/reports/license")
def license_report() -> dict[str, Any]:
    """Text API "Get Solution Licenses Report": per day, week or month of the window, how many
    licenses started a trial (trial), converted (paid) or expired (expired) in it."""
    from partnerapp.schemas.management import LicenseReportQuerySchema, LicenseReportSchema
    from partnerapp.services.reports import license_report as report

    partner = require_partner(router.current_event)
    query = _query(LicenseReportQuerySchema)
    start, end = _window(query)
    if start is None or end is None:  # required: an empty value is as good as none
        missing = "date_from" if start is None else "date_to"
        raise validation({missing: ["Missing data for required field."]})
    status, aggregation = query["license_status"], query["aggregation"]
    items = report(dependencies().tallies, partner.partner_id, status, aggregation, start, end)
    return dict(LicenseReportSchema().dump({"items": items}))


@Doc(
    "Solution summary",
    "Licenses by status, commission earned and discount saved to date (strings, as the docs).",
    response="management.SummarySchema",
    errors=(401,),
)
@router.get("/v2/partners/solutions/summary")
def solution_summary() -> dict[str, str]:
    """Text API "Get Solution Summary": counts by status, commission and discount to date."""
    from partnerapp.schemas.management import SummarySchema
    from partnerapp.services.reports import summary

    partner = require_partner(router.current_event)
    return dict(SummarySchema().dump(summary(dependencies().tallies, partner.partner_id)))
