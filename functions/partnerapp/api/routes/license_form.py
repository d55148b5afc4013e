"""`/web/licenses`: the help center's create-license form, acting as the signed-in partner.

Two ways in, one path through the same schema, rules and `LicenseCreator` as the API:
- a plain form post (no JavaScript): 303 to the license's page, or the form again (HTML)
  with the entries kept and each error next to its field;
- JSON from the page's script with an `Idempotency-Key`: 201 with the license and where to
  go next, or the API's error body with `fields` named as the form's fields.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.metrics import MetricUnit

from partnerapp.api import browser
from partnerapp.api.dependencies import dependencies
from partnerapp.api.errors import ApiError, error_response, from_domain
from partnerapp.api.requests import json_body, media_type
from partnerapp.api.responses import json_response
from partnerapp.domain.errors import Conflict, DomainError
from partnerapp.domain.licenses import NewLicense
from partnerapp.domain.partners import Partner
from partnerapp.web import duplicates, forms

router = APIGatewayHttpRouter()
metrics = Metrics()
logger = Logger(child=True)

# Where a filled honeypot is sent: it looks like success, and nothing was created.
RECEIVED_PAGE = "/license-received.html"
SIGN_IN_FIRST = "Sign in first: creating a license needs your partner sign-in."


class FormRejected(Exception):
    """The submission cannot be created as it is: answered per field, as HTML or JSON.
    `existing`: the page of the license the customer already has (a duplicate), if any."""

    def __init__(
        self,
        status: int,
        error_type: str,
        message: str,
        fields: dict[str, list[str]],
        existing: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.error_type, self.message, self.fields = status, error_type, message, fields
        self.existing = existing


@router.post("/web/licenses")
def create_from_form() -> Response[str]:
    event = router.current_event
    browser.require_same_origin(event)
    as_json = media_type(event) == "application/json"
    submission = forms.from_json(json_body(event)) if as_json else forms.from_form(browser.form_body(event))
    if submission.honeypot_filled:
        logger.info("honeypot filled: nothing created")
        return (
            json_response(202, {"location": RECEIVED_PAGE}) if as_json else browser.see_other(RECEIVED_PAGE)
        )
    partner = browser.signed_in_partner(event)
    try:
        if partner is None:
            raise FormRejected(401, "authentication", SIGN_IN_FIRST, {"_form": [SIGN_IN_FIRST]})
        reference, replayed = _create(partner, submission, as_json)
    except FormRejected as rejected:
        if as_json:
            return _rejected_json(rejected)
        return browser.html(
            rejected.status, _form_again(submission, rejected.fields, partner, rejected.existing)
        )
    location = f"/web/licenses/{submission.product}/{reference['license_id']}"
    # Where the browser goes next: the license's page, saying it was just created.
    next_page = f"{location}?done=created"
    if not as_json:
        return browser.see_other(next_page)
    from partnerapp.schemas.licenses import dump_created_license

    item = dependencies().licenses.get_for_partner(
        partner.partner_id, submission.product, reference["license_id"]
    )
    body = {"license": dump_created_license(item) if item else None, "location": next_page}
    headers = {"Location": location, **({"Idempotent-Replayed": "true"} if replayed else {})}
    return json_response(201, body, headers)


def _create(partner: Partner, submission: forms.Submission, as_json: bool) -> tuple[dict[str, Any], bool]:
    from marshmallow import ValidationError

    from partnerapp.api import idempotency
    from partnerapp.schemas.licenses import load_new_license

    # A page without script posts once per click; the script sends a key so a retry or a
    # double click replays the first answer instead of creating a second license.
    key = idempotency.idempotency_key(router.current_event.headers) if as_json else None
    # Every field is checked even when the product is missing, so one answer names them all.
    errors = forms.product_errors(submission.product)
    try:
        request = load_new_license(submission.product, submission.body)
    except ValidationError as error:
        errors.update(_friendly(forms.field_errors(error.normalized_messages(), submission), submission))
    if errors:
        raise FormRejected(400, "validation", "Some fields are missing or invalid.", errors)

    def create() -> dict[str, Any]:
        created = dependencies().creator.create(partner, request)
        metrics.add_metric(name="LicenseCreated", unit=MetricUnit.Count, value=1)
        # Ids and enumerations only: never the customer's name or email.
        logger.info(
            "license created from the help center",
            extra={
                "license_id": created.license_id,
                "product": request.product,
                "partner_id": partner.partner_id,
            },
        )
        return {"license_id": created.license_id}

    try:
        if key is None:
            return create(), False
        return idempotency.run_once(
            partner_id=partner.partner_id,
            key=key,
            operation="create_license",
            request={"product": submission.product, "body": submission.body},
            action=create,
            context=router.lambda_context,
        )
    except DomainError as refused:
        mapped = from_domain(refused)
        fields = forms.field_errors(refused.fields, submission) or {"_form": [refused.message]}
        existing = _existing(partner, request, refused)
        if existing:
            fields["client_email"] = [duplicates.message(request.product)]
        raise FormRejected(mapped.status, mapped.error_type, mapped.message, fields, existing) from None


def _friendly(errors: dict[str, list[str]], submission: forms.Submission) -> dict[str, list[str]]:
    """The validators' messages as the page's script words them (web.messages, one source)."""
    from partnerapp.web import messages
    from partnerapp.web.rules import form_rules

    rules = forms.rules_by_field(form_rules(), list(errors))
    return messages.friendly_errors(errors, forms.typed_values(submission), rules, forms.label_of)


def _existing(partner: Partner, request: NewLicense, refused: DomainError) -> str | None:
    """The page of the customer's license this one duplicates (the API's own refusal)."""
    if not isinstance(refused, Conflict) or "client_email" not in refused.fields:
        return None
    found = dependencies().creator.existing(partner.partner_id, request.client_email, request.product)
    return duplicates.page(request.product, found) if found is not None else None


def _rejected_json(rejected: FormRejected) -> Response[str]:
    error = ApiError(rejected.status, rejected.error_type, rejected.message, rejected.fields)
    if rejected.existing is None:
        return error_response(error)
    body = {"type": error.error_type, "message": error.message, "fields": error.fields}
    return json_response(error.status, {"error": body | {"existing_license": rejected.existing}})


def _form_again(
    submission: forms.Submission,
    errors: dict[str, list[str]],
    partner: Partner | None,
    existing: str | None = None,
) -> str:
    from partnerapp.web import pages
    from partnerapp.web.rules import form_rules

    intro = "Nothing was created yet: fix what is marked below and create the license again."
    if partner is None:
        intro = "Nothing was created: sign in, then create the license again."
    return pages.create_license_page(
        rules=form_rules(),
        values=submission.values,
        errors=errors,
        operator_rows=submission.operator_rows,
        partner=partner,
        intro=intro,
        existing=existing,
    )
