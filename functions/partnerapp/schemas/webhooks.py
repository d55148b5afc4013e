"""Webhook endpoints and their deliveries on the wire."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates

from partnerapp.domain.events import EVENT_TYPES
from partnerapp.domain.webhooks import Delivery, Webhook
from partnerapp.schemas import descriptions
from partnerapp.schemas.fields import Text, WireTime
from partnerapp.services.webhook_targets import MAX_URL_LENGTH


class CreateWebhookSchema(Schema):
    """`url` (https; checked further against the addresses it resolves to) and `events`."""

    url = Text(
        required=True,
        max_length=MAX_URL_LENGTH,
        metadata={"description": descriptions.URL, "pattern": r"^https://[^\s/?#]+", "format": "uri"},
    )
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)),
        required=True,
        validate=validate.Length(min=1, max=len(EVENT_TYPES)),
        metadata={"description": descriptions.EVENTS},
    )

    @validates("events")
    def each_event_once(self, value: list[str], **_: Any) -> None:
        if len(set(value)) != len(value):
            raise ValidationError("Name each event once.")


class WebhookSchema(Schema):
    id = fields.String(required=True)
    url = fields.String(required=True, metadata={"description": descriptions.URL})
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)),
        required=True,
        metadata={"description": descriptions.EVENTS},
    )
    created_at = WireTime(required=True)


class CreatedWebhookSchema(WebhookSchema):
    secret = fields.String(required=True, metadata={"description": "The signing secret, shown only here."})


class WebhookListSchema(Schema):
    webhooks = fields.List(fields.Nested(WebhookSchema), required=True)


DELIVERY_STATUSES = ("pending", "delivered", "failed", "cancelled")


class DeliverySchema(Schema):
    event_id = fields.String(required=True)
    event_type = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(DELIVERY_STATUSES))
    attempts = fields.Integer(required=True)
    created_at = WireTime(required=True)
    last_attempt_at = WireTime(required=True, allow_none=True)
    next_attempt_at = WireTime(required=True, allow_none=True, metadata={"description": "While pending."})
    delivered_at = WireTime(required=True, allow_none=True)
    response_status = fields.Integer(required=True, allow_none=True)
    error = fields.String(required=True, allow_none=True)


class DeliveryListSchema(Schema):
    deliveries = fields.List(fields.Nested(DeliverySchema), required=True)


class QueuedDeliverySchema(Schema):
    delivery = fields.Nested(DeliverySchema, required=True)


def _webhook_values(webhook: Webhook) -> dict[str, Any]:
    return {"id": webhook.webhook_id, "url": webhook.url, "events": list(webhook.events),
            "created_at": webhook.created_at}  # fmt: skip


def dump_webhook(webhook: Webhook, secret: str | None = None) -> dict[str, Any]:
    """An endpoint as listed; its signing secret only in the creation response."""
    if secret is None:
        listed: dict[str, Any] = WebhookSchema().dump(_webhook_values(webhook))
        return listed
    created: dict[str, Any] = CreatedWebhookSchema().dump({**_webhook_values(webhook), "secret": secret})
    return created


def dump_webhooks(webhooks: list[Webhook]) -> dict[str, Any]:
    dumped: dict[str, Any] = WebhookListSchema().dump({"webhooks": [_webhook_values(w) for w in webhooks]})
    return dumped


def _delivery_values(delivery: Delivery) -> dict[str, Any]:
    return {
        "event_id": delivery.event_id,
        "event_type": delivery.event_type,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "created_at": delivery.created_at,
        "last_attempt_at": delivery.last_attempt_at,
        "next_attempt_at": delivery.next_attempt_at if delivery.status == "pending" else None,
        "delivered_at": delivery.delivered_at,
        "response_status": delivery.response_status,
        "error": delivery.error,
    }


def dump_delivery(delivery: Delivery) -> dict[str, Any]:
    dumped: dict[str, Any] = DeliverySchema().dump(_delivery_values(delivery))
    return dumped


def dump_deliveries(deliveries: list[Delivery]) -> dict[str, Any]:
    dumped: dict[str, Any] = DeliveryListSchema().dump(
        {"deliveries": [_delivery_values(d) for d in deliveries]}
    )
    return dumped


def dump_queued(delivery: Delivery) -> dict[str, Any]:
    dumped: dict[str, Any] = QueuedDeliverySchema().dump({"delivery": _delivery_values(delivery)})
    return dumped
