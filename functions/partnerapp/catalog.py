"""Products, data regions and what each allows: the one place the partner rules live.

Handlers, schemas, domain rules and the site all ask this module; nothing else compares
product names. Adding a product or a data region is a change here only.
"""

from __future__ import annotations

from dataclasses import dataclass

PAYMENT_ORIGINS: tuple[str, ...] = ("partner", "client")
OPERATOR_ROLES: tuple[str, ...] = ("administrator", "agent")

# What a partner earns, by who manages the subscription (percent).
PARTNER_DISCOUNT_PERCENT = 20  # payment_origin=partner: lifetime discount on invoices
PARTNER_COMMISSION_PERCENT = 20  # payment_origin=client: recurring commission once paid


@dataclass(frozen=True)
class TrialPolicy:
    default_days: int = 14
    min_days: int = 14
    max_days: int = 30


TRIAL = TrialPolicy()

# Offer customization (partner-managed licenses whose product allows it).
MAX_EXTRA_DISCOUNT_PERCENT = 30  # on top of PARTNER_DISCOUNT_PERCENT
MAX_TRIAL_DAYS_WITH_EXTENSIONS = 60  # from creation, all extensions included

# The lifecycle: the partner and the customer are reminded this many days before a trial
# ends; an invitation's accept link works this long after it was emailed.
TRIAL_REMINDER_DAYS = 3
INVITATION_LINK_DAYS = 14

CURRENCY = "USD"  # plan prices and recorded payments, in cents

LICENSE_STATUSES: tuple[str, ...] = ("trial", "paid", "expired")
BILLING_CYCLES: dict[str, int] = {"monthly": 1, "annual": 12}  # months per cycle


@dataclass(frozen=True)
class Plan:
    code: str
    name: str
    monthly_price_cents: int  # per seat
    annual_price_cents: int  # per seat, for a year


PLANS: dict[str, Plan] = {
    "starter": Plan("starter", "Starter", monthly_price_cents=2000, annual_price_cents=20_000),
    "team": Plan("team", "Team", monthly_price_cents=4100, annual_price_cents=41_000),
    "business": Plan("business", "Business", monthly_price_cents=5900, annual_price_cents=59_000),
}


def plan_price_cents(plan: str, billing_cycle: str) -> int:
    item = PLANS[plan]
    return item.monthly_price_cents if billing_cycle == "monthly" else item.annual_price_cents


@dataclass(frozen=True)
class Product:
    code: str
    name: str
    # Partner-managed licenses of this product may invite extra users and have their offer
    # customized; customer-managed ones never may.
    partner_managed_invites: bool
    partner_managed_offer: bool


PRODUCTS: dict[str, Product] = {
    "livechat": Product("livechat", "LiveChat", partner_managed_invites=True, partner_managed_offer=True),
    "chatbot": Product("chatbot", "ChatBot", partner_managed_invites=False, partner_managed_offer=False),
}


@dataclass(frozen=True)
class DataCenter:
    code: str
    label: str
    aliases: tuple[str, ...]
    # The last digit of every license id names its data center, so a license is found in
    # its regional table with one read and ids never collide across regions.
    id_digit: int


DATA_CENTERS: dict[str, DataCenter] = {
    "us-south1": DataCenter("us-south1", "USA", ("dal", "us"), id_digit=1),
    "eu-west3": DataCenter("eu-west3", "EU", ("fra", "eu"), id_digit=3),
}
DEFAULT_DATA_CENTER = "us-south1"


def product(code: str) -> Product | None:
    return PRODUCTS.get(code)


def resolve_data_center(value: str) -> DataCenter | None:
    """The data center named by its code or one of its aliases (case-insensitive)."""
    wanted = value.strip().lower()
    for center in DATA_CENTERS.values():
        if wanted == center.code or wanted in center.aliases:
            return center
    return None


def data_center_of_license(license_id: int) -> DataCenter | None:
    digit = license_id % 10
    return next((c for c in DATA_CENTERS.values() if c.id_digit == digit), None)


def partner_manages(payment_origin: str) -> bool:
    return payment_origin == "partner"


def can_invite_operators(product_code: str, payment_origin: str) -> bool:
    item = PRODUCTS[product_code]
    return item.partner_managed_invites and partner_manages(payment_origin)


def can_customize_offer(product_code: str, payment_origin: str) -> bool:
    item = PRODUCTS[product_code]
    return item.partner_managed_offer and partner_manages(payment_origin)


def discount_percent(payment_origin: str) -> int:
    return PARTNER_DISCOUNT_PERCENT if partner_manages(payment_origin) else 0


def commission_percent(payment_origin: str) -> int:
    return 0 if partner_manages(payment_origin) else PARTNER_COMMISSION_PERCENT


def rules_document() -> dict[str, object]:
    """The catalog as plain data, shipped to the site's form so the page and server agree."""
    return {
        "payment_origins": list(PAYMENT_ORIGINS),
        "operator_roles": list(OPERATOR_ROLES),
        "trial": {"default_days": TRIAL.default_days, "min_days": TRIAL.min_days, "max_days": TRIAL.max_days},
        "discount_percent": PARTNER_DISCOUNT_PERCENT,
        "commission_percent": PARTNER_COMMISSION_PERCENT,
        "products": {
            code: {
                "name": item.name,
                "invites": {origin: can_invite_operators(code, origin) for origin in PAYMENT_ORIGINS},
                "offer": {origin: can_customize_offer(code, origin) for origin in PAYMENT_ORIGINS},
            }
            for code, item in PRODUCTS.items()
        },
        "data_centers": {
            code: {"label": center.label, "aliases": list(center.aliases)}
            for code, center in DATA_CENTERS.items()
        },
        "default_data_center": DEFAULT_DATA_CENTER,
    }
