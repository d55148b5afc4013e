"""What the routes serving browsers (the help center) share: the session cookie, the
same-origin check on posts, and HTML and redirect answers carrying the pages' headers.

Browser routes authenticate with a session cookie instead of a bearer token, so every
state-changing one is checked for a same-origin Origin header: with SameSite=Lax cookies,
that refuses cross-site posts even from browsers that would send the cookie.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.shared.cookies import Cookie, SameSite
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from partnerapp.api.dependencies import dependencies
from partnerapp.api.errors import ApiError, error_response
from partnerapp.api.requests import media_type, raw_body
from partnerapp.web.headers import PAGE_SECURITY_HEADERS

if TYPE_CHECKING:
    from partnerapp.domain.partners import Partner
    from partnerapp.services.sign_in import SignIn
    from partnerapp.settings import Settings

HTML = "text/html; charset=utf-8"
FORM = "application/x-www-form-urlencoded"


def session_cookie_name(settings: Settings) -> str:
    # The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and
    # for Path=/, so a sibling subdomain cannot plant one. Plain http (local mode) cannot use it.
    return "partner_session" if settings.local else "__Host-partner_session"


def session_cookie(settings: Settings, value: str, max_age: int) -> Cookie:
    return Cookie(
        name=session_cookie_name(settings),
        value=value,
        path="/",
        secure=not settings.local,
        http_only=True,
        max_age=max_age,
        same_site=SameSite.LAX_MODE,
    )


def session_secret(event: APIGatewayProxyEventV2) -> str | None:
    wanted = session_cookie_name(dependencies().settings)
    for cookie in event.cookies:
        name, _, value = cookie.partition("=")
        if name.strip() == wanted and value.strip():
            return value.strip()
    return None


def sign_in() -> SignIn:
    from partnerapp.services.sign_in import SignIn

    deps = dependencies()
    return SignIn(deps.settings, deps.clock, deps.partners)


def signed_in_partner(event: APIGatewayProxyEventV2) -> Partner | None:
    secret = session_secret(event)
    return sign_in().partner(secret) if secret else None


def site_origin(site_url: str) -> str:
    parts = urlsplit(site_url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def require_same_origin(event: APIGatewayProxyEventV2) -> None:
    """Refuse a post that a page of another site made (a browser always sends Origin on POST)."""
    origin = (event.headers.get("origin") or "").strip().lower()
    fetch_site = (event.headers.get("sec-fetch-site") or "same-origin").lower()
    if origin != site_origin(dependencies().settings.site_url) or fetch_site not in ("same-origin", "none"):
        raise ApiError(
            403, "cross_site", "Cross-site requests are refused: post from the help center's pages."
        )


def html(status: int, body: str, cookies: list[Cookie] | None = None) -> Response[str]:
    return Response(
        status_code=status, content_type=HTML, body=body, headers=dict(PAGE_SECURITY_HEADERS), cookies=cookies
    )


def see_other(location: str, cookies: list[Cookie] | None = None) -> Response[str]:
    """303: after a post, the browser GETs `location` (a reload does not post again)."""
    headers = {**PAGE_SECURITY_HEADERS, "Location": location}
    return Response(status_code=303, content_type=HTML, body="", headers=headers, cookies=cookies)


def form_body(event: APIGatewayProxyEventV2) -> str:
    """The urlencoded body of a plain HTML form post; 415 for anything else."""
    data = raw_body(event)
    if media_type(event) != FORM:
        raise ApiError(415, "unsupported_media_type", f"Send the form as {FORM}.")
    return data.decode("utf-8", errors="replace")


def here(event: APIGatewayProxyEventV2) -> str:
    """The page asked for (path and query), for a sign-in link to return to; none for a post
    (its path may answer posts only, and what was posted is not kept)."""
    if event.request_context.http.method != "GET":
        return ""
    query = event.raw_query_string
    return f"{event.path}?{query}" if query else event.path


def wants_page(event: APIGatewayProxyEventV2) -> bool:
    """A browser on a help-center route (a link followed, a form posted) rather than a page's
    script: browsers ask for HTML, the pages' scripts for JSON (even when they post a form,
    as the article feedback does); a form posted with neither said is a browser's."""
    if not event.path.startswith("/web/"):
        return False
    accept = (event.headers.get("accept") or "").lower()
    if "text/html" in accept or "application/json" in accept:
        return "text/html" in accept
    return event.request_context.http.method == "POST" and media_type(event) == FORM


def error_answer(event: APIGatewayProxyEventV2, error: ApiError) -> Response[str]:
    """The error as a page for a browser (same status and headers), as JSON for anyone else."""
    if not wants_page(event):
        return error_response(error)
    from partnerapp.web import pages

    page = pages.error_page(error.status, error.message)
    response = html(error.status, page)
    response.headers.update(error.headers)
    return response
