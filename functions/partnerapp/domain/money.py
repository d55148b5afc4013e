"""Money is integer cents; percentages are whole numbers. Rounding is defined here once."""

from __future__ import annotations


def percent_of(amount_cents: int, percent: int) -> int:
    """`percent`% of an amount, rounded half up to the cent (never negative)."""
    if amount_cents < 0 or not 0 <= percent <= 100:
        raise ValueError("amounts are non-negative and percentages 0..100")
    return (amount_cents * percent + 50) // 100


def after_discount(amount_cents: int, discount_percent: int) -> int:
    return amount_cents - percent_of(amount_cents, discount_percent)


def to_dollars(amount_cents: int) -> int | float:
    """Cents as the Text API's dollars (`4148` -> `41.48`, `31200` -> `312`): a JSON number
    with at most two decimals, exact (a whole number of cents over 100 prints as itself)."""
    whole, cents = divmod(amount_cents, 100)
    return whole if cents == 0 else amount_cents / 100


def dollars_text(amount_cents: int) -> str:
    """Cents as the CSV's `20.00`: integer arithmetic, always two decimals."""
    dollars, cents = divmod(amount_cents, 100)
    return f"{dollars}.{cents:02d}"
