"""One run of the webhooks job, as its schedule or `partnerapp webhooks run` does it: hand new
events on, send what is due, and count the items that raised as the `WebhookJobErrors` metric
(its alarm tells the operator; the items themselves are retried, then given up)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from partnerapp.services.webhook_dispatch import EventDispatcher
from partnerapp.services.webhook_sender import DeliverySender
from partnerapp.settings import Settings

ERRORS_METRIC = "WebhookJobErrors"


def run_once(settings: Settings, now: datetime) -> dict[str, int]:
    dispatched = EventDispatcher(settings).run(now)
    sent = DeliverySender(settings).run(now)
    report = {
        "events": dispatched.events,
        "queued": dispatched.deliveries,
        "event_errors": dispatched.event_errors,
        "events_given_up": dispatched.events_given_up,
        "events_waiting": dispatched.events_waiting,
        **asdict(sent),
    }
    errors = dispatched.event_errors + sent.errors
    if errors:
        with single_metric(name=ERRORS_METRIC, unit=MetricUnit.Count, value=errors):
            pass
    return report
