"""The mailer: consumes the licenses table's stream and sends new emails (invitations, trial
reminders) at once."""

from __future__ import annotations

import functools
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from partnerapp.domain.timestamps import utc_now
from partnerapp.services.delivery import DeliveryReport, InvitationMailer
from partnerapp.settings import get_settings

logger = Logger()
tracer = Tracer()
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
EMAIL_ENTITIES = ("invitation", "mail")  # the outbox's items: invitations, lifecycle emails


@functools.cache
def _mailer() -> InvitationMailer:
    return InvitationMailer(get_settings())


def deliver_record(record: DynamoDBRecord) -> None:
    """Failures of SES are recorded on the item and retried by the sweep; anything that
    raises here (DynamoDB unavailable, say) is reported back so the stream retries it."""
    image = record.dynamodb.new_image if record.dynamodb else None
    if not image or image.get("entity") not in EMAIL_ENTITIES or image.get("status") != "pending":
        return
    _mailer().deliver(int(image["license_id"]), str(image["sk"]), utc_now(), DeliveryReport())


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(  # type: ignore[return-value]
        event=event, record_handler=deliver_record, processor=processor, context=context
    )
