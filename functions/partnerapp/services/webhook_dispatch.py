"""Hand each license event on to the partner's webhook endpoints that subscribed to it.

Events wait in their data region's `events` index (written with the change itself, so none is
lost); the dispatcher adds one delivery per subscribed endpoint in the home region (a
conditional put: doing it twice adds nothing) and only then takes the event out of the index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from partnerapp.domain import events
from partnerapp.domain.webhooks import Delivery, Webhook
from partnerapp.settings import Settings
from partnerapp.store.events import EventIndex, PendingEvent
from partnerapp.store.webhooks import DeliveryLog, WebhookRepository


@dataclass
class DispatchReport:
    events: int = 0
    deliveries: int = 0


class EventDispatcher:
    def __init__(self, settings: Settings) -> None:
        self._events = EventIndex(settings)
        self._webhooks = WebhookRepository(settings)
        self._log = DeliveryLog(settings)

    def run(self, now: datetime) -> DispatchReport:
        report = DispatchReport()
        endpoints: dict[str, list[Webhook]] = {}  # per partner, read once per run
        for event in self._events.pending():
            if event.partner_id not in endpoints:
                endpoints[event.partner_id] = self._webhooks.of_partner(event.partner_id)
            for webhook in endpoints[event.partner_id]:
                if webhook.wants(event.event_type) and self._hand_on(event, webhook, now):
                    report.deliveries += 1
            self._events.dispatched(event)
            report.events += 1
        return report

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
