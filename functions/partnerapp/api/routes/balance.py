"""`GET /v2/partners/balance`: what the partner may withdraw, as the Text Partner API
documents it ("Get Balance"); the holding rule is domain/balance.py's."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.documented import Doc

router = APIGatewayHttpRouter()


@Doc(
    "What you may withdraw (the docs' Get Balance)",
    "In dollars: a payment's commission is `pending` for 30 days after the payment, then "
    "`available`; `withdrawn` is what withdrawals took (requested or paid; a rejected one "
    "gives it back). `total` (every commission earned) is a string with two decimals, as the "
    "docs' example writes it.",
    response="balance.BalanceSchema",
    errors=(401,),
)
@router.get("/v2/partners/balance")
def balance() -> dict[str, Any]:
    from partnerapp.schemas.balance import dump_balance
    from partnerapp.services.balance import BalanceReader

    partner = require_partner(router.current_event)
    deps = dependencies()
    return dump_balance(BalanceReader(deps.settings).balance(partner.partner_id, deps.clock()))
