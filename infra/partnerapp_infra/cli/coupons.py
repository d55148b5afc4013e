"""`partnerapp coupons ...`: an operator makes and lists a partner's coupons.

partnerapp coupons create --partner-id ID --label L --discount-percent N --valid-until DATE
                          --product livechat|chatbot [--product ...]
partnerapp coupons list --partner-id ID

A coupon's discount is added to the partner discount of a partner-managed license created
with its `coupon_id`, so it is at most the catalog's cap on an extra discount. It is valid
through --valid-until (a UTC day, inclusive).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from partnerapp import catalog

GROUPS = ("coupons",)


def add_parsers(groups: Any) -> None:
    coupons = groups.add_parser("coupons", help="partners' coupons").add_subparsers(
        dest="action", required=True
    )
    create = coupons.add_parser("create", help="make a coupon for one partner (JSON)")
    create.add_argument("--partner-id", required=True)
    create.add_argument("--label", required=True, help="what the partner sees, e.g. '10%% off'")
    create.add_argument("--discount-percent", required=True, type=int)
    create.add_argument("--valid-until", required=True, type=date.fromisoformat, help="YYYY-MM-DD, inclusive")
    create.add_argument("--product", required=True, action="append", choices=tuple(catalog.PRODUCTS))
    listing = coupons.add_parser("list", help="all of a partner's coupons, expired ones too (JSON)")
    listing.add_argument("--partner-id", required=True)


def run(args: argparse.Namespace) -> int:
    from partnerapp.settings import get_settings
    from partnerapp.store.coupons import CouponStore
    from partnerapp.store.partners import PartnerRepository

    settings = get_settings()
    if PartnerRepository(settings).get(args.partner_id) is None:
        return _refuse(f"no partner {args.partner_id}")
    store = CouponStore(settings)
    if args.action == "list":
        print(json.dumps({"result": [_shown(coupon) for coupon in store.listed(args.partner_id)]}))
        return 0
    problem = _problem(args)
    if problem:
        return _refuse(problem)
    products = tuple(dict.fromkeys(args.product))  # a product named twice is listed once
    label = args.label.strip()
    made = store.create(args.partner_id, label, args.discount_percent, args.valid_until, products)
    print(json.dumps(_shown(made)))
    return 0


def _problem(args: argparse.Namespace) -> str | None:
    from partnerapp.domain.timestamps import utc_now

    cap = catalog.MAX_EXTRA_DISCOUNT_PERCENT
    if not 1 <= args.discount_percent <= cap:
        return f"--discount-percent must be 1 to {cap} (the cap on an extra discount)"
    if not args.label.strip() or len(args.label) > 100:
        return "--label must be 1 to 100 characters"
    if args.valid_until < utc_now().date():
        return "--valid-until is in the past"
    return None


def _refuse(message: str) -> int:
    print(f"partnerapp: {message}", file=sys.stderr)
    return 1


def _shown(coupon: Any) -> dict[str, Any]:
    return {
        "id": coupon.coupon_id,
        "label": coupon.label,
        "discount_percent": coupon.discount_percent,
        "valid_until": coupon.valid_until.isoformat(),
        "products": list(coupon.products),
    }
