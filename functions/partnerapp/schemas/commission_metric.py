"""The Text API's "Get Commission Metric": `{value}`, the commission earned in a window, in
dollars, optionally of one product and one program."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from partnerapp.schemas import descriptions
from partnerapp.schemas.earnings import QueryMoment
from partnerapp.schemas.fields import Dollars

PRODUCTS = ("livechat", "chatbot", "helpdesk", "all")
PROGRAMS = ("solution", "affiliate", "all")


class CommissionMetricQuerySchema(Schema):
    """Both dates optional (`YYYY-MM-DDTHH:mm:ssZ`): from the last 365 days up to now."""

    date_from = QueryMoment(metadata={"description": descriptions.EARNED_FROM})
    date_to = QueryMoment(end_of_day=True, metadata={"description": descriptions.EARNED_TO})
    product = fields.String(
        load_default="all", validate=validate.OneOf(PRODUCTS), metadata={"description": descriptions.PRODUCT}
    )
    program = fields.String(load_default="all", validate=validate.OneOf(PROGRAMS))

    @validates_schema
    def window_is_sensible(self, data: dict[str, Any], **_: Any) -> None:
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError({"date_from": ["Must be on or before date_to."]})


class CommissionMetricSchema(Schema):
    value = Dollars(required=True)


def dump_metric(cents: int) -> dict[str, Any]:
    dumped: dict[str, Any] = CommissionMetricSchema().dump({"value": cents})
    return dumped
