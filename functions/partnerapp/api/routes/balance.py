"""`GET /v2/partners/balance`: what the partner may withdraw, as the Text Partner API
documents it ("Get Balance"); the holding rule is domain/balance.py's."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies

router = APIGatewayHttpRouter()


@router.get("/v2/partners/balance")
def balance() -> dict[str, Any]:
    from partnerapp.schemas.balance import dump_balance
    from partnerapp.services.balance import BalanceReader

    partner = require_partner(router.current_event)
    deps = dependencies()
    return dump_balance(BalanceReader(deps.settings).balance(partner.partner_id, deps.clock()))
