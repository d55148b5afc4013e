"""A partner's license stats in the Text API's `GET /stats` shape: per product, the licenses in
their trial now, those of them with a card added, and the paid ones.

Trials are read through the `by_status` index (their card flag is on the item); paid licenses
are counted with Select=COUNT Queries. A card is known here only when a customer subscribes,
which ends the trial, so `trials_cc` counts what the flag says and is 0 in practice. The
Affiliate program and HelpDesk are not part of this project: their numbers are 0 (README,
"Compatibility with the Text Partner API")."""

from __future__ import annotations

from partnerapp import catalog
from partnerapp.store.listing import LicenseListing, ListFilter

PRODUCTS = tuple(catalog.PRODUCTS)  # livechat, chatbot
NOT_SERVED = ("helpdesk",)  # in the docs' answer; no license of it exists here
ProductStats = dict[str, int]


def _zeros(*products: str) -> dict[str, ProductStats]:
    return {product: {"trials": 0, "trials_cc": 0, "paid": 0} for product in products}


def license_stats(listing: LicenseListing, partner_id: str) -> dict[str, dict[str, ProductStats]]:
    solution = _zeros(*PRODUCTS, *NOT_SERVED)
    for item in listing.all(ListFilter(partner_id, status="trial")):
        if item.product in solution:
            solution[item.product]["trials"] += 1
            solution[item.product]["trials_cc"] += int(item.cc_added)
    for product in PRODUCTS:
        solution[product]["paid"] = listing.count(ListFilter(partner_id, status="paid", product=product))
    affiliate: dict[str, ProductStats] = _zeros(*PRODUCTS, *NOT_SERVED)
    affiliate["partner_program"] = {"partners_referred": 0, "trials": 0, "trials_cc": 0, "paid": 0}
    return {"affiliate": affiliate, "solution": solution}
