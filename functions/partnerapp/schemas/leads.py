"""Leads on the wire: the Text API's "Submit Lead", "Get Leads", "Get Lead Details" and
"Get Lead History"."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from partnerapp.domain.leads import MONETIZATION_TYPES, Lead
from partnerapp.schemas import descriptions
from partnerapp.schemas.fields import EmailAddress, Text, WireTime
from partnerapp.schemas.profile import StrictBoolean


class SubmitLeadSchema(Schema):
    """`POST /v2/partners/solutions/leads`: the documented fields; unknown fields are refused."""

    partner_name = Text(required=True, max_length=100)
    partner_email = EmailAddress(required=True)
    company_name = Text(required=True, max_length=200)
    contact_email = EmailAddress(required=True)
    domain = Text(required=True, max_length=253)
    first_name = Text(required=True, max_length=100)
    last_name = Text(required=True, max_length=100)
    region = Text(
        max_length=50, metadata={"description": "A country code: European ones are kept in the EU."}
    )
    job_title = Text(max_length=100)
    phone_number = Text(max_length=40)
    description = Text(max_length=2000)
    sends_personal_introduction = StrictBoolean(load_default=False)
    is_included_in_communication = StrictBoolean(load_default=False)
    # The document says `true` only (an enum), so a generated request never sends false.
    accepts_requirements = StrictBoolean(
        required=True,
        validate=validate.Equal(True, error="The lead submission's requirements must be accepted (true)."),
        metadata={"description": "Must be true."},
    )
    monetization_type = fields.String(required=True, validate=validate.OneOf(MONETIZATION_TYPES))


class SubmittedLeadSchema(Schema):
    lead_id = fields.String(required=True, metadata={"description": descriptions.LEAD_ID})


class LeadRowSchema(Schema):
    lead_id = fields.String(required=True, metadata={"description": descriptions.LEAD_ID})
    company_name = fields.String(required=True)
    contact_email = fields.String(required=True)
    status = fields.String(required=True)


class LeadListSchema(Schema):
    result = fields.List(fields.Nested(LeadRowSchema), required=True)


class LeadDetailsSchema(Schema):
    partner_id = fields.String(required=True)
    external_lead_id = fields.String(required=True)
    status = fields.String(required=True)
    fee_amount = fields.Integer(required=True, metadata={"description": "Always 0: no fee is paid here."})
    company_name = fields.String(required=True)
    contact_email = fields.String(required=True)
    domain = fields.String(required=True)
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    region = fields.String(required=True)
    job_title = fields.String(required=True)
    phone_number = fields.String(required=True)
    description = fields.String(required=True)
    updated_at = WireTime(required=True)


class LeadChangeSchema(Schema):
    name = fields.String(required=True)
    created_at = WireTime(required=True)


class LeadHistorySchema(Schema):
    result = fields.List(fields.Nested(LeadChangeSchema), required=True)


def _row(lead: Lead) -> dict[str, Any]:
    return {"lead_id": lead.lead_id, "status": lead.status, **lead.details}


def dump_leads(leads: list[Lead]) -> dict[str, Any]:
    dumped: dict[str, Any] = LeadListSchema().dump({"result": [_row(lead) for lead in leads]})
    return dumped


def dump_lead(lead: Lead) -> dict[str, Any]:
    optional = {name: "" for name in ("region", "job_title", "phone_number", "description")}
    values = {**optional, **lead.details, "partner_id": lead.partner_id, "external_lead_id": lead.lead_id}
    values.update(status=lead.status, fee_amount=0, updated_at=lead.updated_at)
    dumped: dict[str, Any] = LeadDetailsSchema().dump(values)
    return dumped


def dump_history(lead: Lead) -> dict[str, Any]:
    dumped: dict[str, Any] = LeadHistorySchema().dump({"result": list(lead.history)})
    return dumped
