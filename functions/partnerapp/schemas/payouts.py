"""Payout details on the wire: the Text API's "Get Billing" and "Update Billing"."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate

from partnerapp.domain.countries import COUNTRY_CODES
from partnerapp.domain.payouts import TYPES, PayoutDetails
from partnerapp.schemas.fields import EmailAddress, Text


class CountryCode(fields.String):
    """An ISO 3166-1 alpha-2 code, in either case (`us` is `US`); the document lists the
    codes in upper case, as they are stored and shown."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(metadata={"enum": sorted(COUNTRY_CODES)}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        code = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        if code not in COUNTRY_CODES:
            raise ValidationError("Not an ISO 3166-1 alpha-2 country code (like US or DE).")
        return code


class UpdatePayoutSchema(Schema):
    """`PUT /v2/partners/billing`: the documented fields; unknown fields are refused."""

    type = fields.String(required=True, validate=validate.OneOf(TYPES))
    company = Text(required=True, max_length=100)
    address = Text(required=True, max_length=200)
    city = Text(required=True, max_length=100)
    country = CountryCode(required=True)
    paypal = EmailAddress(required=True)
    zip_code = Text(max_length=20)
    vat = Text(max_length=30)
    state = Text(max_length=100)

    @post_load
    def _details(self, data: dict[str, Any], **_: Any) -> PayoutDetails:
        return PayoutDetails(**data)


class PayoutSchema(Schema):
    """`GET /v2/partners/billing`: the documented keys (an optional one left out is ""), and
    `state`, which the docs' update takes but their example answer does not show."""

    company = fields.String(required=True)
    vat = fields.String(required=True)
    address = fields.String(required=True)
    city = fields.String(required=True)
    zip_code = fields.String(required=True)
    country = fields.String(required=True)
    paypal = fields.String(required=True)
    type = fields.String(required=True)
    state = fields.String(required=True)


def dump_payout(details: PayoutDetails) -> dict[str, Any]:
    dumped: dict[str, Any] = PayoutSchema().dump(details)
    return dumped
