"""`POST /v2/billing/events`: the billing system reports a subscription or a payment.

Not a partner's route: the billing system signs each event with its own secret
(`Billing-Signature: t=<unix>,v1=<HMAC-SHA256 of "<t>.<body>">`, see partnerapp.signing),
and an event id is applied once however often it is sent. Event types we do not act on are
acknowledged and ignored, so the billing system does not retry them.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp import signing
from partnerapp.api.dependencies import dependencies
from partnerapp.api.documented import Doc
from partnerapp.api.errors import ApiError, validation
from partnerapp.api.requests import json_body, raw_body
from partnerapp.api.validation import load

router = APIGatewayHttpRouter()
logger = Logger(child=True)

SIGNATURE_HEADER = "billing-signature"
MAX_CLOCK_SKEW_SECONDS = signing.TOLERANCE_SECONDS


def _authenticate() -> None:
    deps = dependencies()
    event = router.current_event
    now = int(deps.clock().timestamp())
    header, body = event.headers.get(SIGNATURE_HEADER), raw_body(event)
    # During a rotation of the secret both its values are accepted (see runtime_secrets).
    if not any(signing.verify(header, body, secret, now) for secret in deps.settings.billing_events_secrets):
        raise ApiError(
            401, "authentication", "A valid Billing-Signature header is required (signed within 5 minutes)."
        )


@Doc(
    "Report a billing event (for the billing system)",
    "Not for partners: authenticated by `Billing-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "
    '"<t>.<body>" with the billing secret>`, within 5 minutes. `subscription.created` (data: '
    "`license`) converts the license to paid; `payment.succeeded` (data: `license`, `amount_cents`, "
    "`currency`) records a payment and the partner's commission. An event id is applied once; "
    "other event types are acknowledged and ignored.",
    body="billing.EnvelopeSchema",
    response="billing.BillingAnswerSchema",
    public=True,
    errors=(400, 401, 404, 409, 413, 415),
)
@router.post("/v2/billing/events")
def billing_event() -> dict[str, Any]:
    from marshmallow import ValidationError

    from partnerapp.domain import conversion
    from partnerapp.schemas.billing import EnvelopeSchema, dump_answer, load_data
    from partnerapp.services.billing_events import BillingEvent, BillingEvents

    _authenticate()
    envelope = load(EnvelopeSchema, json_body(router.current_event))
    deps = dependencies()
    if envelope["type"] not in conversion.EVENT_TYPES:
        logger.info("billing event ignored", extra={"event_type": envelope["type"][:100]})
        return dump_answer(envelope["id"], "ignored")
    if (envelope["created"] - deps.clock()).total_seconds() > MAX_CLOCK_SKEW_SECONDS:
        raise validation({"created": ["Must not be in the future."]})
    try:
        data = load_data(envelope["type"], envelope["data"])
    except ValidationError as error:
        raise validation(error.normalized_messages()) from None
    billing_event = BillingEvent(
        event_id=envelope["id"],
        event_type=envelope["type"],
        occurred_at=envelope["created"],
        license_id=data["license"],
        amount_cents=data.get("amount_cents"),
    )
    result = BillingEvents(deps.settings, deps.clock).apply(billing_event)
    logger.info(
        "billing event",
        extra={"event_type": billing_event.event_type, "license_id": data["license"], "result": result},
    )
    return dump_answer(billing_event.event_id, result)
