"""The billing system's events on the wire: an envelope, and each type's `data`.

Fields we do not use are ignored (a billing system adds fields over time); the ones we use
are checked like any request: a bad one is a 400 that names it."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from partnerapp import catalog
from partnerapp.domain import conversion
from partnerapp.domain.timestamps import from_wire

MAX_LICENSE_ID = 10**18 - 1
MAX_AMOUNT_CENTS = 10**11  # a billion dollars: anything above is a mistake


class LicenseNumber(fields.Integer):
    """A license id: a JSON integer, or a string of ASCII digits (never "²": not str.isdigit)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, str) and re.fullmatch(r"[0-9]{1,18}", value):
            value = int(value)
        elif not isinstance(value, int) or isinstance(value, bool):
            raise self.make_error("invalid")
        return int(super()._deserialize(value, attr, data, **kwargs))


class WireTimestamp(fields.Field[Any]):
    """`YYYY-MM-DD HH:MM:SS`, UTC, as everywhere in the API."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        try:
            return from_wire(value)
        except (TypeError, ValueError):
            raise ValidationError("Use YYYY-MM-DD HH:MM:SS (UTC).") from None


class EnvelopeSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=100), validate.Regexp(r"^[A-Za-z0-9_.:-]+$")],
    )
    type = fields.String(required=True, validate=validate.Length(min=1, max=100))
    created = WireTimestamp(required=True)
    data = fields.Dict(required=True)


class SubscriptionCreatedSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    # The id as the partner API writes it (a JSON string of digits), or as a number.
    license = LicenseNumber(required=True, validate=validate.Range(min=1, max=MAX_LICENSE_ID))


class PaymentSucceededSchema(SubscriptionCreatedSchema):
    amount_cents = fields.Integer(
        strict=True, required=True, validate=validate.Range(min=1, max=MAX_AMOUNT_CENTS)
    )
    currency = fields.String(load_default=catalog.CURRENCY, validate=validate.OneOf([catalog.CURRENCY]))


DATA_SCHEMAS: dict[str, type[Schema]] = {
    conversion.SUBSCRIPTION_CREATED: SubscriptionCreatedSchema,
    conversion.PAYMENT_SUCCEEDED: PaymentSucceededSchema,
}


def load_data(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """The event's `data`, checked; errors are named under `data`."""
    try:
        loaded: dict[str, Any] = DATA_SCHEMAS[event_type]().load(data)
    except ValidationError as error:
        raise ValidationError({"data": error.normalized_messages()}) from None
    return loaded


BILLING_RESULTS = ("applied", "duplicate", "ignored")


class BillingAnswerSchema(Schema):
    received = fields.Boolean(required=True)
    event_id = fields.String(required=True)
    result = fields.String(
        required=True,
        validate=validate.OneOf(BILLING_RESULTS),
        metadata={"description": "`applied`, `duplicate` (this event id was applied before) or `ignored`."},
    )


def dump_answer(event_id: str, result: str) -> dict[str, Any]:
    dumped: dict[str, Any] = BillingAnswerSchema().dump(
        {"received": True, "event_id": event_id, "result": result}
    )
    return dumped
