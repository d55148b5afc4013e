"""`/v2/partners/webhooks`: a partner's endpoints for license events, their delivery log and
a test event on demand. Another partner's endpoint is a 404, like an unknown one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api import idempotency
from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.documented import Doc
from partnerapp.api.errors import validation
from partnerapp.api.requests import json_body, no_body
from partnerapp.api.responses import json_response, no_content
from partnerapp.api.validation import load

if TYPE_CHECKING:
    from partnerapp.services.webhooks import WebhookService

router = APIGatewayHttpRouter()

WEBHOOKS = "/v2/partners/webhooks"
WEBHOOK_ID = {"webhook_id": "The endpoint's id, from its creation."}


def _service() -> WebhookService:
    from partnerapp.services.webhooks import WebhookService

    return WebhookService(dependencies().settings)


@Doc(
    "Register a webhook endpoint",
    "An https URL on a public address and the events to send it. The signing `secret` is in "
    "this response only. Each delivery is a POST of `{id, type, created_at, data}` (ids and "
    "enumerations only) with `Webhook-Id`, `Webhook-Timestamp` and `Webhook-Signature: "
    't=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`: refuse a signature '
    "more than 5 minutes old. A failed delivery (not 2xx within 5 s) is retried with exponential "
    "backoff for about 3.5 hours; each endpoint gets its events in order.",
    body="webhooks.CreateWebhookSchema",
    success=201,
    response="webhooks.CreatedWebhookSchema",
    errors=(400, 401, 403, 413, 415, 422),
    idempotent=True,
)
@router.post(WEBHOOKS)
def create_webhook() -> Response[str]:
    """201 with the secret. A retry with the same Idempotency-Key answers the same endpoint
    and secret (decrypted again: the idempotency record holds only the endpoint's id)."""
    from partnerapp.schemas.webhooks import CreateWebhookSchema, dump_webhook
    from partnerapp.services.webhook_targets import UnsafeTarget

    partner = require_partner(router.current_event)
    body = json_body(router.current_event)
    data = load(CreateWebhookSchema, body)
    service, deps = _service(), dependencies()

    def register() -> dict[str, Any]:
        try:
            webhook, _ = service.register(partner.partner_id, data["url"], data["events"], deps.clock())
        except UnsafeTarget as refused:
            raise validation({"url": [str(refused)]}) from None
        return {"webhook_id": webhook.webhook_id}

    remembered, replayed = idempotency.once(
        router.current_event.headers,
        partner_id=partner.partner_id,
        operation="create_webhook",
        request=body,
        action=register,
        context=router.lambda_context,
    )
    webhook = service.owned(partner.partner_id, remembered["webhook_id"])
    headers = {"Idempotent-Replayed": "true"} if replayed else None
    return json_response(201, dump_webhook(webhook, service.secret(webhook)), headers)


@Doc("List webhook endpoints", response="webhooks.WebhookListSchema", errors=(401,))
@router.get(WEBHOOKS)
def list_webhooks() -> dict[str, Any]:
    from partnerapp.schemas.webhooks import dump_webhooks

    partner = require_partner(router.current_event)
    return dump_webhooks(_service().endpoints(partner.partner_id))


@Doc(
    "Delete a webhook endpoint",
    "Deliveries not made yet are cancelled.",
    success=204,
    success_description="Deleted.",
    no_body=True,
    errors=(401, 404),
    parameters=WEBHOOK_ID,
)
@router.delete(f"{WEBHOOKS}/<webhook_id>")
def delete_webhook(webhook_id: str) -> Response[str]:
    partner = require_partner(router.current_event)
    _service().delete(partner.partner_id, webhook_id)
    return no_content()


@Doc(
    "The endpoint's deliveries, newest first",
    "Status `pending`, `delivered`, `failed` (given up) or `cancelled`, with the attempts made.",
    response="webhooks.DeliveryListSchema",
    errors=(401, 404),
    parameters=WEBHOOK_ID,
)
@router.get(f"{WEBHOOKS}/<webhook_id>/deliveries")
def webhook_deliveries(webhook_id: str) -> dict[str, Any]:
    from partnerapp.schemas.webhooks import dump_deliveries

    partner = require_partner(router.current_event)
    return dump_deliveries(_service().deliveries(partner.partner_id, webhook_id))


@Doc(
    "Send a test event",
    "Queues a `webhook.test` event to this endpoint, delivered like any other within a minute.",
    success=202,
    success_description="Queued.",
    response="webhooks.QueuedDeliverySchema",
    errors=(401, 404),
    parameters=WEBHOOK_ID,
)
@router.post(f"{WEBHOOKS}/<webhook_id>/test")
def test_webhook(webhook_id: str) -> Response[str]:
    """202: the test event is queued; the webhook sender delivers it within a minute."""
    from partnerapp.schemas.webhooks import dump_queued

    partner = require_partner(router.current_event)
    no_body(router.current_event)
    delivery = _service().send_test(partner.partner_id, webhook_id, dependencies().clock())
    return json_response(202, dump_queued(delivery))
