"""Bearer-token authentication (the token's digest is looked up, never the token itself) and
each partner's request budget (429 with Retry-After once it is spent)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from partnerapp.api.dependencies import dependencies
from partnerapp.api.errors import ApiError, unauthorized

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
    # One GetItem: the token's item carries its partner's profile (kept in step with it).
    partner = deps.partners.authenticate(token, used_at=deps.clock()) if token else None
    if partner is None:
        raise unauthorized()
    retry_after = deps.rate_limiter.allow(partner.partner_id, deps.clock())
    if retry_after is not None:
        raise ApiError(
            429,
            "too_many_requests",
            "Too many requests; slow down and retry.",
            headers={"Retry-After": str(retry_after)},
        )
    return partner
