"""Bearer-token authentication: the token's digest is looked up, never the token itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from partnerapp.api.dependencies import dependencies
from partnerapp.api.errors import unauthorized

if TYPE_CHECKING:
    from partnerapp.domain.partners import Partner

MAX_TOKEN_LENGTH = 200


def bearer_token(event: APIGatewayProxyEventV2) -> str | None:
    scheme, _, token = (event.headers.get("authorization") or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return token


def require_partner(event: APIGatewayProxyEventV2) -> Partner:
    token = bearer_token(event)
    deps = dependencies()
    partner_id = deps.partners.partner_for_token(token) if token else None
    partner = deps.partners.get(partner_id) if partner_id else None
    if partner is None:
        raise unauthorized()
    return partner
