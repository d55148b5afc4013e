"""`/web/tokens`: the signed-in partner's API tokens in the help center (session cookie).

Creating redirects to the page (so a reload posts nothing again), which shows the secret once
(it is never stored, only its digest: api.shown_once carries it across the redirect); a label
taken already, in any case, is shown at the field; revoking asks first, then deletes the token as
`DELETE /v2/partners/tokens/<id>` does: its next request is a 401. Same rules as the API:
a label is required, and the store's own functions issue and revoke.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.shared.cookies import Cookie

from partnerapp.api import browser, shown_once
from partnerapp.api.dependencies import dependencies
from partnerapp.domain.partners import ApiToken, Partner

router = APIGatewayHttpRouter()
logger = Logger(child=True)

PAGE = "/web/tokens"
SIGN_IN_REASON = "Your API tokens are shown to you only, once signed in."
NOTICES = {
    "revoked": "The token is revoked: requests that send it are refused from now on.",
    # A reload after the secret was shown: the token exists, its secret is not shown again.
    "created": "The token is created. Its secret is shown only once, right after creating it: "
    "if you did not copy it, revoke the token and create another.",
}


def _partner() -> Partner | Response[str]:
    from partnerapp.web import pages

    partner = browser.signed_in_partner(router.current_event)
    if partner is None:
        return browser.html(
            401,
            pages.sign_in_first_page(
                "Sign in to manage your API tokens", SIGN_IN_REASON, browser.here(router.current_event)
            ),
        )
    return partner


def _page(
    partner: Partner, status: int, cookies: list[Cookie] | None = None, **context: object
) -> Response[str]:
    from partnerapp.web import account

    deps = dependencies()
    tokens = deps.partners.list_tokens(partner.partner_id)
    page = account.tokens_page(partner, tokens, deps.settings.site_url, **context)  # type: ignore[arg-type]
    return browser.html(status, page, cookies=cookies)


@router.get(PAGE)
def tokens_page() -> Response[str]:
    found = _partner()
    if isinstance(found, Response):
        return found
    settings = dependencies().settings
    created = shown_once.take(settings, router.current_event, found.partner_id)
    done = (router.current_event.query_string_parameters or {}).get("done", "")
    notice = None if created else NOTICES.get(done)
    # Shown now, and never again: the cookie is cleared by this very answer.
    cookies = [shown_once.cleared(settings)] if created else None
    return _page(found, 200, cookies, created=created, notice=notice)


@router.post(PAGE)
def create_token() -> Response[str]:
    from marshmallow import ValidationError

    from partnerapp.domain.errors import Conflict
    from partnerapp.schemas.partners import CreateTokenSchema
    from partnerapp.web import account

    event = router.current_event
    browser.require_same_origin(event)
    found = _partner()
    if isinstance(found, Response):
        return found
    typed = dict(parse_qsl(browser.form_body(event), keep_blank_values=True))
    label = typed.get("label", "")
    try:
        data = CreateTokenSchema().load({"label": label} if label.strip() else {})
    except ValidationError as error:
        errors = account.schema_errors(CreateTokenSchema(), error.normalized_messages(), {"label": label})
        return _page(found, 400, errors=errors, values={"label": label})
    deps = dependencies()
    try:
        token, secret = deps.partners.issue_token(found, data["label"], deps.clock())
    except Conflict as refused:
        return _page(found, 409, errors=account.token_refusal(refused, label), values={"label": label})
    # The id only: never the secret (nor its digest) in a log.
    logger.info(
        "API token created from the help center",
        extra={"partner_id": found.partner_id, "token_id": token.token_id},
    )
    carried = shown_once.carry(deps.settings, found.partner_id, {"label": token.label, "secret": secret})
    return browser.see_other(f"{PAGE}?done=created", cookies=[carried])


def _owned(partner: Partner, token_id: str) -> ApiToken | None:
    return next(
        (t for t in dependencies().partners.list_tokens(partner.partner_id) if t.token_id == token_id), None
    )


def _not_found(partner: Partner) -> Response[str]:
    from partnerapp.web import pages

    page = pages.message_page(
        "Token not found", ["There is no such token among yours."], [(PAGE, "Your API tokens")], partner
    )
    return browser.html(404, page)


@router.get(f"{PAGE}/<token_id>/revoke")
def confirm_revoke(token_id: str) -> Response[str]:
    from partnerapp.web import account

    found = _partner()
    if isinstance(found, Response):
        return found
    token = _owned(found, token_id)
    if token is None:
        return _not_found(found)
    return browser.html(200, account.revoke_page(found, token))


@router.post(f"{PAGE}/<token_id>/revoke")
def revoke(token_id: str) -> Response[str]:
    from partnerapp.domain.errors import NotFound

    browser.require_same_origin(router.current_event)
    found = _partner()
    if isinstance(found, Response):
        return found
    try:
        dependencies().partners.revoke_token(found.partner_id, token_id)
    except NotFound:
        return _not_found(found)
    logger.info(
        "API token revoked from the help center", extra={"partner_id": found.partner_id, "token_id": token_id}
    )
    return browser.see_other(f"{PAGE}?done=revoked")
