"""The limits partners meet, each at its edge: the last value accepted and the first refused
(a limit off by one either way fails here)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from marshmallow import Schema, ValidationError

from partnerapp import catalog
from partnerapp.domain import webhooks
from partnerapp.domain.licenses import Subscription
from partnerapp.domain.management import cycle_end
from partnerapp.domain.money import percent_of, to_dollars
from partnerapp.domain.organizations import data_center_of_organization, new_organization_id
from partnerapp.domain.timestamps import utc_now
from partnerapp.schemas.billing import PaymentSucceededSchema
from partnerapp.schemas.earnings import CommissionQuerySchema, EarningsQuerySchema, period
from partnerapp.schemas.management import (
    CreateSubscriptionSchema,
    FilterSchema,
    ListQuerySchema,
    OfferSchema,
    SubscriptionChangeSchema,
)
from partnerapp.services import invitation_links


def test_an_earnings_period_spans_at_most_sixty_calendar_months() -> None:
    schema = EarningsQuerySchema()
    assert schema.validate({"date_from": "2020-01-01", "date_to": "2024-12-31"}) == {}
    assert set(schema.validate({"date_from": "2019-12-31", "date_to": "2024-12-31"})) == {"date_from"}
    with pytest.raises(ValidationError, match="60 months"):
        period({"date_from": date(2019, 12, 1)}, today=date(2024, 12, 31))
    assert period({"date_from": date(2020, 1, 1)}, today=date(2024, 12, 31)) == (
        date(2020, 1, 1),
        date(2024, 12, 31),
    )


def test_an_earnings_period_is_the_last_twelve_calendar_months_by_default() -> None:
    assert period({}, today=date(2025, 3, 15)) == (date(2024, 4, 1), date(2025, 3, 15))
    assert period({}, today=date(2025, 12, 31)) == (date(2025, 1, 1), date(2025, 12, 31))


def test_a_commission_report_spans_at_most_five_years_of_366_days() -> None:
    def query(until: datetime) -> dict[str, str]:
        return {
            "aggregation": "day",
            "date_from": "2020-01-01T00:00:00Z",
            "date_to": f"{until:%Y-%m-%dT%H:%M:%SZ}",
        }

    last_accepted = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=5 * 366)
    assert CommissionQuerySchema().validate(query(last_accepted)) == {}
    refused = CommissionQuerySchema().validate(query(last_accepted + timedelta(seconds=1)))
    assert set(refused) == {"date_from"}


def test_a_payment_is_one_cent_to_a_billion_dollars_for_an_id_of_up_to_18_digits() -> None:
    schema = PaymentSucceededSchema()
    assert schema.validate({"license": "999999999999999999", "amount_cents": 10**11}) == {}
    assert schema.validate({"license": 1, "amount_cents": 1}) == {}
    assert set(schema.validate({"license": 10**18, "amount_cents": 10**11 + 1})) == {
        "license",
        "amount_cents",
    }
    assert set(schema.validate({"license": 0, "amount_cents": 0})) == {"license", "amount_cents"}


def test_the_extra_discount_is_at_most_thirty_percent() -> None:
    assert OfferSchema().validate({"extra_discount_percent": 30}) == {}
    assert OfferSchema().validate({"extra_discount_percent": 0}) == {}
    assert set(OfferSchema().validate({"extra_discount_percent": 31})) == {"extra_discount_percent"}
    assert set(OfferSchema().validate({"extra_discount_percent": -1})) == {"extra_discount_percent"}


def test_an_invitation_link_works_for_fourteen_days_from_its_email() -> None:
    sent = datetime(2025, 5, 1, 9, 30, tzinfo=UTC)
    assert invitation_links.issue(731, 0, sent).expires_at == sent + timedelta(days=14)


@pytest.mark.parametrize(
    ("cycle", "next_cycle"),
    [("monthly", datetime(2025, 3, 10, tzinfo=UTC)), ("annual", datetime(2026, 1, 10, tzinfo=UTC))],
)
def test_a_billing_cycle_is_a_month_or_twelve(cycle: str, next_cycle: datetime) -> None:
    started = datetime(2025, 1, 10, tzinfo=UTC)
    subscription = Subscription(plan="team", billing_cycle=cycle, seats=2, started_at=started)
    assert cycle_end(subscription, now=datetime(2025, 2, 20, tzinfo=UTC)) == next_cycle


def test_license_ids_end_in_their_data_centers_digit() -> None:
    assert catalog.data_center_of_license(7311).code == "us-south1"  # type: ignore[union-attr]
    assert catalog.data_center_of_license(7313).code == "eu-west3"  # type: ignore[union-attr]
    assert catalog.data_center_of_license(7312) is None


def test_money_rounds_half_up_to_the_cent_for_percentages_of_0_to_100() -> None:
    assert [percent_of(49, 1), percent_of(50, 1), percent_of(149, 1), percent_of(150, 1)] == [0, 1, 1, 2]
    assert percent_of(4100, 100) == 4100
    assert percent_of(4100, 0) == 0
    for amount, percent in ((4100, 101), (4100, -1), (-1, 20)):
        with pytest.raises(ValueError, match="non-negative"):
            percent_of(amount, percent)


def test_dollars_are_whole_numbers_or_exact_cents() -> None:
    assert to_dollars(4148) == 41.48
    assert to_dollars(31200) == 312 and isinstance(to_dollars(31200), int)
    assert to_dollars(0) == 0 and isinstance(to_dollars(0), int)


def test_a_webhook_is_tried_12_times_over_3_hours_25_minutes_doubling_from_10_seconds_to_an_hour() -> None:
    policy = webhooks.RETRY_POLICY
    now = datetime(2025, 5, 1, tzinfo=UTC)
    delays = [policy.delay_after(attempts) for attempts in range(1, 12)]
    assert delays[:3] == [timedelta(seconds=10), timedelta(seconds=20), timedelta(seconds=40)]
    assert delays[-2:] == [timedelta(hours=1), timedelta(hours=1)]
    assert sum(delays, timedelta()) == timedelta(hours=3, minutes=25, seconds=10)
    assert policy.next_attempt_at(11, now) == now + timedelta(hours=1)
    assert policy.next_attempt_at(12, now) is None


def test_organization_ids_end_in_their_data_centers_digit() -> None:
    uuid = "3f1c9a52-8d2e-4b7a-9c61-5e2f0a7d4b10"
    assert new_organization_id(uuid, "eu-west3") == uuid[:-1] + "3"
    assert new_organization_id(uuid, "us-south1") == uuid[:-1] + "1"
    assert data_center_of_organization(uuid[:-1] + "3") == "eu-west3"
    assert data_center_of_organization(uuid[:-1] + "1") == "us-south1"
    assert data_center_of_organization(uuid[:-1] + "2") is None
    assert data_center_of_organization(uuid[:-1] + "a") is None


def test_times_are_whole_seconds_as_the_wire_writes_them() -> None:
    assert utc_now().microsecond == 0


@pytest.mark.parametrize(
    ("schema", "field"),
    [
        (OfferSchema, "extra_discount_percent"),
        (OfferSchema, "extend_trial_days"),
        (SubscriptionChangeSchema, "seats"),
    ],
)
def test_numbers_are_json_numbers_never_strings(schema: type[Schema], field: str) -> None:
    assert schema().validate({field: 3}) == {}
    assert set(schema().validate({field: "3"})) == {field}


def test_a_subscription_is_1_to_1000_seats_of_a_plan_with_a_payment_token_of_up_to_200_characters() -> None:
    valid = {"plan": "team", "billing_cycle": "annual", "seats": 1000, "token": "t" * 200}
    assert CreateSubscriptionSchema().validate(valid) == {}
    assert CreateSubscriptionSchema().validate({**valid, "seats": 1, "token": "t"}) == {}
    for change, field in (({"seats": 1001}, "seats"), ({"seats": 0}, "seats"), ({"seats": "2"}, "seats"),
                          ({"token": "t" * 201}, "token"), ({"token": ""}, "token")):  # fmt: skip
        assert set(CreateSubscriptionSchema().validate({**valid, **change})) == {field}, change
    for missing in valid:
        body = {name: value for name, value in valid.items() if name != missing}
        assert set(CreateSubscriptionSchema().validate(body)) == {missing}
    assert set(SubscriptionChangeSchema().validate({"seats": 1001})) == {"seats"}
    assert SubscriptionChangeSchema().validate({"seats": 1000}) == {}


def test_a_listing_window_bound_is_at_most_20_characters_and_optional() -> None:
    assert ListQuerySchema().validate({}) == {}
    assert ListQuerySchema().validate({"date_from": "2025-01-01 00:00:00"}) == {}
    assert set(ListQuerySchema().validate({"date_from": "2025-01-01 00:00:00.0"})) == {"date_from"}


def test_a_filter_names_its_field_and_operator() -> None:
    assert FilterSchema().validate({"field": "license_status", "operator": "exists"}) == {}
    assert set(FilterSchema().validate({"operator": "exists"})) == {"field"}
    assert set(FilterSchema().validate({"field": "license_status"})) == {"operator"}
