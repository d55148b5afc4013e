"""Send due webhook deliveries: signed, in each endpoint's event order, retried with backoff.

Signature: `Webhook-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the
endpoint's secret (partnerapp.signing); `Webhook-Timestamp` repeats the time and `Webhook-Id`
names the event, so a receiver can refuse old messages and ignore one it already has.

An endpoint gets its events in order: while its oldest unfinished delivery waits for a retry,
the later ones wait too; once that one is delivered or given up, the next goes.

A delivery whose attempt raises (a record the sender cannot use) is a failed attempt like
any other: retried on the same schedule, then given up with its reason in the delivery log;
the other endpoints' deliveries go on.
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
    errors: int = 0  # attempts that raised (counted among retrying or failed too)


@dataclass(frozen=True)
class _Endpoint:
    webhook: Webhook | None  # None: deleted
    secret: bytes  # empty: it no longer opens


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
            try:
                self._drain(webhook_id, list(items), now, report)
            except Exception:  # the store failed (a claim, or recording a failure): next run
                report.errors += 1
                logger.exception("webhook endpoint skipped this run", extra={"webhook_id": webhook_id})
        return report

    def _drain(
        self, webhook_id: str, items: list[PendingDelivery], now: datetime, report: SendReport
    ) -> None:
        """Deliver one endpoint's due deliveries in order, stopping at the first that must wait."""
        endpoint: _Endpoint | None = None
        for position, item in enumerate(items):
            due_at = item.delivery.next_attempt_at
            claimed = self._log.claim(item, now) if due_at is None or due_at <= now else None
            if claimed is None:  # not due, or another sender is at this endpoint: keep the order
                report.waiting += len(items) - position
                return
            try:
                endpoint = endpoint or self._endpoint(claimed.partner_id, webhook_id)
                finished = self._deliver(endpoint, claimed, now, report)
            except Exception as error:  # a poison delivery is one failed attempt, not a failed run
                finished = self._poisoned(claimed, error, now, report)
            if not finished:
                report.waiting += len(items) - position - 1
                return

    def _endpoint(self, partner_id: str, webhook_id: str) -> _Endpoint:
        webhook = self._webhooks.get(partner_id, webhook_id)
        return _Endpoint(webhook, self._secret(webhook) if webhook else b"")

    def _deliver(self, endpoint: _Endpoint, item: PendingDelivery, now: datetime, report: SendReport) -> bool:
        """Send, cancel or give up one claimed delivery; True if the endpoint's next may go now."""
        if endpoint.webhook is None:
            self._log.cancel(item, now)
            report.cancelled += 1
            return True
        if not endpoint.secret:  # unsigned deliveries are worthless to a receiver that checks
            self._log.failed(item, None, "signing secret unreadable: register the endpoint again", now, None)
            report.failed += 1
            return True
        return self._attempt(endpoint.webhook, endpoint.secret, item, now, report)

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
        if result.ok and result.status is not None:
            self._log.delivered(item, result.status, now)
            report.delivered += 1
            logger.info("webhook delivered", extra=_ids(item))
            return True
        return self._failed(item, result.status, result.error or "failed", now, report)

    def _poisoned(self, item: PendingDelivery, error: Exception, now: datetime, report: SendReport) -> bool:
        """An attempt that raised: counted and retried like any failure, its reason (the
        exception's type, not its text, which may hold anything) in the delivery log."""
        report.errors += 1
        logger.exception("webhook delivery raised", extra=_ids(item))
        return self._failed(item, None, f"could not be sent: {type(error).__name__}", now, report)

    def _failed(
        self, item: PendingDelivery, status: int | None, error: str, now: datetime, report: SendReport
    ) -> bool:
        """Schedule the next attempt or give up; True if the endpoint's next may go now."""
        attempts = item.delivery.attempts + 1
        next_at = RETRY_POLICY.next_attempt_at(attempts, now)
        self._log.failed(item, status, error, now, next_at)
        details = {**_ids(item), "attempts": attempts, "status": status}
        if next_at is None:
            report.failed += 1
            logger.warning("webhook delivery given up", extra={**details, "error": error})
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


def _ids(item: PendingDelivery) -> dict[str, str]:
    return {"webhook_id": item.delivery.webhook_id, "event_id": item.delivery.event_id}
