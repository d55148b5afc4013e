"""Request bodies and query strings of the license-management routes."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from partnerapp import catalog
from partnerapp.schemas.fields import Text
from partnerapp.schemas.licenses import MAX_OPERATORS, OperatorSchema

DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S")
# What the document says of a date bound: a calendar date, or one with a time of day.
DATE_BOUND = {
    "anyOf": [
        {"type": "string", "format": "date"},
        # (days 29..31 are accepted with a time too; the pattern keeps to what every month has)
        {
            "type": "string",
            "pattern": r"^[1-9]\d{3}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$",
        },
    ]
}


class ListQuerySchema(Schema):
    """`GET .../licenses[/<status>]`: `date_from`, `date_to`, `limit`, `next_cursor`."""

    date_from = fields.String(validate=validate.Length(max=19), metadata=DATE_BOUND)
    date_to = fields.String(validate=validate.Length(max=19), metadata=DATE_BOUND)
    limit = fields.Integer(load_default=15, validate=validate.Range(min=1, max=100))
    next_cursor = fields.String(validate=validate.Length(max=2000))


class UpdateLicenseSchema(Schema):
    client_name = Text(min_length=5, max_length=100)
    purchase_order = Text(max_length=100)

    @validates_schema
    def something_to_change(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("Give client_name and/or purchase_order.", "_schema")


class OperatorsSchema(Schema):
    operators = fields.List(
        fields.Nested(OperatorSchema), required=True, validate=validate.Length(min=1, max=MAX_OPERATORS)
    )


class OfferSchema(Schema):
    extra_discount_percent = fields.Integer(
        strict=True, validate=validate.Range(min=0, max=catalog.MAX_EXTRA_DISCOUNT_PERCENT)
    )
    extend_trial_days = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=catalog.MAX_TRIAL_DAYS_WITH_EXTENSIONS - catalog.TRIAL.min_days),
    )

    @validates_schema
    def something_to_change(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("Give extra_discount_percent and/or extend_trial_days.", "_schema")


class SubscriptionSchema(Schema):
    plan = fields.String(required=True, validate=validate.OneOf(tuple(catalog.PLANS)))
    billing_cycle = fields.String(required=True, validate=validate.OneOf(tuple(catalog.BILLING_CYCLES)))
    seats = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=1000))


class SubscriptionChangeSchema(Schema):
    plan = fields.String(validate=validate.OneOf(tuple(catalog.PLANS)))
    billing_cycle = fields.String(validate=validate.OneOf(tuple(catalog.BILLING_CYCLES)))
    seats = fields.Integer(strict=True, validate=validate.Range(min=1, max=1000))

    @validates_schema
    def something_to_change(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("Give plan, billing_cycle and/or seats.", "_schema")


class CloseSubscriptionSchema(Schema):
    expire = fields.String(load_default="end_of_cycle", validate=validate.OneOf(("now", "end_of_cycle")))


class CsvQuerySchema(Schema):
    filters = fields.String(load_default="[]", validate=validate.Length(max=4000))


FILTER_FIELDS = (
    "license_product",
    "license_status",
    "license_details",
    "license_created_at",
    "payment_origin",
)
FILTER_OPERATORS = ("equals", "contains", "exists", "greater_or_equal", "lesser_or_equal")


class FilterSchema(Schema):
    field = fields.String(required=True, validate=validate.OneOf(FILTER_FIELDS))
    operator = fields.String(required=True, validate=validate.OneOf(FILTER_OPERATORS))
    value = fields.String(validate=validate.Length(max=200))

    @validates_schema
    def value_unless_exists(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("operator") != "exists" and "value" not in data:
            raise ValidationError("A value is required for this operator.", "value")
