"""`GET /web/earnings`: the help center's earnings page for the signed-in partner (session
cookie): the balance (as `GET /v2/partners/balance`), a chart of the commission report (`GET
/v2/partners/reports/commission`, by month) over the savings, and tables of the report by
month and license (`GET /v2/partners/earnings/by-month`)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api import browser
from partnerapp.api.dependencies import dependencies
from partnerapp.api.errors import ApiError
from partnerapp.domain.earnings import MONTH

router = APIGatewayHttpRouter()


@router.get("/web/earnings")
def earnings_page() -> Response[str]:
    from partnerapp.api.routes.earnings import load_period
    from partnerapp.domain.return_paths import sign_in_href
    from partnerapp.services.balance import BalanceReader
    from partnerapp.services.earnings import EarningsReader
    from partnerapp.store.license_names import customer_names
    from partnerapp.web import earnings, pages

    event = router.current_event
    partner = browser.signed_in_partner(event)
    if partner is None:
        page = pages.message_page(
            "Sign in to see your earnings",
            ["Your commission and savings are shown to you only: sign in with your partner account first."],
            [(sign_in_href(browser.here(event)), "Sign in")],
            back=browser.here(event),
        )
        return browser.html(401, page)
    deps = dependencies()
    query = {k: v for k, v in (event.query_string_parameters or {}).items() if k in ("date_from", "date_to")}
    try:
        date_from, date_to = load_period(query, deps.clock().date())
    except ApiError as error:
        return browser.html(400, earnings.error_page(partner, query, error.fields))
    reader = EarningsReader(deps.settings)
    report = reader.report(partner.partner_id, date_from, date_to)
    start, end = (
        datetime.combine(date_from, time.min, UTC),
        datetime.combine(date_to, time(23, 59, 59), UTC),
    )
    commission = reader.commission(partner.partner_id, start, end, MONTH)
    balance = BalanceReader(deps.settings).balance(partner.partner_id, deps.clock())
    ids = [row.license_id for row in report.licenses]
    customers = customer_names(deps.settings, partner.partner_id, ids)
    return browser.html(200, earnings.earnings_page(partner, report, commission, balance, customers))
