"""`GET /v2/partners/earnings`: the signed-in partner's commission and savings over a period,
by month and by license (the help center shows the same as a page: routes/earnings_page)."""

from __future__ import annotations

from datetime import date
from typing import Any

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.errors import validation
from partnerapp.api.validation import load

router = APIGatewayHttpRouter()


def load_period(query: dict[str, str], today: date) -> tuple[date, date]:
    """The period a query string asks for (defaults filled in), or a 400 naming the field."""
    from marshmallow import ValidationError

    from partnerapp.schemas.earnings import EarningsQuerySchema, period

    try:
        return period(load(EarningsQuerySchema, query), today)
    except ValidationError as error:
        raise validation(error.normalized_messages()) from None


@router.get("/v2/partners/earnings")
def earnings() -> dict[str, Any]:
    from partnerapp.schemas.earnings import dump_earnings
    from partnerapp.services.earnings import EarningsReader

    partner = require_partner(router.current_event)
    deps = dependencies()
    date_from, date_to = load_period(
        dict(router.current_event.query_string_parameters or {}), deps.clock().date()
    )
    return dump_earnings(EarningsReader(deps.settings).report(partner.partner_id, date_from, date_to))
