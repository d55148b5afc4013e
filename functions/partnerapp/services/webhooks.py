"""A partner's webhook endpoints: register (the signing secret is shown once, stored
encrypted), list, delete, read the delivery log, and queue a test event."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from partnerapp.domain import events, webhooks
from partnerapp.domain.errors import NotFound, RuleViolation
from partnerapp.domain.webhooks import Delivery, Webhook
from partnerapp.secret_box import SecretBox
from partnerapp.services import webhook_targets
from partnerapp.services.webhook_targets import Resolver
from partnerapp.settings import Settings
from partnerapp.store.webhooks import DeliveryLog, WebhookRepository

SECRET_PREFIX = "whsec"  # noqa: S105 - the public prefix of generated secrets  # nosec B105
MAX_LOG_ENTRIES = 100


def secret_box(settings: Settings) -> SecretBox:
    return SecretBox(settings.keyed_hash_secret, "webhook-secrets")


def bound_to(webhook: Webhook) -> str:
    return f"{webhook.partner_id}/{webhook.webhook_id}"


class WebhookService:
    def __init__(self, settings: Settings, resolver: Resolver = webhook_targets.system_resolver) -> None:
        self._settings = settings
        self._resolver = resolver
        self._webhooks = WebhookRepository(settings)
        self._log = DeliveryLog(settings)

    def register(
        self, partner_id: str, url: str, event_types: list[str], now: datetime
    ) -> tuple[Webhook, str]:
        """The new endpoint and its secret (the only time the secret is shown)."""
        self.check_target(url)
        if len(self._webhooks.of_partner(partner_id)) >= webhooks.MAX_WEBHOOKS_PER_PARTNER:
            reason = f"at most {webhooks.MAX_WEBHOOKS_PER_PARTNER} webhooks per partner"
            raise RuleViolation(reason, {"url": [reason]})
        webhook = Webhook(uuid.uuid4().hex[:16], partner_id, url, tuple(dict.fromkeys(event_types)), now)
        secret = f"{SECRET_PREFIX}_{secrets.token_urlsafe(32)}"
        self._webhooks.add(webhook, secret_box(self._settings).seal(secret, bound_to(webhook)))
        return webhook, secret

    def check_target(self, url: str) -> None:
        """UnsafeTarget unless the URL may receive deliveries (the route names the field)."""
        allow = self._settings.local
        webhook_targets.resolve(webhook_targets.check_url(url, allow), allow, self._resolver)

    def secret(self, webhook: Webhook) -> str:
        sealed = self._webhooks.sealed_secret(webhook.partner_id, webhook.webhook_id)
        if sealed is None:
            raise NotFound("Webhook not found.")
        return secret_box(self._settings).open(sealed, bound_to(webhook))

    def owned(self, partner_id: str, webhook_id: str) -> Webhook:
        found = self._webhooks.get(partner_id, webhook_id) if _plausible_id(webhook_id) else None
        if found is None:
            raise NotFound("Webhook not found.")
        return found

    def endpoints(self, partner_id: str) -> list[Webhook]:
        return self._webhooks.of_partner(partner_id)

    def delete(self, partner_id: str, webhook_id: str) -> None:
        """Its pending deliveries are cancelled by the sender when it finds the endpoint gone."""
        if not _plausible_id(webhook_id) or not self._webhooks.delete(partner_id, webhook_id):
            raise NotFound("Webhook not found.")

    def deliveries(self, partner_id: str, webhook_id: str) -> list[Delivery]:
        self.owned(partner_id, webhook_id)
        return self._log.newest(webhook_id, MAX_LOG_ENTRIES)

    def send_test(self, partner_id: str, webhook_id: str, now: datetime) -> Delivery:
        """Queue a `webhook.test` event to this endpoint; the sender delivers it like any other."""
        webhook = self.owned(partner_id, webhook_id)
        nonce = uuid.uuid4().hex[:12]
        delivery = Delivery(
            webhook_id=webhook.webhook_id,
            event_id=f"evt_test_{nonce}",
            event_type=events.TEST_EVENT,
            order_key=f"{now.strftime('%Y%m%dT%H%M%S')}#test#{nonce}",
            created_at=now,
            next_attempt_at=now,
        )
        body = events.payload(delivery.event_id, delivery.event_type, now, {"webhook": webhook.webhook_id})
        self._log.add(delivery, partner_id, body)
        return delivery


def _plausible_id(webhook_id: str) -> bool:
    return len(webhook_id) == 16 and all(c in "0123456789abcdef" for c in webhook_id)
