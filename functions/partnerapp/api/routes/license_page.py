"""`/web/licenses/<product>/<license_id>`: the help center's page of one license for the
signed-in partner (session cookie), and the plain form posts that change it.

Each post goes through the API's own schema, domain rule and `LicenseManager` (see
`web.license_actions`), then answers 303 back to the page, which names what was done, or
the page again with the errors next to the fields and nothing changed. Another partner's
license is a 404, exactly like one that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp import catalog
from partnerapp.api import browser
from partnerapp.api.dependencies import dependencies

if TYPE_CHECKING:
    from partnerapp.domain.licenses import License
    from partnerapp.domain.partners import Partner
    from partnerapp.web.license_actions import Action, Change, Posted
    from partnerapp.web.license_view import Problem

router = APIGatewayHttpRouter()
logger = Logger(child=True)

ONE = "/web/licenses/<product>/<license_id>"
SIGN_IN_REASON = "Licenses are shown to the partner who created them, once signed in."


def page_url(item: License) -> str:
    return f"/web/licenses/{item.product}/{item.license_id}"


def _owned(partner: Partner, product: str, license_id: str) -> License | None:
    if catalog.product(product) is None or not re.fullmatch(r"[0-9]{1,18}", license_id):
        return None  # an ASCII pattern: str.isdigit() would pass "²", which int() refuses
    return dependencies().licenses.get_for_partner(partner.partner_id, product, int(license_id))


def _show(
    partner: Partner, item: License, status: int, *, notice: str | None = None, problem: Problem | None = None
) -> Response[str]:
    from partnerapp.web import license_view

    deps = dependencies()
    entries = deps.manager.history(partner.partner_id, item.product, item.license_id)
    page = license_view.license_page(partner, item, entries, deps.clock(), notice=notice, problem=problem)
    return browser.html(status, page)


def _signed_in_owner(product: str, license_id: str) -> tuple[Partner, License] | Response[str]:
    """The partner and their license, or the page that says why not (sign in; not found)."""
    from partnerapp.web import pages

    partner = browser.signed_in_partner(router.current_event)
    if partner is None:
        return browser.html(
            401,
            pages.sign_in_first_page(
                "Sign in to see this license", SIGN_IN_REASON, browser.here(router.current_event)
            ),
        )
    item = _owned(partner, product, license_id)
    if item is None:
        return browser.html(404, pages.license_not_found_page(partner))
    return partner, item


@router.get(ONE)
def license_page(product: str, license_id: str) -> Response[str]:
    found = _signed_in_owner(product, license_id)
    if isinstance(found, Response):
        return found
    partner, item = found
    done = (router.current_event.query_string_parameters or {}).get("done")
    return _show(partner, item, 200, notice=done)


def _again(
    partner: Partner, item: License, status: int, action: Action, posted: Posted, errors: dict[str, list[str]]
) -> Response[str]:
    """The page as the license is now, with the errors and what was typed in the form."""
    from partnerapp.web.license_view import Problem

    current = _owned(partner, item.product, str(item.license_id)) or item
    rows = posted.submission.operator_rows if action.section == "invite" else []
    return _show(partner, current, status, problem=Problem(errors, action.typed(posted), rows))


def _act(
    product: str,
    license_id: str,
    name: str | Callable[[Posted], str],
    limit: Callable[[Change, Posted], Change] | None = None,
) -> Response[str]:
    from partnerapp.api.errors import from_domain
    from partnerapp.domain.errors import DomainError
    from partnerapp.domain.history import partner_actor
    from partnerapp.web import license_actions

    browser.require_same_origin(router.current_event)
    found = _signed_in_owner(product, license_id)
    if isinstance(found, Response):
        return found
    partner, item = found
    posted = license_actions.Posted.parse(browser.form_body(router.current_event))
    action = license_actions.ACTIONS[name if isinstance(name, str) else name(posted)]
    try:
        change = action.build(posted, partner_actor(partner.partner_id))
        change = limit(change, posted) if limit else change
        guarded = license_actions.unless_stale(change, posted.values.get("version", ""))
        outcome = dependencies().manager.change(partner.partner_id, item.product, item.license_id, guarded)
    except license_actions.InvalidForm as invalid:
        return _again(partner, item, 400, action, posted, action.errors(invalid.errors, posted))
    except DomainError as error:
        answer = from_domain(error)
        page = _again(
            partner, item, answer.status, action, posted, license_actions.refused(action, error, posted)
        )
        page.headers.update(answer.headers)  # a limit's Retry-After
        return page
    # Ids and enumerations only: never the customer's name or an invited address.
    logger.info(
        "license changed from the help center",
        extra={"license_id": item.license_id, "action": action.name, "partner_id": partner.partner_id},
    )
    done = action.name if outcome.entries else "unchanged"
    return browser.see_other(f"{page_url(item)}?done={done}")


@router.post(f"{ONE}/operators")
def invite(product: str, license_id: str) -> Response[str]:
    return _act(product, license_id, "invited")


@router.post(f"{ONE}/operators/resend")
def resend(product: str, license_id: str) -> Response[str]:
    # The address is a form field, not a path segment as in the API: it stays out of URLs and logs.
    return _act(product, license_id, "resent", _resend_limits)


def _resend_limits(change: Change, posted: Posted) -> Change:
    """The API's limits on resends (per person and per license), on the page's button too."""
    from partnerapp.store.resend_limits import ResendLimits

    return ResendLimits(dependencies().settings).limited(change, posted.values.get("email", "").lower())


@router.post(f"{ONE}/offer")
def offer(product: str, license_id: str) -> Response[str]:
    # The page has one form for the trial and one for the discount; both post here, as in the API.
    return _act(
        product,
        license_id,
        lambda posted: "trial_extended" if "extend_trial_days" in posted.values else "offer_changed",
    )


@router.post(f"{ONE}/subscription")
def create_subscription(product: str, license_id: str) -> Response[str]:
    return _act(product, license_id, "subscription_created")


@router.post(f"{ONE}/subscription/change")
def change_subscription(product: str, license_id: str) -> Response[str]:
    return _act(product, license_id, "subscription_changed")


@router.post(f"{ONE}/subscription/close")
def close_subscription(product: str, license_id: str) -> Response[str]:
    return _act(product, license_id, "subscription_closed")


@router.post(f"{ONE}/transfer")
def transfer(product: str, license_id: str) -> Response[str]:
    return _act(product, license_id, "transferred")
