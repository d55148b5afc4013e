"""Listing a partner's licenses: newest first across both data regions with a stable
cursor, by status, counted, and searched into a CSV file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp import catalog
from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.errors import not_found, validation
from partnerapp.api.validation import load

router = APIGatewayHttpRouter()

LICENSES = "/v2/partners/solutions/licenses"


def _sort_key_bound(value: str | None, field: str, end_of_day: bool) -> str | None:
    if value is None:
        return None
    from partnerapp.schemas.management import DATE_FORMATS

    for pattern in DATE_FORMATS:
        try:
            moment = datetime.strptime(value, pattern)
        except ValueError:
            continue
        if end_of_day and pattern == DATE_FORMATS[0]:
            moment = moment.replace(hour=23, minute=59, second=59)
        return moment.strftime("%Y%m%dT%H%M%S")
    raise validation({field: ["Use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS."]})


def _list(status: str | None) -> dict[str, Any]:
    from partnerapp.schemas.licenses import dump_license_summary
    from partnerapp.schemas.management import ListQuerySchema
    from partnerapp.store.listing import BadCursor, ListFilter

    partner = require_partner(router.current_event)
    query = load(ListQuerySchema, dict(router.current_event.query_string_parameters or {}))
    where = ListFilter(
        partner.partner_id,
        status=status,
        created_from=_sort_key_bound(query.get("date_from"), "date_from", end_of_day=False),
        created_to=_sort_key_bound(query.get("date_to"), "date_to", end_of_day=True),
    )
    try:
        page = dependencies().listing.page(where, query["limit"], query.get("next_cursor"))
    except BadCursor:
        raise validation({"next_cursor": ["Not a cursor of this listing."]}) from None
    return {"licenses": [dump_license_summary(i) for i in page.licenses], "next_cursor": page.next_cursor}


@router.get(LICENSES)
def list_licenses() -> dict[str, Any]:
    return _list(None)


@router.get(f"{LICENSES}/count")
def count_licenses() -> dict[str, Any]:
    from partnerapp.services.reports import count_by_status

    partner = require_partner(router.current_event)
    return count_by_status(dependencies().listing, partner.partner_id)


@router.get(f"{LICENSES}/search/csv")
def search_csv() -> Response[str]:
    import json

    from marshmallow import ValidationError

    from partnerapp.schemas.management import CsvQuerySchema, FilterSchema
    from partnerapp.services.reports import licenses_csv
    from partnerapp.store.listing import ListFilter

    partner = require_partner(router.current_event)
    query = load(CsvQuerySchema, dict(router.current_event.query_string_parameters or {}))
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


@router.get(f"{LICENSES}/<status>")
def list_by_status(status: str) -> dict[str, Any]:
    if status not in catalog.LICENSE_STATUSES:
        raise not_found(f"Unknown status; use one of: {', '.join(catalog.LICENSE_STATUSES)}.")
    return _list(status)
