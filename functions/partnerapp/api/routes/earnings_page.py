"""`GET /web/earnings`: the help center's earnings page for the signed-in partner (session
cookie): a chart and tables of the same report as `GET /v2/partners/earnings`."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api import browser
from partnerapp.api.dependencies import dependencies
from partnerapp.api.errors import ApiError

router = APIGatewayHttpRouter()


@router.get("/web/earnings")
def earnings_page() -> Response[str]:
    from partnerapp.api.routes.earnings import load_period
    from partnerapp.services.earnings import EarningsReader
    from partnerapp.web import earnings, pages

    event = router.current_event
    partner = browser.signed_in_partner(event)
    if partner is None:
        page = pages.message_page(
            "Sign in to see your earnings",
            ["Your commission and savings are shown to you only: sign in with your partner account first."],
            [("/sign-in.html", "Sign in")],
        )
        return browser.html(401, page)
    deps = dependencies()
    query = {k: v for k, v in (event.query_string_parameters or {}).items() if k in ("date_from", "date_to")}
    try:
        date_from, date_to = load_period(query, deps.clock().date())
    except ApiError as error:
        return browser.html(400, earnings.error_page(partner, query, error.fields))
    report = EarningsReader(deps.settings).report(partner.partner_id, date_from, date_to)
    return browser.html(200, earnings.earnings_page(partner, report))
