"""The API's resolver: routers, error mapping and the headers every response carries."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError

from partnerapp.api import browser
from partnerapp.api.errors import (
    ApiError,
    error_response,
    from_domain,
    is_transient,
    method_not_allowed,
    not_found,
    unavailable,
)
from partnerapp.api.routes import (
    article_feedback,
    balance,
    billing,
    commission_metric,
    coupons,
    earnings,
    earnings_page,
    invitations,
    leads,
    license_form,
    license_import,
    license_page,
    licenses,
    licenses_page,
    listing,
    management,
    money_pages,
    organizations,
    partners,
    payouts,
    profile,
    profile_page,
    sign_in,
    tokens_page,
    unsubscribe,
    webhooks,
    withdrawals,
)
from partnerapp.api.unsupported import not_supported, unsupported_section
from partnerapp.domain.errors import DomainError

logger = Logger(child=True)

app = APIGatewayHttpResolver()
app.include_router(partners.router)
app.include_router(profile.router)
app.include_router(licenses.router)
app.include_router(listing.router)
app.include_router(management.router)
app.include_router(organizations.router)
app.include_router(earnings.router)
app.include_router(webhooks.router)
app.include_router(billing.router)
app.include_router(payouts.router)
app.include_router(balance.router)
app.include_router(withdrawals.router)
app.include_router(commission_metric.router)
app.include_router(coupons.router)
app.include_router(leads.router)
app.include_router(money_pages.router)
# The help center's browser routes (session cookie instead of a bearer token).
app.include_router(sign_in.router)
app.include_router(license_form.router)
app.include_router(earnings_page.router)
app.include_router(licenses_page.router)
app.include_router(license_import.router)
app.include_router(license_page.router)
app.include_router(tokens_page.router)
app.include_router(profile_page.router)
# The unsubscribe link of a summary email (its signature, not a session, is the credential).
app.include_router(unsubscribe.router)
# The page an invitation email links to (its token, not a session, is the credential).
app.include_router(invitations.router)
# "Was this article helpful?" on the help center's articles (no sign-in).
app.include_router(article_feedback.router)

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}


def _answer(error: ApiError) -> Response[str]:
    # Browsers on the help center's routes get a page; scripts and API clients get JSON.
    return browser.error_answer(app.current_event, error)


@app.exception_handler(ApiError)
def _api_error(error: ApiError) -> Response[str]:
    return _answer(error)


@app.exception_handler(DomainError)
def _domain_error(error: DomainError) -> Response[str]:
    return _answer(from_domain(error))


@app.not_found
def _unknown_route(_: NotFoundError) -> Response[str]:
    section = unsupported_section(app.current_event.path)
    if section is not None:
        return _not_offered(section)
    allowed = allowed_methods(app.current_event.path)
    if allowed:
        return _answer(method_not_allowed(allowed))
    return _answer(not_found())


def _not_offered(section: str) -> Response[str]:
    """A documented method not offered here: the 401 (or 429) every method gives comes first,
    as with the served ones; a signed-in partner gets the 501."""
    from partnerapp.api.auth import require_partner

    try:
        require_partner(app.current_event)
    except ApiError as refused:
        return error_response(refused)
    return error_response(not_supported(section))


def allowed_methods(path: str) -> list[str]:
    """The methods of the path's operation (none: the path is unknown). As in routing, a
    literal path wins over a pattern: `.../licenses/search/csv` is not a license's."""
    for routes in (app._static_routes, app._dynamic_routes):
        matching = [route for route in routes if route.rule.match(path)]
        if matching:
            best = min((route.rule.pattern for route in matching), key=lambda rule: rule.count("("))
            return sorted({route.method.upper() for route in matching if route.rule.pattern == best})
    return []


@app.exception_handler(Exception)
def _unexpected(error: Exception) -> Response[str]:
    if is_transient(error):
        # Throttled or unreachable AWS: nothing was stored (writes are transactions), so the
        # caller can simply retry, with the same Idempotency-Key.
        logger.warning("dependency unavailable", extra={"error": type(error).__name__})
        return _answer(unavailable())
    logger.exception("unhandled error")
    return _answer(ApiError(500, "internal", "Something went wrong on our side; please retry."))


def with_security_headers(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.setdefault("headers", {}) or {}
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    response["headers"] = headers
    return response
