"""Properties of the rules, over generated inputs (hypothesis)."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from partnerapp import catalog
from partnerapp.domain import management
from partnerapp.domain.billing import due_invoices
from partnerapp.domain.errors import RuleViolation
from partnerapp.domain.licenses import NewLicense, start_trial
from partnerapp.domain.money import after_discount, percent_of
from partnerapp.schemas.licenses import load_new_license

NOW = datetime(2026, 3, 15, 9, 30, tzinfo=UTC)
ACTOR = "partner:p"

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=300)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=20), inner, max_size=4), max_leaves=20)  # fmt: skip


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "client_name",
                "client_email",
                "payment_origin",
                "trial_duration",
                "data_center",
                "identifier",
                "operators",
                "extra",
            ]
        ),
        json_values,
    )
)
@settings(max_examples=300, deadline=None)
def test_the_create_schema_either_accepts_a_valid_request_or_names_fields(body: dict[str, Any]) -> None:
    try:
        request = load_new_license("livechat", body)
    except ValidationError as error:
        messages = error.normalized_messages()
        assert isinstance(messages, dict) and messages  # every refusal names what is wrong
        return
    assert len(request.client_name) >= 5
    assert catalog.TRIAL.min_days <= request.trial_duration <= catalog.TRIAL.max_days
    assert request.payment_origin in catalog.PAYMENT_ORIGINS
    assert request.data_center in catalog.DATA_CENTERS
    assert "\n" not in request.client_name and "\r" not in request.client_name


@given(st.lists(st.integers(min_value=1, max_value=60), max_size=8), st.integers(min_value=14, max_value=30))
def test_extensions_never_take_a_trial_past_60_days(extensions: list[int], duration: int) -> None:
    item = start_trial("p", NewLicense("livechat", "Acme Corp", "o@acme.example", "partner", "us-south1",
                                       trial_duration=duration), 123456781, NOW)  # fmt: skip
    for days in extensions:
        with contextlib.suppress(RuleViolation):  # refused extensions change nothing
            item = management.customize_offer(item, None, days, ACTOR, NOW).license
        assert item.trial_ends_at - item.created_at <= timedelta(days=catalog.MAX_TRIAL_DAYS_WITH_EXTENSIONS)


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=100))
def test_money_is_never_negative_and_discounts_never_exceed_the_amount(amount: int, percent: int) -> None:
    part = percent_of(amount, percent)
    assert 0 <= part <= amount
    assert after_discount(amount, percent) == amount - part >= 0


@given(
    st.sampled_from(tuple(catalog.PLANS)),
    st.sampled_from(tuple(catalog.BILLING_CYCLES)),
    st.integers(min_value=1, max_value=50),
    st.integers(min_value=0, max_value=80),
    st.integers(min_value=0, max_value=catalog.MAX_EXTRA_DISCOUNT_PERCENT),
    st.integers(min_value=0, max_value=800),
)
def test_invoices_are_non_negative_and_bill_at_most_the_subscribed_seats(
    plan: str, cycle: str, seats: int, used: int, extra: int, days: int
) -> None:
    item = start_trial("p", NewLicense("livechat", "Acme Corp", "o@acme.example", "partner", "eu-west3"),
                       123456783, NOW)  # fmt: skip
    item = management.create_subscription(item, plan, cycle, seats, ACTOR, NOW).license
    item = replace(item, seats_used=used, extra_discount_percent=extra)
    invoices = due_invoices(item, NOW + timedelta(days=days), set())
    assert invoices, "the first cycle starts with the subscription"
    numbers = [i.number for i in invoices]
    assert numbers == list(range(1, len(invoices) + 1))
    for invoice in invoices:
        assert 0 <= invoice.total_cents <= invoice.gross_cents
        assert invoice.seats_billed == min(used, seats)
        assert invoice.discount_percent == catalog.PARTNER_DISCOUNT_PERCENT + extra
