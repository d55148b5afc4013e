"""The outbox sweep: sends every invitation whose next attempt is due (retries with
backoff in AWS, on a schedule; in local mode it is the only sender, run every second)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from partnerapp.domain.timestamps import utc_now
from partnerapp.services.delivery import InvitationMailer
from partnerapp.settings import get_settings

logger = Logger()


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    report = InvitationMailer(get_settings()).deliver_due(utc_now())
    if report.sent or report.retrying or report.dead_lettered or report.suppressed or report.errors:
        logger.info("outbox sweep", extra=asdict(report))
    return asdict(report)
