"""Request bodies and query strings of the license-management routes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from partnerapp import catalog
from partnerapp.domain.licenses import Operator
from partnerapp.schemas import descriptions
from partnerapp.schemas.fields import MAX_EMAIL_LENGTH, EmailAddress, Text
from partnerapp.schemas.licenses import MAX_OPERATORS, OperatorSchema

# The Text API writes query dates as `YYYY-MM-DDTHH:mm:ssZ` (list, by status, reports) and as
# `YYYY-MM-DD` (count); a space instead of the `T` is accepted too. A bare date as `date_to`
# means its whole day.
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S")
_DAY = r"[1-9]\d{3}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])"
_TIME = r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d"
# What the document says of a date bound (days 29..31 are accepted too; the pattern keeps to
# what every month has).
DATE_BOUND = {
    "anyOf": [
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": rf"^{_DAY}T{_TIME}Z$"},
        {"type": "string", "pattern": rf"^{_DAY} {_TIME}$"},
    ]
}


# An empty value (`date_from=`) names no moment: a 400, never an open window.
_NOT_EMPTY = validate.Length(min=1, error="Give a date: YYYY-MM-DDTHH:mm:ssZ or YYYY-MM-DD.")


def _date_bound(description: str, required: bool = False) -> fields.String:
    return fields.String(
        required=required,
        validate=[_NOT_EMPTY, validate.Length(max=20)],
        metadata={**DATE_BOUND, "description": description},
    )


class ListQuerySchema(Schema):
    """`GET .../licenses`: every license created in the window (both bounds optional). `limit`
    and `next_cursor` are our additions: without `limit` the answer holds them all."""

    date_from = _date_bound(descriptions.DATE_FROM)
    date_to = _date_bound(descriptions.DATE_TO)
    limit = fields.Integer(
        validate=validate.Range(min=1, max=100), metadata={"description": descriptions.LIMIT}
    )
    next_cursor = fields.String(
        validate=validate.Length(max=2000), metadata={"description": descriptions.NEXT_CURSOR}
    )


class StatusQuerySchema(Schema):
    """`GET .../licenses/<status>`: the docs' `limit` is 1..15, 15 by default. The docs mark
    the dates required, yet their own example sends none: both are optional here."""

    date_from = _date_bound(descriptions.DATE_FROM)
    date_to = _date_bound(descriptions.DATE_TO)
    limit = fields.Integer(
        load_default=15, validate=validate.Range(min=1, max=15), metadata={"description": descriptions.LIMIT}
    )
    next_cursor = fields.String(
        validate=validate.Length(max=2000), metadata={"description": descriptions.NEXT_CURSOR}
    )


class CountQuerySchema(Schema):
    """`GET .../licenses/count`: licenses created from `date_from` to `date_to` (required)."""

    date_from = _date_bound(descriptions.DATE_FROM, required=True)
    date_to = _date_bound(descriptions.DATE_TO, required=True)


AGGREGATIONS = ("day", "week", "month")


class LicenseReportQuerySchema(Schema):
    """`GET /solutions/reports/license`: how many licenses reached `license_status` in each
    day, week (Monday to Sunday) or month of the window."""

    date_from = _date_bound(descriptions.DATE_FROM, required=True)
    date_to = _date_bound(descriptions.DATE_TO, required=True)
    aggregation = fields.String(required=True, validate=validate.OneOf(AGGREGATIONS))
    license_status = fields.String(required=True, validate=validate.OneOf(catalog.LICENSE_STATUSES))


class UpdateLicenseSchema(Schema):
    """The docs' "Update License Details": `client_name` is required; `purchase_order` left
    out keeps its value."""

    client_name = Text(
        required=True, min_length=5, max_length=100, metadata={"description": descriptions.CLIENT_NAME}
    )
    purchase_order = Text(max_length=100, metadata={"description": descriptions.PURCHASE_ORDER})


class OperatorsSchema(Schema):
    operators = fields.List(
        fields.Nested(OperatorSchema), required=True, validate=validate.Length(min=1, max=MAX_OPERATORS)
    )


OPERATOR_VALUES = (
    "An operator whose email is not an address, or whose role is not administrator or agent, "
    "is refused alone: its own status_code 400, with `fields` saying why."
)


class OperatorShapeSchema(Schema):
    """An operator as the body must shape it (two strings); its values are judged on their own."""

    email = fields.String(
        required=True,
        validate=validate.Length(max=MAX_EMAIL_LENGTH),
        metadata={"description": descriptions.EMAIL},
    )
    role = fields.String(
        required=True, validate=validate.Length(max=100), metadata={"description": "administrator or agent"}
    )


class OperatorBatchSchema(Schema):
    """The API's invite call: a body not shaped as the docs' is a 400 for the whole call; each
    operator's values are then judged on their own (`judge_operators`), as the docs' per-user
    codes say."""

    operators = fields.List(
        fields.Nested(OperatorShapeSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_OPERATORS),
        metadata={"description": OPERATOR_VALUES},
    )


@dataclass(frozen=True)
class JudgedOperator:
    given: str  # the email as sent, for the answer
    operator: Operator | None  # None when refused
    errors: dict[str, Any] | None = None


def judge_operators(entries: list[dict[str, str]]) -> list[JudgedOperator]:
    return [_judge(entry) for entry in entries]


def _judge(entry: dict[str, str]) -> JudgedOperator:
    try:
        data = OperatorSchema().load(entry)
    except ValidationError as error:
        return JudgedOperator(entry["email"], None, error.normalized_messages())
    return JudgedOperator(entry["email"], Operator(data["email"], data["role"]))


class OfferSchema(Schema):
    extra_discount_percent = fields.Integer(
        strict=True,
        validate=validate.Range(min=0, max=catalog.MAX_EXTRA_DISCOUNT_PERCENT),
        metadata={"description": descriptions.EXTRA_DISCOUNT_PERCENT},
    )
    extend_trial_days = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=catalog.MAX_TRIAL_DAYS_WITH_EXTENSIONS - catalog.TRIAL.min_days),
        metadata={"description": "Days added to the trial."},
    )

    @validates_schema
    def something_to_change(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("Give extra_discount_percent and/or extend_trial_days.", "_schema")


class SubscriptionSchema(Schema):
    plan = fields.String(
        required=True,
        validate=validate.OneOf(tuple(catalog.PLANS)),
        metadata={"description": descriptions.PLAN},
    )
    billing_cycle = fields.String(
        required=True,
        validate=validate.OneOf(tuple(catalog.BILLING_CYCLES)),
        metadata={"description": descriptions.BILLING_CYCLE},
    )
    seats = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1, max=1000),
        metadata={"description": descriptions.SEATS},
    )


class SubscriptionChangeSchema(Schema):
    plan = fields.String(
        validate=validate.OneOf(tuple(catalog.PLANS)), metadata={"description": descriptions.PLAN}
    )
    billing_cycle = fields.String(
        validate=validate.OneOf(tuple(catalog.BILLING_CYCLES)),
        metadata={"description": descriptions.BILLING_CYCLE},
    )
    seats = fields.Integer(
        strict=True, validate=validate.Range(min=1, max=1000), metadata={"description": descriptions.SEATS}
    )

    @validates_schema
    def something_to_change(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("Give plan, billing_cycle and/or seats.", "_schema")


PAYMENT_METHOD_NOTE = (
    "A payment-method token from a card provider. Nothing here charges cards: the token is "
    "not kept; giving one records that a payment method is on file (cc_added becomes true)."
)


def _payment_token() -> fields.String:
    return fields.String(
        required=True,
        validate=[validate.Length(min=1, max=200), validate.Regexp(r"^[A-Za-z0-9_\-]+$")],
        metadata={"description": PAYMENT_METHOD_NOTE},
    )


class CreateSubscriptionSchema(SubscriptionSchema):
    token = _payment_token()


class BillingSchema(Schema):
    token = _payment_token()


CLOSING_CHECK_NOTE = (
    "Partners here have no password (they sign in by email link): send the API token this "
    "request is authorized with. Any other value is a 403, as a wrong password is in the docs."
)


class CloseSubscriptionSchema(Schema):
    """`expire`: true expires the license at once; false (the default) at the end of the
    billing cycle."""

    password = fields.String(
        required=True, validate=validate.Length(min=1, max=200), metadata={"description": CLOSING_CHECK_NOTE}
    )
    expire = fields.Boolean(load_default=False, metadata={"description": "`now`, or at the `end_of_cycle`."})


class TransferSchema(Schema):
    new_owner = EmailAddress(
        required=True, metadata={"description": "The email of one of the license's users: the new owner."}
    )


class CsvQuerySchema(Schema):
    filters = fields.String(
        load_default="[]",
        validate=validate.Length(max=4000),
        metadata={"description": "A JSON array of {field, operator, value} filters."},
    )


FILTER_FIELDS = (
    "license_product",
    "license_status",
    "license_details",
    "license_created_at",
    "payment_origin",
    "credit_card",
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


# --- answers ---------------------------------------------------------------------------


class CountSchema(Schema):
    trials = fields.Integer(required=True)
    paid = fields.Integer(required=True)
    expired = fields.Integer(required=True)


class SummarySchema(Schema):
    """Written as the docs' example writes it: every value a string, money as `12.33`."""

    trials = fields.String(required=True)
    paid = fields.String(required=True)
    expired = fields.String(required=True)
    commission = fields.String(required=True, metadata={"description": "Commission to date, dollars."})
    discount = fields.String(required=True, metadata={"description": "Discount to date, dollars."})


class DateRangeSchema(Schema):
    from_ = fields.String(data_key="from", attribute="from", required=True)
    to = fields.String(required=True)


class ReportItemSchema(Schema):
    date_range = fields.Nested(DateRangeSchema, required=True)
    total = fields.Integer(required=True)


class LicenseReportSchema(Schema):
    items = fields.List(fields.Nested(ReportItemSchema), required=True)
