"""SES bounce and complaint events, published by the configuration set to SNS: mark the
invitation and stop sending to the address. A failed record raises, so Lambda retries the
event and then parks it in the function's dead-letter queue."""

from __future__ import annotations

import functools
import json
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes import SNSEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from partnerapp.domain.feedback import parse_ses_event
from partnerapp.domain.timestamps import utc_now
from partnerapp.services.feedback import FeedbackRecorder
from partnerapp.settings import get_settings

logger = Logger()


@functools.cache
def _recorder() -> FeedbackRecorder:
    return FeedbackRecorder(get_settings())


def _region_of(topic_arn: str) -> str:
    # arn:<partition>:sns:<region>:<account>:<topic>
    return topic_arn.split(":")[3]


@logger.inject_lambda_context
@event_source(data_class=SNSEvent)
def lambda_handler(event: SNSEvent, context: LambdaContext) -> dict[str, int]:
    recorded = ignored = 0
    for record in event.records:
        message: dict[str, Any] = json.loads(record.sns.message)
        feedback = parse_ses_event(message)
        if feedback is not None and _recorder().record(feedback, _region_of(record.sns.topic_arn), utc_now()):
            recorded += 1
        else:
            ignored += 1  # deliveries, transient bounces, other regions' events
    return {"recorded": recorded, "ignored": ignored}
