"""The signed-in partner's Payouts page (payout details, editable, and the balance) and Leads
page (the partner's leads), rendered from the same schemas and services as the API."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import parse_qsl

from partnerapp.domain.balance import Balance
from partnerapp.domain.leads import Lead
from partnerapp.domain.money import dollars_text
from partnerapp.domain.partners import Partner
from partnerapp.domain.payouts import TYPES, PayoutDetails
from partnerapp.web import forms, pages

PAYOUT_FIELDS = ("type", "company", "address", "city", "state", "zip_code", "country", "paypal", "vat")
forms.LABELS.update(
    {
        "type": "Paid as",
        "company": "Company or full name",
        "address": "Address",
        "city": "City",
        "state": "State or region",
        "zip_code": "ZIP or postal code",
        "country": "Country code",
        "paypal": "PayPal login",
        "vat": "VAT number",
    }
)


def payout_values(details: PayoutDetails | None) -> dict[str, str]:
    return {k: str(v) for k, v in asdict(details).items()} if details else {"type": TYPES[0]}


def balance_rows(balance: Balance) -> list[tuple[str, str, str]]:
    """(label, dollars, what it means) per figure, as `GET /v2/partners/balance` gives them."""
    return [
        ("Available", dollars_text(balance.available_cents), "Yours to withdraw now (at least $50.00)."),
        ("Pending", dollars_text(balance.pending_cents), "Commission from the last 30 days' payments."),
        ("Withdrawn", dollars_text(balance.withdrawn_cents), "Taken by withdrawals, requested or paid."),
        ("Total", dollars_text(balance.total_cents), "Every commission you have earned."),
    ]


def payouts_page(
    partner: Partner,
    values: dict[str, str],
    balance: Balance,
    *,
    errors: dict[str, list[str]] | None = None,
    notice: str | None = None,
) -> str:
    return pages.render(
        "payouts.html.j2",
        title="Payouts",
        description="Where your commission is paid, and your balance.",
        current="/web/payouts",
        partner=partner,
        values=values,
        errors=errors or {},
        notice=notice,
        types=TYPES,
        balance=balance_rows(balance),
    )


def payout_submission(encoded: str) -> tuple[dict[str, Any], dict[str, str]]:
    """(the body for UpdatePayoutSchema, what to show again). A blank field is left out, so
    the schema names a required one as missing and an optional one is stored empty."""
    typed: dict[str, str] = {}
    for name, value in parse_qsl(encoded, keep_blank_values=True):
        typed.setdefault(name, value)
    body = {n: typed[n] for n in PAYOUT_FIELDS if typed.get(n, "").strip()}
    return body, {n: typed.get(n, "") for n in PAYOUT_FIELDS}


def leads_page(partner: Partner, leads: list[Lead]) -> str:
    return pages.render(
        "leads.html.j2",
        title="Your leads",
        description="The leads you submitted and where each one stands.",
        current="/web/leads",
        partner=partner,
        leads=leads,
    )
