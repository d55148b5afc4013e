"""`/web/profile`: the signed-in partner's profile in the help center (session cookie).

The form loads with the API's own `UpdateProfileSchema` and writes through the same
versioned update as `PUT /v2/partners/profile`: 303 back to the page saying it was saved, or
the page again with the errors next to the fields and nothing changed. The form carries the
profile version it was shown with, so a stale page (changed elsewhere meanwhile) is a 409.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api import browser
from partnerapp.api.dependencies import dependencies
from partnerapp.domain.partners import Partner

router = APIGatewayHttpRouter()

PAGE = "/web/profile"
SIGN_IN_REASON = "Your profile is shown to you only, once signed in."
STALE = (
    "Your profile changed elsewhere since this page was shown: this is how it is now. Make your change again."
)


def _partner() -> Partner | Response[str]:
    from partnerapp.web import pages

    partner = browser.signed_in_partner(router.current_event)
    if partner is None:
        return browser.html(
            401,
            pages.sign_in_first_page(
                "Sign in to see your profile", SIGN_IN_REASON, browser.here(router.current_event)
            ),
        )
    return partner


@router.get(PAGE)
def profile_page() -> Response[str]:
    from partnerapp.web import account

    found = _partner()
    if isinstance(found, Response):
        return found
    saved = (router.current_event.query_string_parameters or {}).get("done") == "saved"
    notice = "Your profile is saved." if saved else None
    return browser.html(200, account.profile_page(found, account.profile_values(found), notice=notice))


@router.post(PAGE)
def save_profile() -> Response[str]:
    from marshmallow import ValidationError

    from partnerapp.schemas.profile import UpdateProfileSchema
    from partnerapp.services.profiles import update_profile
    from partnerapp.web import account

    event = router.current_event
    browser.require_same_origin(event)
    found = _partner()
    if isinstance(found, Response):
        return found
    body, shown, version = account.profile_submission(browser.form_body(event))
    try:
        # A field the profile never had may stay empty (account.required_profile_fields).
        data = UpdateProfileSchema().load(body, partial=account.optional_profile_fields(found))
    except ValidationError as error:
        errors = account.schema_errors(UpdateProfileSchema(), error.normalized_messages(), shown)
        return browser.html(400, account.profile_page(found, shown, errors=errors))
    if version != str(found.version):
        errors = {"version": [STALE]}
        return browser.html(409, account.profile_page(found, account.profile_values(found), errors=errors))
    deps = dependencies()
    update_profile(deps.partners, found.partner_id, data, deps.clock())
    return browser.see_other(f"{PAGE}?done=saved")
