"""Money is integer cents; percentages are whole numbers. Rounding is defined here once."""

from __future__ import annotations


def percent_of(amount_cents: int, percent: int) -> int:
    """`percent`% of an amount, rounded half up to the cent (never negative)."""
    if amount_cents < 0 or not 0 <= percent <= 100:
        raise ValueError("amounts are non-negative and percentages 0..100")
    return (amount_cents * percent + 50) // 100


def after_discount(amount_cents: int, discount_percent: int) -> int:
    return amount_cents - percent_of(amount_cents, discount_percent)
