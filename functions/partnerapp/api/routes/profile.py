"""`GET /v2/partners` and `PUT /v2/partners/profile`: the signed-in partner's profile, as the
Text Partner API v2 documents it ("Get Profile", "Update Profile")."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.documented import Doc
from partnerapp.api.requests import json_body
from partnerapp.api.responses import no_content

router = APIGatewayHttpRouter()


@Doc("The signed-in partner's profile", response="profile.ProfileSchema", errors=(401,))
@router.get("/v2/partners")
def profile() -> dict[str, Any]:
    from partnerapp.schemas.profile import dump_profile

    return dump_profile(require_partner(router.current_event))


@Doc(
    "Update the profile",
    "Every field is replaced; an opt-in left out keeps its value. send_reseller_weekly_summary, "
    "send_monthly_summary and send_notifications start or stop those emails; send_newsletter is "
    "kept and shown back, and no newsletter is sent from here.",
    body="profile.UpdateProfileSchema",
    success=204,
    success_description="Saved.",
    no_body=True,
    errors=(400, 401, 409, 413, 415),
)
@router.put("/v2/partners/profile")
def update_profile() -> Response[str]:
    from partnerapp.api.validation import load
    from partnerapp.schemas.profile import UpdateProfileSchema
    from partnerapp.services.profiles import update_profile

    partner = require_partner(router.current_event)
    data = load(UpdateProfileSchema, json_body(router.current_event))
    deps = dependencies()
    update_profile(deps.partners, partner.partner_id, data, deps.clock())
    return no_content()
