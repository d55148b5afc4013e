"""`/v2/partners/webhooks`: a partner's endpoints for license events, their delivery log and
a test event on demand. Another partner's endpoint is a 404, like an unknown one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api import idempotency
from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.errors import validation
from partnerapp.api.requests import json_body, no_body
from partnerapp.api.responses import json_response, no_content
from partnerapp.api.validation import load

if TYPE_CHECKING:
    from partnerapp.services.webhooks import WebhookService

router = APIGatewayHttpRouter()

WEBHOOKS = "/v2/partners/webhooks"


def _service() -> WebhookService:
    from partnerapp.services.webhooks import WebhookService

    return WebhookService(dependencies().settings)


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


@router.get(WEBHOOKS)
def list_webhooks() -> dict[str, Any]:
    from partnerapp.schemas.webhooks import dump_webhooks

    partner = require_partner(router.current_event)
    return dump_webhooks(_service().endpoints(partner.partner_id))


@router.delete(f"{WEBHOOKS}/<webhook_id>")
def delete_webhook(webhook_id: str) -> Response[str]:
    partner = require_partner(router.current_event)
    _service().delete(partner.partner_id, webhook_id)
    return no_content()


@router.get(f"{WEBHOOKS}/<webhook_id>/deliveries")
def webhook_deliveries(webhook_id: str) -> dict[str, Any]:
    from partnerapp.schemas.webhooks import dump_deliveries

    partner = require_partner(router.current_event)
    return dump_deliveries(_service().deliveries(partner.partner_id, webhook_id))


@router.post(f"{WEBHOOKS}/<webhook_id>/test")
def test_webhook(webhook_id: str) -> Response[str]:
    """202: the test event is queued; the webhook sender delivers it within a minute."""
    from partnerapp.schemas.webhooks import dump_queued

    partner = require_partner(router.current_event)
    no_body(router.current_event)
    delivery = _service().send_test(partner.partner_id, webhook_id, dependencies().clock())
    return json_response(202, dump_queued(delivery))
