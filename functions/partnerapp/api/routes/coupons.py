"""`GET /v2/partners/coupons`: the partner's active coupons, as the Text Partner API documents
it ("Get Coupons"). Operators make them (`partnerapp coupons create`); `coupon_id` on a
license create applies one (services/licensing)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.documented import Doc

router = APIGatewayHttpRouter()


@Doc(
    "Your active coupons (the docs' Get Coupons)",
    "Coupons an operator made for you, not yet past their last day. Give one's `id` as "
    "`coupon_id` when creating a partner-managed license: its discount is added to the "
    "license's offer.",
    response="coupons.CouponListSchema",
    errors=(401,),
)
@router.get("/v2/partners/coupons")
def coupons() -> dict[str, Any]:
    from partnerapp.schemas.coupons import dump_coupons
    from partnerapp.store.coupons import CouponStore

    partner = require_partner(router.current_event)
    deps = dependencies()
    now = deps.clock()
    found = CouponStore(deps.settings).listed(partner.partner_id)
    return dump_coupons([coupon for coupon in found if coupon.active(now)])
