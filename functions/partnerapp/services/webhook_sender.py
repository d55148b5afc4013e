"""Send due webhook deliveries: signed, in each endpoint's event order, retried with backoff.

Signature: `Webhook-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the
endpoint's secret (partnerapp.signing); `Webhook-Timestamp` repeats the time and `Webhook-Id`
names the event, so a receiver can refuse old messages and ignore one it already has.

An endpoint gets its events in order: while its oldest unfinished delivery waits for a retry,
the later ones wait too; once that one is delivered or given up, the next goes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from aws_lambda_powertools import Logger

from partnerapp import signing
from partnerapp.domain.webhooks import RETRY_POLICY, Webhook
from partnerapp.services import webhook_http
from partnerapp.services.webhook_http import HttpResult
from partnerapp.services.webhooks import WebhookService
from partnerapp.settings import Settings
from partnerapp.store.webhooks import DeliveryLog, PendingDelivery, WebhookRepository

logger = Logger(child=True)

USER_AGENT = "PartnerApp-Webhooks/1.0"
TIME_BUDGET_SECONDS = 40.0  # of the function's 60: stop starting new sends after this

Post = Callable[[str, bytes, dict[str, str], bool], HttpResult]


@dataclass
class SendReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    waiting: int = 0


class DeliverySender:
    def __init__(self, settings: Settings, post: Post = webhook_http.post) -> None:
        self._settings = settings
        self._post = post
        self._log = DeliveryLog(settings)
        self._webhooks = WebhookRepository(settings)
        self._service = WebhookService(settings)

    def run(self, now: datetime) -> SendReport:
        report = SendReport()
        deadline = time.monotonic() + TIME_BUDGET_SECONDS
        pending = self._log.pending()
        for webhook_id, items in groupby(pending, key=lambda p: p.delivery.webhook_id):
            if time.monotonic() > deadline:
                break
            self._drain(webhook_id, list(items), now, report)
        return report

    def _drain(
        self, webhook_id: str, items: list[PendingDelivery], now: datetime, report: SendReport
    ) -> None:
        """Deliver one endpoint's due deliveries in order, stopping at the first that must wait."""
        webhook: Webhook | None = None
        secret = b""
        for position, item in enumerate(items):
            due_at = item.delivery.next_attempt_at
            claimed = self._log.claim(item, now) if due_at is None or due_at <= now else None
            if claimed is None:  # not due, or another sender is at this endpoint: keep the order
                report.waiting += len(items) - position
                return
            if webhook is None:
                webhook = self._webhooks.get(item.partner_id, webhook_id)
                secret = self._secret(webhook) if webhook else b""
            if webhook is None:
                self._log.cancel(claimed, now)
                report.cancelled += 1
                continue
            if not secret:  # unsigned deliveries are worthless to a receiver that checks
                self._log.failed(
                    claimed, None, "signing secret unreadable: register the endpoint again", now, None
                )
                report.failed += 1
                continue
            if not self._attempt(webhook, secret, claimed, now, report):
                report.waiting += len(items) - position - 1
                return

    def _secret(self, webhook: Webhook) -> bytes:
        """The endpoint's signing secret; empty if it no longer opens (the keyed-hash secret
        it was sealed with was rotated)."""
        try:
            return self._service.secret(webhook).encode()
        except ValueError:
            logger.error("webhook secret does not open", extra={"webhook_id": webhook.webhook_id})
            return b""

    def _attempt(
        self, webhook: Webhook, secret: bytes, item: PendingDelivery, now: datetime, report: SendReport
    ) -> bool:
        """Send once; True if the endpoint's next delivery may go now (this one is finished)."""
        result = self._post(webhook.url, item.body, self._headers(item, secret, now), self._settings.local)
        ids = {"webhook_id": webhook.webhook_id, "event_id": item.delivery.event_id}
        if result.ok and result.status is not None:
            self._log.delivered(item, result.status, now)
            report.delivered += 1
            logger.info("webhook delivered", extra=ids)
            return True
        attempts = item.delivery.attempts + 1
        next_at = RETRY_POLICY.next_attempt_at(attempts, now)
        error = result.error or "failed"
        self._log.failed(item, result.status, error, now, next_at)
        details = {**ids, "attempts": attempts, "status": result.status}
        if next_at is None:
            report.failed += 1
            logger.warning("webhook delivery given up", extra=details)
            return True
        report.retrying += 1
        logger.info("webhook delivery failed, will retry", extra=details)
        return False

    @staticmethod
    def _headers(item: PendingDelivery, secret: bytes, now: datetime) -> dict[str, str]:
        timestamp = int(now.timestamp())
        return {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Webhook-Id": item.delivery.event_id,
            "Webhook-Timestamp": str(timestamp),
            "Webhook-Signature": signing.signature_header(secret, timestamp, item.body),
        }
