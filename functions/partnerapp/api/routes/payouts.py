"""`GET` and `PUT /v2/partners/billing`: where the partner's commission is paid, as the Text
Partner API documents it ("Get Billing", "Update Billing"). Not a license's billing (that is
`.../licenses/<product>/<id>/billing`), nor the billing system's events (routes/billing)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.errors import not_found
from partnerapp.api.requests import json_body
from partnerapp.api.responses import no_content

router = APIGatewayHttpRouter()
PATH = "/v2/partners/billing"


@router.get(PATH)
def payout_details() -> dict[str, Any]:
    from partnerapp.schemas.payouts import dump_payout
    from partnerapp.store.payouts import PayoutStore

    partner = require_partner(router.current_event)
    details = PayoutStore(dependencies().settings).get(partner.partner_id)
    if details is None:
        raise not_found("No payout details yet: PUT /v2/partners/billing sets them.")
    return dump_payout(details)


@router.put(PATH)
def update_payout_details() -> Response[str]:
    from partnerapp.api.validation import load
    from partnerapp.schemas.payouts import UpdatePayoutSchema
    from partnerapp.store.payouts import PayoutStore

    partner = require_partner(router.current_event)
    details = load(UpdatePayoutSchema, json_body(router.current_event))
    PayoutStore(dependencies().settings).put(partner.partner_id, details)
    return no_content()
