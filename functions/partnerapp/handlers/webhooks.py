"""The webhook schedule: hand new license events on to the endpoints that subscribed, then
send what is due (home stack: endpoints and deliveries live in the partners table)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from partnerapp.domain import timestamps
from partnerapp.services.webhook_dispatch import EventDispatcher
from partnerapp.services.webhook_sender import DeliverySender
from partnerapp.settings import get_settings

logger = Logger()


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    settings = get_settings()
    now = timestamps.utc_now()
    dispatched = EventDispatcher(settings).run(now)
    sent = DeliverySender(settings).run(now)
    report = {"events": dispatched.events, "queued": dispatched.deliveries, **asdict(sent)}
    if any(value for key, value in report.items() if key != "waiting"):
        logger.info("webhook run", extra=report)
    return report
