"""Coupons: an extra discount an operator offers one partner (`partnerapp coupons create`),
listed by `GET /v2/partners/coupons` and applied by `coupon_id` on a license create."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from partnerapp import catalog
from partnerapp.domain.errors import RuleViolation


@dataclass(frozen=True)
class Coupon:
    coupon_id: int
    label: str
    discount_percent: int  # on top of the partner discount, at most the catalog's cap
    valid_until: date  # the last day (UTC) it may be used
    products: tuple[str, ...]

    def active(self, now: datetime) -> bool:
        return now.date() <= self.valid_until


def not_allowed(reason: str) -> RuleViolation:
    """The docs' `403 - not allowed to use the given coupon_id`, naming the field."""
    return RuleViolation(reason, {"coupon_id": [reason]})


def coupon_discount(coupon: Coupon | None, product: str, payment_origin: str, now: datetime) -> int:
    """The extra discount `coupon` gives a new license, or the 403 saying why it cannot.
    A coupon adds to the partner discount, so it needs a partner-managed license."""
    if coupon is None:
        raise not_allowed("No such coupon for this partner.")
    if not coupon.active(now):
        raise not_allowed(f"This coupon expired on {coupon.valid_until.isoformat()}.")
    if product not in coupon.products:
        raise not_allowed(f"This coupon is not for {product}.")
    if not catalog.partner_manages(payment_origin):
        # A customer-managed license has no partner discount for a coupon to add to.
        raise not_allowed("A coupon applies only to a partner-managed license (payment_origin partner).")
    # The cap is checked when a coupon is made; kept here too so no license goes past it.
    return min(coupon.discount_percent, catalog.MAX_EXTRA_DISCOUNT_PERCENT)
