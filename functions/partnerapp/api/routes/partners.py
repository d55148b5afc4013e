"""`/v2/partners`: liveness, the partner's API tokens and license stats (the Text API's
Introduction and Account sections; the profile is in routes/profile.py)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.documented import Doc
from partnerapp.api.errors import validation
from partnerapp.api.requests import json_body
from partnerapp.api.responses import json_response, no_content
from partnerapp.api.validation import load

# Schemas (marshmallow) are imported on first use: see routes/licenses.py.

router = APIGatewayHttpRouter()


@Doc("Liveness", response="partners.StatusSchema", public=True, errors=())
@router.get("/v2/partners/status")
def status() -> dict[str, Any]:
    from partnerapp.schemas.partners import dump_status

    return dump_status()


@Doc(
    "Liveness, as the docs check it (`curl -I`)",
    success_description="The API is up.",
    no_body=True,
    public=True,
    errors=(),
)
@router.head("/v2/partners/status")
def status_head() -> Response[str]:
    # The docs check liveness with `curl -I`: the GET's status and headers, without a body.
    return Response(status_code=200, content_type="application/json", body="")


@Doc(
    "Your licenses by product: in trial, in trial with a card added, paid",
    "The Affiliate program is not part of this service: its numbers are always 0.",
    response="partners.StatsSchema",
    errors=(401,),
)
@router.get("/v2/partners/stats")
def stats() -> dict[str, Any]:
    from partnerapp.schemas.partners import dump_stats
    from partnerapp.services.stats import license_stats

    partner = require_partner(router.current_event)
    return dump_stats(license_stats(dependencies().tallies, partner.partner_id))


@Doc(
    "Create an API token",
    "The secret is in this response only; it is stored as a hash. A label already used by "
    "another of your tokens is a 409, and so is a 51st token: a partner holds at most 50.",
    body="partners.CreateTokenSchema",
    success=201,
    response="partners.TokenSchema",
    errors=(400, 401, 409),
)
@router.post("/v2/partners/tokens")
def create_token() -> Response[str]:
    from partnerapp.schemas.partners import CreateTokenSchema, dump_token

    partner = require_partner(router.current_event)
    data = load(CreateTokenSchema, json_body(router.current_event))
    deps = dependencies()
    token, secret = deps.partners.issue_token(partner, data["label"], deps.clock())
    return json_response(201, dump_token(token, secret))


@Doc(
    "List API tokens, newest first",
    "Secrets are stored only as hashes, so `token` holds a hint instead: the secret's first "
    "8 characters and `...`.",
    response="partners.TokenListSchema",
    errors=(401,),
)
@router.get("/v2/partners/tokens")
def list_tokens() -> dict[str, Any]:
    from partnerapp.schemas.partners import dump_tokens

    partner = require_partner(router.current_event)
    return dump_tokens(dependencies().partners.list_tokens(partner.partner_id))


@Doc(
    "Revoke an API token",
    "It stops working at once.",
    success=204,
    success_description="Revoked.",
    no_body=True,
)
@router.delete("/v2/partners/tokens/<token_id>")
def revoke_token(token_id: str) -> Response[str]:
    partner = require_partner(router.current_event)
    if not (token_id.isascii() and token_id.isdecimal()):  # ids are numbers (never "²": isascii)
        raise validation({"token_id": ["Must be a token's number."]})
    dependencies().partners.revoke_token(partner.partner_id, token_id)
    return no_content()
