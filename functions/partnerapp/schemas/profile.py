"""The partner's profile on the wire: `GET /v2/partners` and `PUT /v2/partners/profile`
(Text Partner API v2, "Get Profile" and "Update Profile"); the profile page loads its form
with the same schema."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields

from partnerapp.domain.partners import OPT_INS, Partner
from partnerapp.schemas.fields import EmailAddress, Text

# Every partner here is in the solution program, accepted when their account was made.
SOLUTION_STATUS = "accepted"


class StrictBoolean(fields.Boolean):
    """JSON true or false only (a form's "true"/"false" are typed before loading)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError("Must be true or false.")
        return value


class UpdateProfileSchema(Schema):
    """Every field named; unknown fields are refused (marshmallow's default)."""

    first_name = Text(required=True, max_length=100)
    last_name = Text(required=True, max_length=100)
    contact_name = Text(required=True, max_length=100)
    contact_email = EmailAddress(required=True)
    send_monthly_summary = StrictBoolean()
    send_reseller_weekly_summary = StrictBoolean()
    send_newsletter = StrictBoolean()
    send_notifications = StrictBoolean()


class ProfileSchema(Schema):
    """`GET /v2/partners`: the documented keys, then the opt-ins (an addition: what PUT sets)."""

    partner_id = fields.String(required=True)
    login = fields.String(required=True)
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    contact_name = fields.String(required=True)
    contact_email = fields.String(required=True)
    solution_status = fields.Constant(SOLUTION_STATUS, required=True)
    # The Text API keeps its dashboard's pop-up states here; this site has none.
    properties: fields.Constant[dict[str, Any]] = fields.Constant({}, required=True)
    send_monthly_summary = fields.Boolean(required=True)
    send_reseller_weekly_summary = fields.Boolean(required=True)
    send_newsletter = fields.Boolean(required=True)
    send_notifications = fields.Boolean(required=True)


def dump_profile(partner: Partner) -> dict[str, Any]:
    values: dict[str, Any] = {
        "partner_id": partner.partner_id,
        "login": partner.login,
        "first_name": partner.first_name,
        "last_name": partner.last_name,
        "contact_name": partner.contact_name,
        "contact_email": partner.contact_email,
    }
    values.update({name: partner.opted_in(name) for name in OPT_INS})
    dumped: dict[str, Any] = ProfileSchema().dump(values)
    return dumped
