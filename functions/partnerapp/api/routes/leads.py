"""`/v2/partners/solutions/leads`: a Solution partner's leads, as the Text Partner API
documents them ("Submit Lead", "Get Leads", "Get Lead Details", "Get Lead History"). A
partner sees only its own leads: another's id is a 404, as an unknown one is."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api import idempotency
from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.documented import Doc
from partnerapp.api.requests import json_body
from partnerapp.api.responses import json_response
from partnerapp.schemas import descriptions

router = APIGatewayHttpRouter()
LEADS = "/v2/partners/solutions/leads"
LEAD_ID = {"lead_id": descriptions.LEAD_ID}
SUBMIT_OPERATION = "submit_lead"


def _leads() -> Any:
    from partnerapp.services.leads import Leads

    return Leads(dependencies().settings)


@Doc(
    "Submit a lead (the docs' Submit Lead)",
    "`accepts_requirements` must be true; `monetization_type` `flat_fee` or `rev_share`. The "
    "contact data is kept in the region `region` names: a European country code (or `EU`) in "
    "the EU, anything else in the USA. Its status starts `new`; an operator moves it.",
    body="leads.SubmitLeadSchema",
    success=201,
    response="leads.SubmittedLeadSchema",
    errors=(400, 401, 409, 413, 415, 422),
    idempotent=True,
)
@router.post(LEADS)
def submit_lead() -> Response[str]:
    from partnerapp.api.validation import load
    from partnerapp.schemas.leads import SubmitLeadSchema

    event = router.current_event
    partner = require_partner(event)
    idempotency.idempotency_key(event.headers)  # a malformed key is a 400 before anything else
    body = json_body(event)
    details = load(SubmitLeadSchema, body)
    ref = idempotency.request_ref(
        event.headers, partner_id=partner.partner_id, operation=SUBMIT_OPERATION, request=body
    )

    def submit() -> dict[str, Any]:
        # Remembered under the key: the lead's id only, never the contact data in it.
        lead = _leads().submit(partner.partner_id, details, dependencies().clock(), request_ref=ref)
        return {"lead_id": lead.lead_id}

    made, replayed = idempotency.once(
        event.headers,
        partner_id=partner.partner_id,
        operation=SUBMIT_OPERATION,
        request=body,
        action=submit,
        context=router.lambda_context,
    )
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return json_response(201, {"lead_id": made["lead_id"]}, headers)


@Doc("Your leads, newest first (the docs' Get Leads)", response="leads.LeadListSchema", errors=(401,))
@router.get(LEADS)
def leads() -> dict[str, Any]:
    from partnerapp.schemas.leads import dump_leads

    partner = require_partner(router.current_event)
    return dump_leads(_leads().listed(partner.partner_id))


@Doc(
    "A lead (the docs' Get Lead Details)",
    "Status `new`, `contacted`, `qualified`, `won` or `lost`; `fee_amount` is 0. Another "
    "partner's lead is a 404.",
    response="leads.LeadDetailsSchema",
    errors=(401, 404),
    parameters=LEAD_ID,
)
@router.get(f"{LEADS}/<lead_id>")
def lead(lead_id: str) -> dict[str, Any]:
    from partnerapp.schemas.leads import dump_lead

    partner = require_partner(router.current_event)
    return dump_lead(_leads().one(partner.partner_id, lead_id))


@Doc(
    "A lead's changes, oldest first (the docs' Get Lead History)",
    "`lead_was_created`, then one `lead_was_<status>` per status change.",
    response="leads.LeadHistorySchema",
    errors=(401, 404),
    parameters=LEAD_ID,
)
@router.get(f"{LEADS}/<lead_id>/history")
def lead_history(lead_id: str) -> dict[str, Any]:
    from partnerapp.schemas.leads import dump_history

    partner = require_partner(router.current_event)
    return dump_history(_leads().one(partner.partner_id, lead_id))
