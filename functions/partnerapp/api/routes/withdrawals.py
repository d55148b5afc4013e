"""`POST` and `GET /v2/partners/withdrawals`: ask to be paid what is available, and see the
withdrawals, as the Text Partner API documents them ("Request Withdrawal", "Get
Withdrawals"). An operator pays or rejects them (`partnerapp withdrawals set-status`)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api import idempotency
from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.documented import Doc
from partnerapp.api.errors import not_found
from partnerapp.api.requests import no_body
from partnerapp.api.responses import json_response
from partnerapp.api.validation import load

router = APIGatewayHttpRouter()
PATH = "/v2/partners/withdrawals"


@Doc(
    "Ask to be paid everything available (the docs' Request Withdrawal)",
    "One withdrawal of the whole available balance, to the payout details' PayPal login, "
    "`pending` until paid or rejected by an operator (a rejected one is available again); "
    "an email at each step, sent at once. 403 below $50.00 available, 409 without payout details.",
    success=201,
    response="withdrawals.WithdrawalSchema",
    errors=(400, 401, 403, 409),
    idempotent=True,
)
@router.post(PATH)
def request_withdrawal() -> Response[str]:
    from partnerapp.schemas.withdrawals import dump_withdrawal
    from partnerapp.services.withdrawals import Withdrawals
    from partnerapp.store.withdrawals import WithdrawalStore

    partner = require_partner(router.current_event)
    no_body(router.current_event)
    deps = dependencies()

    def withdraw() -> dict[str, Any]:
        return {
            "withdrawal_id": Withdrawals(deps.settings, deps.clock).request(partner.partner_id).withdrawal_id
        }

    reference, _ = idempotency.once(
        router.current_event.headers,
        partner_id=partner.partner_id,
        operation="request_withdrawal",
        request={},
        action=withdraw,
        context=router.lambda_context,
    )
    made = WithdrawalStore(deps.settings).get(partner.partner_id, reference["withdrawal_id"])
    if made is None:
        raise not_found("Withdrawal not found.")
    return json_response(201, dump_withdrawal(made))


@Doc(
    "Your withdrawals, newest first (the docs' Get Withdrawals)",
    query="withdrawals.WithdrawalsQuerySchema",
    response="withdrawals.WithdrawalListSchema",
    errors=(400, 401),
)
@router.get(PATH)
def list_withdrawals() -> dict[str, Any]:
    from partnerapp.schemas.withdrawals import WithdrawalsQuerySchema, dump_withdrawals
    from partnerapp.services.withdrawals import Withdrawals

    partner = require_partner(router.current_event)
    query = load(WithdrawalsQuerySchema, dict(router.current_event.query_string_parameters or {}))
    deps = dependencies()
    found = Withdrawals(deps.settings, deps.clock).listed(
        partner.partner_id, query.get("date_from"), query.get("date_to")
    )
    return dump_withdrawals(found)
