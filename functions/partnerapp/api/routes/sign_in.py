"""`/web/sign-in`, `/web/session`, `/web/sign-out`: passwordless sign-in for the help center.

A partner asks for a link by email, the link starts a session (an HttpOnly cookie), and
signing out deletes the session on the server. A `next` (the page the partner was on) travels
from the sign-in form through the emailed link and its confirm button to the redirect after
signing in; only a same-site relative path is kept (domain.return_paths), else the default.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api import browser
from partnerapp.api.dependencies import dependencies

router = APIGatewayHttpRouter()

SENT_PAGE = "/sign-in-sent.html"
SIGNED_OUT_PAGE = "/signed-out.html"
AFTER_SIGN_IN = "/guides/setting-up-licenses.html#create-license"


@router.get("/web/session")
def session_status() -> dict[str, Any]:
    """Who is signed in, for the pages' script (never the session id itself)."""
    partner = browser.signed_in_partner(router.current_event)
    if partner is None:
        return {"signed_in": False}
    return {"signed_in": True, "partner": {"contact_name": partner.contact_name, "login": partner.login}}


def _next(value: str | None) -> str | None:
    from partnerapp.domain.return_paths import safe_next

    return safe_next(value)


@router.get("/web/sign-in")
def sign_in_form() -> Response[str]:
    """The sign-in page with the page to return to (the static /sign-in.html has none)."""
    from partnerapp.web import pages

    wanted = _next(router.current_event.get_query_string_value("next"))
    return browser.html(200, pages.sign_in_page("", {}, wanted))


@router.post("/web/sign-in")
def request_link() -> Response[str]:
    """Email a one-time link; the answer is the same whether or not the account exists."""
    from marshmallow import ValidationError

    from partnerapp.schemas.sign_in import SignInRequestSchema
    from partnerapp.web import messages, pages

    event = router.current_event
    browser.require_same_origin(event)
    form = dict(parse_qsl(browser.form_body(event), keep_blank_values=True))
    typed, wanted = form.get("email", ""), _next(form.get("next"))
    try:
        email = SignInRequestSchema().load({"email": typed} if typed.strip() else {})["email"]
    except ValidationError as error:
        errors = {"email": ["Enter the email address of your partner account."]}
        if typed.strip():
            said = error.normalized_messages().get("email", [])
            errors = {"email": [messages.friendly(str(m), typed, {"kind": "email"}, "email") for m in said]}
        return browser.html(400, pages.sign_in_page(typed, errors, wanted))
    browser.sign_in().request_link(email, wanted)
    return browser.see_other(SENT_PAGE)


CONFIRM = "/web/sign-in/confirm"


def _link_used_up() -> Response[str]:
    from partnerapp.web import pages

    page = pages.message_page(
        "This sign-in link no longer works",
        ["Sign-in links work once and for 15 minutes. Ask for a new one; it arrives within a minute."],
        [("/sign-in.html", "Get a new sign-in link")],
    )
    return browser.html(400, page)


@router.get(CONFIRM)
def show_link() -> Response[str]:
    """The emailed link: a page with one button. Opening it spends nothing, so a mail
    scanner that fetches the link cannot use it up before the partner does."""
    from partnerapp.web import pages

    event = router.current_event
    token = event.get_query_string_value("token")
    if not browser.sign_in().is_usable(token):
        return _link_used_up()
    wanted = _next(event.get_query_string_value("next"))
    return browser.html(200, pages.sign_in_confirm_page(token or "", wanted))


@router.post(CONFIRM)
def confirm_link() -> Response[str]:
    """The page's button: a valid link starts a session and opens the page the partner came
    from (`next`), else the create-license form. Same origin only, so another site cannot sign
    a browser into someone else's account."""
    from partnerapp.services.sign_in import SESSION_LIFETIME

    event = router.current_event
    browser.require_same_origin(event)
    form = dict(parse_qsl(browser.form_body(event), keep_blank_values=True))
    session = browser.sign_in().redeem(form.get("token"))
    if session is None:
        return _link_used_up()
    cookie = browser.session_cookie(dependencies().settings, session, int(SESSION_LIFETIME.total_seconds()))
    return browser.see_other(_next(form.get("next")) or AFTER_SIGN_IN, cookies=[cookie])


@router.post("/web/sign-out")
def sign_out() -> Response[str]:
    event = router.current_event
    browser.require_same_origin(event)
    browser.sign_in().sign_out(browser.session_secret(event))
    cleared = browser.session_cookie(dependencies().settings, "", 0)
    return browser.see_other(SIGNED_OUT_PAGE, cookies=[cleared])
