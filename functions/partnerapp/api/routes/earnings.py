"""The signed-in partner's money: `GET /v2/partners/earnings` and `GET
/v2/partners/reports/commission` as the Text API documents them, and this project's report by
month and by license, `GET /v2/partners/earnings/by-month` (the help center's page shows the
same: routes/earnings_page)."""

from __future__ import annotations

from datetime import date
from typing import Any

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp import catalog
from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.documented import Doc
from partnerapp.api.errors import validation
from partnerapp.api.validation import load

router = APIGatewayHttpRouter()


def load_period(query: dict[str, str], today: date) -> tuple[date, date]:
    """The period a query string asks for (defaults filled in), or a 400 naming the field."""
    from marshmallow import ValidationError

    from partnerapp.schemas.earnings import EarningsQuerySchema, period

    try:
        return period(load(EarningsQuerySchema, query), today)
    except ValidationError as error:
        raise validation(error.normalized_messages()) from None


def filtered_products(filters: list[dict[str, str]]) -> frozenset[str] | None:
    """The products a commission report's filters leave (None: all). Filters combine with AND;
    the Affiliate program earns nothing here, and HelpDesk is not a product of this project."""
    products = set(catalog.PRODUCTS)
    for rule in filters:
        if rule["field"] == "program":
            products &= set(catalog.PRODUCTS) if rule["value"] == "solution" else set()
        else:
            products &= {rule["value"]}
    return None if products == set(catalog.PRODUCTS) else frozenset(products)


def _query() -> dict[str, str]:
    return dict(router.current_event.query_string_parameters or {})


@Doc(
    "Your earnings, in dollars",
    "Solution commission (20% of the recorded payments of customer-managed licenses) in total "
    "and over the last 30 days, and per product the `discount` saved on the invoices of "
    "partner-managed licenses. `balance`, `pending` and `withdrawals` are `available`, `pending` "
    "and `withdrawn` of GET /v2/partners/balance, read the same way; `blocked` is 0, and so is "
    "every Affiliate figure.",
    response="earnings.EarningsSchema",
    errors=(401,),
)
@router.get("/v2/partners/earnings")
def earnings() -> dict[str, Any]:
    from partnerapp.schemas.earnings import dump_earnings_summary
    from partnerapp.services.balance import BalanceReader
    from partnerapp.services.earnings import EarningsReader

    partner = require_partner(router.current_event)
    deps = dependencies()
    now = deps.clock()
    products = EarningsReader(deps.settings).by_product(partner.partner_id, now)
    return dump_earnings_summary(products, BalanceReader(deps.settings).balance(partner.partner_id, now))


@Doc(
    "Your earnings by month and by license, in cents",
    "Commission and savings in integer cents for the period (the last 12 months by default; "
    "at most 60), as the help center's earnings page tabulates them.",
    query="earnings.EarningsQuerySchema",
    response="earnings.EarningsByMonthSchema",
    errors=(400, 401),
)
@router.get("/v2/partners/earnings/by-month")
def earnings_by_month() -> dict[str, Any]:
    from partnerapp.schemas.earnings import dump_earnings
    from partnerapp.services.earnings import EarningsReader

    partner = require_partner(router.current_event)
    deps = dependencies()
    date_from, date_to = load_period(_query(), deps.clock().date())
    return dump_earnings(EarningsReader(deps.settings).report(partner.partner_id, date_from, date_to))


@Doc(
    "Commission by day, week or month",
    "One item per day, week (Monday to Sunday) or calendar month from the one holding "
    "`date_from` to the one holding `date_to`; each `total` (dollars) counts the commission "
    "earned inside the window. Filters combine with AND; `program: affiliate` is always 0 here.",
    query="earnings.CommissionQuerySchema",
    response="earnings.CommissionReportSchema",
    errors=(400, 401),
)
@router.get("/v2/partners/reports/commission")
def commission_report() -> dict[str, Any]:
    from partnerapp.schemas.earnings import CommissionQuerySchema, commission_filters, dump_commission_report
    from partnerapp.services.earnings import EarningsReader

    partner = require_partner(router.current_event)
    query = load(CommissionQuerySchema, _query())
    products = filtered_products(commission_filters(query["filters"]))
    buckets = EarningsReader(dependencies().settings).commission(
        partner.partner_id, query["date_from"], query["date_to"], query["aggregation"], products
    )
    return dump_commission_report(buckets)
