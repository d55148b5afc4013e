"""Hand each license event on to the partner's webhook endpoints that subscribed to it.

Events wait in their data region's `events` index (written with the change itself, so none is
lost); the dispatcher adds one delivery per subscribed endpoint in the home region (a
conditional put: doing it twice adds nothing) and only then takes the event out of the index.

An event whose hand-on raises (a record no one can read, say) is one failed attempt, never a
failed run: retried with the deliveries' backoff (store/event_retries.py), then given up
(taken out of the index with its reason); the events after it go on. Until it succeeds, a
later event of the same license may reach an endpoint first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aws_lambda_powertools import Logger

from partnerapp.domain import events
from partnerapp.domain.webhooks import RETRY_POLICY, Delivery, Webhook
from partnerapp.settings import Settings
from partnerapp.store.event_retries import EventRetries, EventRetry
from partnerapp.store.events import EventIndex, PendingEvent
from partnerapp.store.webhooks import DeliveryLog, WebhookRepository

logger = Logger(child=True)


class UnreadableEvent(ValueError):
    """The event's record in the index could not be read; the message names the error."""


@dataclass
class DispatchReport:
    events: int = 0
    deliveries: int = 0
    event_errors: int = 0  # hand-ons that raised
    events_given_up: int = 0
    events_waiting: int = 0  # for their next try after one that raised


class EventDispatcher:
    def __init__(self, settings: Settings) -> None:
        self._events = EventIndex(settings)
        self._webhooks = WebhookRepository(settings)
        self._log = DeliveryLog(settings)
        self._retries = EventRetries(settings)

    def run(self, now: datetime) -> DispatchReport:
        report = DispatchReport()
        endpoints: dict[str, list[Webhook]] = {}  # per partner, read once per run
        retries = self._retries.all()
        for event in self._events.pending():
            retry = retries.get(event.event_id)
            if retry is not None and retry.status == "given_up":  # its take-out did not finish
                self._events.given_up(event, retry.error, now)
                continue
            if retry is not None and retry.retry_at is not None and retry.retry_at > now:
                report.events_waiting += 1
                continue
            try:
                self._dispatch(event, endpoints, now, report)
            except Exception as error:  # a poison event is one failed attempt, not a failed run
                self._poisoned(event, retry, error, now, report)
                continue
            if retry is not None and retry.status == "retrying":
                self._retries.handed_on(retry, event.partner_id, now)
        return report

    def _dispatch(
        self, event: PendingEvent, endpoints: dict[str, list[Webhook]], now: datetime, report: DispatchReport
    ) -> None:
        if event.unreadable is not None:
            raise UnreadableEvent(event.unreadable)
        if event.partner_id not in endpoints:
            endpoints[event.partner_id] = self._webhooks.of_partner(event.partner_id)
        for webhook in endpoints[event.partner_id]:
            if webhook.wants(event.event_type) and self._hand_on(event, webhook, now):
                report.deliveries += 1
        self._events.dispatched(event)
        report.events += 1

    def _poisoned(
        self,
        event: PendingEvent,
        retry: EventRetry | None,
        error: Exception,
        now: datetime,
        report: DispatchReport,
    ) -> None:
        """Count it and schedule its next try, or give it up; the reason is the exception's
        type (its text may hold anything)."""
        report.event_errors += 1
        attempts = (retry.attempts if retry and retry.status == "retrying" else 0) + 1
        retry_at = RETRY_POLICY.next_attempt_at(attempts, now)
        reason = f"could not be handed on: {type(error).__name__}"
        ids = {"event_id": event.event_id, "attempts": attempts}
        logger.exception("webhook event could not be handed on", extra=ids)
        status = "retrying" if retry_at else "given_up"
        try:
            self._retries.record(
                EventRetry(event.event_id, attempts, retry_at, reason, status), event.partner_id, now
            )
            if retry_at is None:
                self._events.given_up(event, reason, now)
        except Exception:  # the store itself fails: the event stays as it was, for the next run
            logger.exception("webhook event failure not recorded", extra=ids)
            return
        if retry_at is None:
            report.events_given_up += 1
            logger.warning("webhook event given up", extra=ids)

    def _hand_on(self, event: PendingEvent, webhook: Webhook, now: datetime) -> bool:
        delivery = Delivery(
            webhook_id=webhook.webhook_id,
            event_id=event.event_id,
            event_type=event.event_type,
            order_key=event.order_key,
            created_at=now,
            next_attempt_at=now,
        )
        body = events.payload(event.event_id, event.event_type, event.occurred_at, event.data)
        return self._log.add(delivery, event.partner_id, body)
