"""Webhook endpoints and their deliveries on the wire."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates

from partnerapp.domain.events import EVENT_TYPES
from partnerapp.domain.timestamps import to_wire
from partnerapp.domain.webhooks import Delivery, Webhook
from partnerapp.schemas.fields import Text
from partnerapp.services.webhook_targets import MAX_URL_LENGTH


class CreateWebhookSchema(Schema):
    """`url` (https; checked further against the addresses it resolves to) and `events`."""

    url = Text(
        required=True,
        max_length=MAX_URL_LENGTH,
        metadata={"pattern": r"^https://[^\s/?#]+", "format": "uri"},
    )
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)),
        required=True,
        validate=validate.Length(min=1, max=len(EVENT_TYPES)),
    )

    @validates("events")
    def each_event_once(self, value: list[str], **_: Any) -> None:
        if len(set(value)) != len(value):
            raise ValidationError("Name each event once.")


def dump_webhook(webhook: Webhook, secret: str | None = None) -> dict[str, Any]:
    """An endpoint as listed; its signing secret only in the creation response."""
    body: dict[str, Any] = {
        "id": webhook.webhook_id,
        "url": webhook.url,
        "events": list(webhook.events),
        "created_at": to_wire(webhook.created_at),
    }
    if secret is not None:
        body["secret"] = secret
    return body


def _when(value: Any) -> str | None:
    return to_wire(value) if value else None


def dump_delivery(delivery: Delivery) -> dict[str, Any]:
    return {
        "event_id": delivery.event_id,
        "event_type": delivery.event_type,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "created_at": to_wire(delivery.created_at),
        "last_attempt_at": _when(delivery.last_attempt_at),
        "next_attempt_at": _when(delivery.next_attempt_at) if delivery.status == "pending" else None,
        "delivered_at": _when(delivery.delivered_at),
        "response_status": delivery.response_status,
        "error": delivery.error,
    }
