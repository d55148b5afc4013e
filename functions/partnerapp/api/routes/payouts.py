"""`GET` and `PUT /v2/partners/billing`: where the partner's commission is paid, as the Text
Partner API documents it ("Get Billing", "Update Billing"). Not a license's billing (that is
`.../licenses/<product>/<id>/billing`), nor the billing system's events (routes/billing)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.documented import Doc
from partnerapp.api.errors import not_found
from partnerapp.api.requests import json_body
from partnerapp.api.responses import no_content

router = APIGatewayHttpRouter()
PATH = "/v2/partners/billing"


@Doc(
    "Your payout details (the docs' Get Billing)",
    "Where withdrawals are paid. 404 until they are set with PUT.",
    response="payouts.PayoutSchema",
    errors=(401, 404),
)
@router.get(PATH)
def payout_details() -> dict[str, Any]:
    from partnerapp.schemas.payouts import dump_payout
    from partnerapp.store.payouts import PayoutStore

    partner = require_partner(router.current_event)
    details = PayoutStore(dependencies().settings).get(partner.partner_id)
    if details is None:
        raise not_found("No payout details yet: PUT /v2/partners/billing sets them.")
    return dump_payout(details)


@Doc(
    "Set your payout details (the docs' Update Billing)",
    "Replaces them whole: `type` `business` or `individual`, `country` an ISO 3166-1 alpha-2 "
    "code, `paypal` the PayPal login withdrawals are paid to; `zip_code`, `vat` and `state` "
    "are optional (left out: empty).",
    body="payouts.UpdatePayoutSchema",
    success=204,
    success_description="Saved.",
    no_body=True,
    errors=(400, 401, 413, 415),
)
@router.put(PATH)
def update_payout_details() -> Response[str]:
    from partnerapp.api.validation import load
    from partnerapp.schemas.payouts import UpdatePayoutSchema
    from partnerapp.store.payouts import PayoutStore

    partner = require_partner(router.current_event)
    details = load(UpdatePayoutSchema, json_body(router.current_event))
    PayoutStore(dependencies().settings).put(partner.partner_id, details)
    return no_content()
