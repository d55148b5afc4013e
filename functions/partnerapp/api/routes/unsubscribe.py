"""`/web/unsubscribe`: the one-click link of a summary email.

GET shows a page with one button and changes nothing (mail scanners fetch links); POST turns
the link's opt-in off, through the same versioned profile write as the profile page. The
signed link is the credential, not a session: a mail client's one-click POST (RFC 8058,
`List-Unsubscribe=One-Click`) carries no cookie and no Origin of ours, so none is asked for.
Using a link twice changes nothing more.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api import browser
from partnerapp.api.dependencies import dependencies

router = APIGatewayHttpRouter()
logger = Logger(child=True)

PATH = "/web/unsubscribe"


def _link_no_good() -> Response[str]:
    from partnerapp.web import pages

    page = pages.message_page(
        "This unsubscribe link no longer works",
        ["Unsubscribe links work for 60 days. Turn the emails off on your profile instead."],
        [("/web/profile", "Your profile")],
    )
    return browser.html(400, page)


@router.get(PATH)
def show() -> Response[str]:
    from partnerapp.mail.summaries import WHAT
    from partnerapp.services import unsubscribe_links
    from partnerapp.web import pages

    deps = dependencies()
    token = router.current_event.get_query_string_value("token")
    found = unsubscribe_links.read(deps.settings.keyed_hash_secret, token, deps.clock())
    if found is None:
        return _link_no_good()
    page = pages.render(
        "unsubscribe.html.j2",
        title="Unsubscribe",
        description="Stop an email you opted into.",
        what=WHAT[found.kind],
        token=token,
    )
    return browser.html(200, page)


@router.post(PATH)
def unsubscribe() -> Response[str]:
    from partnerapp.domain.summaries import OPT_IN_OF
    from partnerapp.mail.summaries import WHAT
    from partnerapp.services import unsubscribe_links
    from partnerapp.services.profiles import update_profile
    from partnerapp.web import pages

    event = router.current_event
    deps = dependencies()
    posted = dict(parse_qsl(browser.form_body(event), keep_blank_values=True))
    # The page's button posts the token; a mail client's one-click post keeps it in the URL.
    token = posted.get("token") or event.get_query_string_value("token")
    found = unsubscribe_links.read(deps.settings.keyed_hash_secret, token, deps.clock())
    if found is None or deps.partners.get(found.partner_id) is None:
        return _link_no_good()
    update_profile(deps.partners, found.partner_id, {OPT_IN_OF[found.kind]: False}, deps.clock())
    logger.info("unsubscribed", extra={"partner_id": found.partner_id, "summary": found.kind})
    page = pages.message_page(
        "You are unsubscribed",
        [f"No more {WHAT[found.kind]} emails will be sent. You can turn it on again on your profile."],
        [("/web/profile", "Your profile")],
    )
    return browser.html(200, page)
