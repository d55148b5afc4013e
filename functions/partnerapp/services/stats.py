"""A partner's license stats in the Text API's `GET /stats` shape: per product, the licenses in
their trial now, those of them with a card added, and the paid ones.

Trials are read through the `by_status` index (their card flag is on the item); paid licenses
are counted with Select=COUNT Queries. The Affiliate program is not part of this project, so
its numbers are zero (README, "Compatibility with the Text Partner API")."""

from __future__ import annotations

from partnerapp import catalog
from partnerapp.store.listing import LicenseListing, ListFilter

PRODUCTS = tuple(catalog.PRODUCTS)  # livechat, chatbot
ProductStats = dict[str, int]


def _zeros() -> dict[str, ProductStats]:
    return {product: {"trials": 0, "trials_cc": 0, "paid": 0} for product in PRODUCTS}


def license_stats(listing: LicenseListing, partner_id: str) -> dict[str, dict[str, ProductStats]]:
    solution = _zeros()
    for item in listing.all(ListFilter(partner_id, status="trial")):
        if item.product in solution:
            solution[item.product]["trials"] += 1
            solution[item.product]["trials_cc"] += int(item.cc_added)
    for product in PRODUCTS:
        solution[product]["paid"] = listing.count(ListFilter(partner_id, status="paid", product=product))
    return {"affiliate": _zeros(), "solution": solution}
