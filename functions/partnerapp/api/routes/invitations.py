"""`/web/invitations/accept`: the page an invitation email links to, and its confirm button.

Opening the link (GET) only shows the invitation, so a mail scanner that prefetches links
accepts nothing; the person accepts with the button (POST). The link's token is the only
credential (no session or cookie is involved), so there is nothing for another site to ride
on; it is single use and expiring, and only its digest is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api import browser
from partnerapp.api.dependencies import dependencies
from partnerapp.domain.errors import DomainError

if TYPE_CHECKING:
    from partnerapp.services.invitations import InvitationAcceptance

router = APIGatewayHttpRouter()

ACCEPT = "/web/invitations/accept"


def _acceptance() -> InvitationAcceptance:
    from partnerapp.services.invitations import InvitationAcceptance

    deps = dependencies()
    return InvitationAcceptance(deps.settings, deps.clock)


def _problem(error: DomainError) -> Response[str]:
    from partnerapp.domain import invitations
    from partnerapp.web.invitations import problem_page

    if isinstance(error, invitations.LinkExpired):
        return browser.html(410, problem_page("expired"))
    if isinstance(error, invitations.LicenseEnded):
        return browser.html(410, problem_page("ended"))
    return browser.html(404, problem_page("not_valid"))


@router.get(ACCEPT)
def show_invitation() -> Response[str]:
    from partnerapp.domain.invitations import AlreadyAccepted
    from partnerapp.web import invitations

    token = router.current_event.get_query_string_value("token")
    try:
        item, invitation = _acceptance().open(token)
    except AlreadyAccepted:
        item, invitation = _acceptance().accepted(token)
        return browser.html(200, invitations.accepted_page(item, invitation, already=True))
    except DomainError as error:
        return _problem(error)
    return browser.html(200, invitations.invitation_page(item, invitation, token or ""))


@router.post(ACCEPT)
def accept_invitation() -> Response[str]:
    from partnerapp.domain.invitations import AlreadyAccepted
    from partnerapp.web import invitations

    token = dict(parse_qsl(browser.form_body(router.current_event))).get("token")
    try:
        item, invitation = _acceptance().accept(token)
    except AlreadyAccepted:
        item, invitation = _acceptance().accepted(token)
        return browser.html(409, invitations.accepted_page(item, invitation, already=True))
    except DomainError as error:
        return _problem(error)
    return browser.html(200, invitations.accepted_page(item, invitation, already=False))
