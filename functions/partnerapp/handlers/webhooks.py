"""The webhook schedule: hand new license events on to the endpoints that subscribed, then
send what is due (home stack: endpoints and deliveries live in the partners table)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from partnerapp.domain import timestamps
from partnerapp.services.webhook_run import run_once
from partnerapp.settings import get_settings

logger = Logger()


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    report = run_once(get_settings(), timestamps.utc_now())
    if any(value for key, value in report.items() if not key.endswith("waiting")):
        logger.info("webhook run", extra=report)
    return report
