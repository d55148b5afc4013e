"""The lifecycle schedule: trial reminders and ends, subscription invoices and ends (home
stack; it reads every data region's licenses, and the partners' addresses for reminders),
and the summaries partners opt into on their profile."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from partnerapp.domain import timestamps
from partnerapp.services.lifecycle import run_lifecycle
from partnerapp.settings import get_settings

logger = Logger()


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    report = run_lifecycle(get_settings(), timestamps.utc_now())
    if any(report.values()):
        logger.info("lifecycle run", extra=report)
    return report
