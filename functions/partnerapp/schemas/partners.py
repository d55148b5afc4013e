"""Partners and their API tokens on the wire."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema

from partnerapp.domain.partners import ApiToken
from partnerapp.domain.timestamps import to_wire
from partnerapp.schemas.fields import Text


class CreateTokenSchema(Schema):
    label = Text(required=True, max_length=64)


def dump_token(token: ApiToken, secret: str | None = None) -> dict[str, Any]:
    """A token as listed; the secret itself only in the creation response."""
    body: dict[str, Any] = {
        "id": token.token_id,
        "label": token.label,
        "created_at": to_wire(token.created_at),
    }
    if secret is not None:
        body["token"] = secret
    return body
