"""A partner's license stats in the Text API's `GET /stats` shape: per product, the licenses in
their trial now, those of them with a card added, and the paid ones — from the kept totals
(store/tallies.py), never from the licenses.

A card is known here only when a customer subscribes, which ends the trial, so `trials_cc`
counts what the flag says and is 0 in practice. The Affiliate program and HelpDesk are not
part of this project: their numbers are 0 (docs/compatibility.md)."""

from __future__ import annotations

from partnerapp import catalog
from partnerapp.domain import tallies
from partnerapp.store.tallies import TallyReader

PRODUCTS = tuple(catalog.PRODUCTS)  # livechat, chatbot
NOT_SERVED = ("helpdesk",)  # in the docs' answer; no license of it exists here
ProductStats = dict[str, int]


def _zeros(*products: str) -> dict[str, ProductStats]:
    return {product: {"trials": 0, "trials_cc": 0, "paid": 0} for product in products}


def license_stats(reader: TallyReader, partner_id: str) -> dict[str, dict[str, ProductStats]]:
    totals = reader.totals(partner_id)
    solution = _zeros(*PRODUCTS, *NOT_SERVED)
    for product in PRODUCTS:
        solution[product] = {
            "trials": totals[tallies.count_name(product, "trial")],
            "trials_cc": totals[tallies.card_name(product)],
            "paid": totals[tallies.count_name(product, "paid")],
        }
    affiliate: dict[str, ProductStats] = _zeros(*PRODUCTS, *NOT_SERVED)
    affiliate["partner_program"] = {"partners_referred": 0, "trials": 0, "trials_cc": 0, "paid": 0}
    return {"affiliate": affiliate, "solution": solution}
