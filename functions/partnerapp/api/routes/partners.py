"""`/v2/partners`: liveness and the partner's API tokens (the profile: routes/profile.py)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.errors import validation
from partnerapp.api.requests import json_body
from partnerapp.api.responses import json_response, no_content

# Schemas (marshmallow) are imported on first use: see routes/licenses.py.

router = APIGatewayHttpRouter()


@router.get("/v2/partners/status")
def status() -> dict[str, Any]:
    return {"status": "ok"}


@router.post("/v2/partners/tokens")
def create_token() -> Response[str]:
    from marshmallow import ValidationError

    from partnerapp.schemas.partners import CreateTokenSchema, dump_token
    from partnerapp.schemas.wire import load_body

    partner = require_partner(router.current_event)
    try:
        data = load_body(CreateTokenSchema(), json_body(router.current_event))
    except ValidationError as error:
        raise validation(error.normalized_messages()) from None
    deps = dependencies()
    token, secret = deps.partners.issue_token(partner.partner_id, data["label"], deps.clock())
    return json_response(201, dump_token(token, secret))


@router.get("/v2/partners/tokens")
def list_tokens() -> dict[str, Any]:
    from partnerapp.schemas.partners import dump_token

    partner = require_partner(router.current_event)
    return {"tokens": [dump_token(t) for t in dependencies().partners.list_tokens(partner.partner_id)]}


@router.delete("/v2/partners/tokens/<token_id>")
def revoke_token(token_id: str) -> Response[str]:
    partner = require_partner(router.current_event)
    dependencies().partners.revoke_token(partner.partner_id, token_id)
    return no_content()
