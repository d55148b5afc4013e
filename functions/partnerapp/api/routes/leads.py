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
from partnerapp.api.requests import json_body
from partnerapp.api.responses import json_response

router = APIGatewayHttpRouter()
LEADS = "/v2/partners/solutions/leads"
SUBMIT_OPERATION = "submit_lead"


def _leads() -> Any:
    from partnerapp.services.leads import Leads

    return Leads(dependencies().settings)


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


@router.get(LEADS)
def leads() -> dict[str, Any]:
    from partnerapp.schemas.leads import dump_leads

    partner = require_partner(router.current_event)
    return dump_leads(_leads().listed(partner.partner_id))


@router.get(f"{LEADS}/<lead_id>")
def lead(lead_id: str) -> dict[str, Any]:
    from partnerapp.schemas.leads import dump_lead

    partner = require_partner(router.current_event)
    return dump_lead(_leads().one(partner.partner_id, lead_id))


@router.get(f"{LEADS}/<lead_id>/history")
def lead_history(lead_id: str) -> dict[str, Any]:
    from partnerapp.schemas.leads import dump_history

    partner = require_partner(router.current_event)
    return dump_history(_leads().one(partner.partner_id, lead_id))
