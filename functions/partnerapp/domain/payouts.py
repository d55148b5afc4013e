"""Where a partner's commission is paid: the payout details the Text API calls "billing"
(`GET`/`PUT /v2/partners/billing`). Withdrawals need them; nothing here is a secret, but
they identify a person or a company, so they are never logged."""

from __future__ import annotations

from dataclasses import dataclass

BUSINESS, INDIVIDUAL = "business", "individual"
TYPES = (BUSINESS, INDIVIDUAL)


@dataclass(frozen=True)
class PayoutDetails:
    type: str  # BUSINESS or INDIVIDUAL
    company: str  # the company's name, or the person's full name
    address: str
    city: str
    country: str  # ISO 3166-1 alpha-2, upper case
    paypal: str  # the PayPal login the money goes to
    zip_code: str = ""
    vat: str = ""
    state: str = ""
