"""Partners, their API tokens and their license stats on the wire (the Text API's Account
section). Every answer is dumped through its schema here, which the OpenAPI document states."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from partnerapp.domain.partners import ApiToken
from partnerapp.schemas import descriptions
from partnerapp.schemas.fields import EmailAddress, Text, WireTime


class NewPartnerSchema(Schema):
    """`partnerapp partners create`: the operator's input passes the same door as a partner's."""

    name = Text(required=True, max_length=100)
    email = EmailAddress(required=True)


class CreateTokenSchema(Schema):
    label = Text(required=True, min_length=3, max_length=64, metadata={"description": descriptions.LABEL})


class StatusSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ok"]})


class TokenSchema(Schema):
    """A token as listed: `token` is a hint (the secret's first characters and `...`), since
    secrets are stored only as hashes; the creation answer has the whole secret instead."""

    id = fields.Integer(required=True, metadata={"description": "The token's number, for revoking it."})
    token = fields.String(required=True)
    creation_timestamp = WireTime(required=True)
    label = fields.String(required=True, metadata={"description": descriptions.LABEL})


class TokenListSchema(Schema):
    result = fields.List(fields.Nested(TokenSchema), required=True)


class ProductStatsSchema(Schema):
    trials = fields.Integer(required=True, metadata={"description": "Licenses in their trial now."})
    trials_cc = fields.Integer(
        required=True, metadata={"description": "Of those trials, the ones with a card added."}
    )
    paid = fields.Integer(required=True, metadata={"description": "Paid licenses now."})


class SolutionStatsSchema(Schema):
    livechat = fields.Nested(ProductStatsSchema, required=True)
    chatbot = fields.Nested(ProductStatsSchema, required=True)
    helpdesk = fields.Nested(
        ProductStatsSchema, required=True, metadata={"description": "Not a product here: always 0."}
    )


class PartnerProgramStatsSchema(ProductStatsSchema):
    partners_referred = fields.Integer(required=True)


class AffiliateStatsSchema(Schema):
    """The Affiliate program is not part of this service: every number is 0."""

    livechat = fields.Nested(ProductStatsSchema, required=True)
    chatbot = fields.Nested(ProductStatsSchema, required=True)
    helpdesk = fields.Nested(ProductStatsSchema, required=True)
    partner_program = fields.Nested(PartnerProgramStatsSchema, required=True)


class StatsSchema(Schema):
    affiliate = fields.Nested(AffiliateStatsSchema, required=True)
    solution = fields.Nested(SolutionStatsSchema, required=True)


def dump_token(token: ApiToken, secret: str | None = None) -> dict[str, Any]:
    """A token as listed (its hint), or with its secret in the creation response."""
    values = _token_values(token)
    if secret is not None:
        values["token"] = secret
    dumped: dict[str, Any] = TokenSchema().dump(values)
    return dumped


def dump_tokens(tokens: list[ApiToken]) -> dict[str, Any]:
    dumped: dict[str, Any] = TokenListSchema().dump({"result": [_token_values(t) for t in tokens]})
    return dumped


def _token_values(token: ApiToken) -> dict[str, Any]:
    return {"id": int(token.token_id), "token": token.hint, "creation_timestamp": token.created_at,
            "label": token.label}  # fmt: skip


def dump_stats(stats: dict[str, dict[str, dict[str, int]]]) -> dict[str, Any]:
    dumped: dict[str, Any] = StatsSchema().dump(stats)
    return dumped


def dump_status() -> dict[str, Any]:
    dumped: dict[str, Any] = StatusSchema().dump({"status": "ok"})
    return dumped
