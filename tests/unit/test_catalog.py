"""The product rules, from the one catalog."""

from __future__ import annotations

import pytest

from partnerapp import catalog


@pytest.mark.parametrize(
    "product,origin,invites,offer",
    [
        ("livechat", "partner", True, True),
        ("livechat", "client", False, False),
        ("chatbot", "partner", False, False),
        ("chatbot", "client", False, False),
    ],
)
def test_who_may_invite_and_customize(product: str, origin: str, invites: bool, offer: bool) -> None:
    assert catalog.can_invite_operators(product, origin) is invites
    assert catalog.can_customize_offer(product, origin) is offer


def test_money_follows_who_manages_the_subscription() -> None:
    assert (catalog.discount_percent("partner"), catalog.commission_percent("partner")) == (20, 0)
    assert (catalog.discount_percent("client"), catalog.commission_percent("client")) == (0, 20)


@pytest.mark.parametrize(
    "value,code",
    [
        ("dal", "us-south1"),
        ("US", "us-south1"),
        (" fra ", "eu-west3"),
        ("eu", "eu-west3"),
        ("eu-west3", "eu-west3"),
    ],
)
def test_data_center_aliases(value: str, code: str) -> None:
    center = catalog.resolve_data_center(value)
    assert center is not None and center.code == code


def test_unknown_data_center() -> None:
    assert catalog.resolve_data_center("ams") is None


def test_license_ids_name_their_data_center() -> None:
    for center in catalog.DATA_CENTERS.values():
        found = catalog.data_center_of_license(12345678 * 10 + center.id_digit)
        assert found == center
    assert catalog.data_center_of_license(123456780) is None


def test_rules_document_for_the_site_matches_the_rules() -> None:
    document = catalog.rules_document()
    assert document["products"]["livechat"]["invites"] == {"partner": True, "client": False}  # type: ignore[index]
    assert document["products"]["chatbot"]["invites"] == {"partner": False, "client": False}  # type: ignore[index]
    assert document["trial"] == {"default_days": 14, "min_days": 14, "max_days": 30}


def test_the_data_centers_digits_are_the_ones_stored_ids_carry() -> None:
    # Every license and organization id already issued ends in its region's digit: another
    # digit would send their reads to the wrong regional table.
    assert {code: center.id_digit for code, center in catalog.DATA_CENTERS.items()} == {
        "us-south1": 1,
        "eu-west3": 3,
    }


@pytest.mark.parametrize(
    ("plan", "monthly", "annual"),
    [("starter", 2000, 20_000), ("team", 4100, 41_000), ("business", 5900, 59_000)],
)
def test_plan_prices_per_seat_are_the_published_ones(plan: str, monthly: int, annual: int) -> None:
    # docs/solution-section.md, "Rules": Starter $20/month or $200/year, Team $41/$410, Business $59/$590.
    assert catalog.plan_price_cents(plan, "monthly") == monthly
    assert catalog.plan_price_cents(plan, "annual") == annual
