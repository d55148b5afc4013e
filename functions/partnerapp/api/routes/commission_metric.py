"""`GET /v2/partners/metrics/commission`: the commission earned in a window, as the Text
Partner API documents it ("Get Commission Metric"). Without dates: the last 365 days. The
Affiliate program and HelpDesk earn nothing here: filtering to them is 0."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp import catalog
from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.documented import Doc
from partnerapp.api.validation import load

router = APIGatewayHttpRouter()
DEFAULT_WINDOW = timedelta(days=365)


def _products(product: str, program: str) -> frozenset[str]:
    if program == "affiliate":
        return frozenset()
    return frozenset(catalog.PRODUCTS) if product == "all" else frozenset({product}) & set(catalog.PRODUCTS)


@Doc(
    "Commission earned in a window (the docs' Get Commission Metric)",
    "In dollars. Without dates: the last 365 days. `product` and `program` default to `all`; "
    "the Affiliate program and HelpDesk earn nothing here (0).",
    query="commission_metric.CommissionMetricQuerySchema",
    response="commission_metric.CommissionMetricSchema",
    errors=(400, 401),
)
@router.get("/v2/partners/metrics/commission")
def commission_metric() -> dict[str, Any]:
    from partnerapp.domain.earnings import COMMISSION
    from partnerapp.schemas.commission_metric import CommissionMetricQuerySchema, dump_metric
    from partnerapp.store.earnings import EarningsLedger

    partner = require_partner(router.current_event)
    query = load(CommissionMetricQuerySchema, dict(router.current_event.query_string_parameters or {}))
    deps = dependencies()
    end = query.get("date_to") or deps.clock()
    start = query.get("date_from") or end - DEFAULT_WINDOW
    products = _products(query["product"], query["program"])
    records = EarningsLedger(deps.settings).records(partner.partner_id, start, end) if products else []
    return dump_metric(sum(r.cents for r in records if r.kind == COMMISSION and r.product in products))
