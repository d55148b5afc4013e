"""Properties of the rules, over generated inputs (hypothesis)."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from partnerapp import catalog
from partnerapp.domain import management
from partnerapp.domain.billing import due_invoices
from partnerapp.domain.errors import RuleViolation
from partnerapp.domain.licenses import NewLicense, Operator, start_trial
from partnerapp.domain.money import after_discount, percent_of
from partnerapp.schemas.licenses import load_new_license

NOW = datetime(2026, 3, 15, 9, 30, tzinfo=UTC)
ACTOR = "partner:p"

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=300)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=20), inner, max_size=4), max_leaves=20)  # fmt: skip


# Valid create requests, built from the catalog: every field within its rules, optional ones
# sometimes left out, text with spaces around (trimmed) and emails in any case (lower-cased).
_printable = st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.characters(
    min_codepoint=0xA1, max_codepoint=0x2FFF, categories=["L", "N", "P", "S"]
)
_word = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789"), min_size=1, max_size=12)
_emails = st.builds(lambda user, host: f"{user}@{host}.example", _word, _word)
_padding = st.sampled_from(["", " ", "  "])


def _text(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    core = st.text(_printable, min_size=min_size, max_size=max_size).filter(
        lambda t: len(t.strip()) >= min_size and t == t.strip()
    )
    return st.builds(lambda pad, text: (pad + text + pad)[:max_size] if len(pad + text + pad) <= max_size
                     else text, _padding, core)  # fmt: skip


_centers = [*catalog.DATA_CENTERS, *(a for c in catalog.DATA_CENTERS.values() for a in c.aliases)]


@st.composite
def valid_create_requests(draw: st.DrawFn) -> dict[str, Any]:
    client_email = draw(_emails)
    operator_emails = draw(
        st.lists(_emails, max_size=4, unique=True).filter(lambda es: client_email not in es)
    )
    body: dict[str, Any] = {
        "client_name": draw(_text(5, 100)),
        "client_email": draw(st.sampled_from([client_email, client_email.upper(), f" {client_email} "])),
        "payment_origin": draw(st.sampled_from(catalog.PAYMENT_ORIGINS)),
    }
    optional = {
        "trial_duration": st.integers(catalog.TRIAL.min_days, catalog.TRIAL.max_days),
        "data_center": st.sampled_from(_centers),
        "identifier": _text(1, 100),
        "purchase_order": _text(1, 100),
        "organization_name": _text(1, 100),
        "operators": st.just(
            [{"email": e, "role": draw(st.sampled_from(catalog.OPERATOR_ROLES))} for e in operator_emails]
        ),
    }
    for name in draw(st.lists(st.sampled_from(sorted(optional)), unique=True)):
        body[name] = draw(optional[name])
    return body


# One broken field per request: the field a refusal must name, and a value its rules refuse.
BROKEN_VALUES: dict[str, list[Any]] = {
    "client_name": ["abcd", "  ab  ", "x" * 101, "Acme\nCorp", 12345, None, ["Acme Corp"]],
    "client_email": ["not-an-email", "a@", "owner@acme.example\r\nBcc: x@y.example", 7, None],
    "payment_origin": ["someone", "", "PARTNER", 1, None],
    "trial_duration": [catalog.TRIAL.min_days - 1, catalog.TRIAL.max_days + 1, "14", 14.5, None],
    "data_center": ["mars", "", "us-south2", 3],
    "identifier": ["", "x" * 101, "a\tb", 5],
    "purchase_order": ["", "x" * 101, {}],
    "organization_name": ["", "x" * 101, False],
    "operators": [
        [{"email": "agent@acme.example", "role": "owner"}],
        [{"email": "agent@acme.example"}],
        [{"email": f"agent{n}@acme.example", "role": "agent"} for n in range(21)],
        "agent@acme.example",
    ],
    "extra": ["anything"],  # an unknown field is refused, never ignored
}


@st.composite
def broken_create_requests(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    body = draw(valid_create_requests())
    field = draw(st.sampled_from(sorted(BROKEN_VALUES)))
    body[field] = draw(st.sampled_from(BROKEN_VALUES[field]))
    return body, field


def _expected(body: dict[str, Any]) -> NewLicense:
    """What the schema must make of a valid body, by the catalog's rules."""
    center = catalog.resolve_data_center(body.get("data_center", catalog.DEFAULT_DATA_CENTER))
    assert center is not None
    optional = {
        k: body[k].strip() for k in ("identifier", "purchase_order", "organization_name") if k in body
    }
    return NewLicense(
        product="livechat",
        client_name=body["client_name"].strip(),
        client_email=body["client_email"].strip().lower(),
        payment_origin=body["payment_origin"],
        data_center=center.code,
        trial_duration=body.get("trial_duration", catalog.TRIAL.default_days),
        operators=tuple(Operator(o["email"], o["role"]) for o in body.get("operators", [])),
        **optional,
    )


@given(valid_create_requests())
@settings(max_examples=200, deadline=None)
def test_a_valid_create_request_is_accepted_with_its_values(body: dict[str, Any]) -> None:
    event(f"{len(body)} fields")
    assert load_new_license("livechat", body) == _expected(body)


@given(broken_create_requests())
@settings(max_examples=200, deadline=None)
def test_a_request_with_one_bad_field_is_refused_naming_that_field(
    broken: tuple[dict[str, Any], str],
) -> None:
    body, field = broken
    event(f"broken: {field}")
    _assert_refused_naming(body, field)


@pytest.mark.parametrize(
    ("field", "value"), [(field, value) for field, values in BROKEN_VALUES.items() for value in values]
)
def test_every_bad_value_is_refused_naming_its_field(field: str, value: Any) -> None:
    base = {
        "client_name": "Acme Corporation",
        "client_email": "owner@acme.example",
        "payment_origin": "partner",
    }
    _assert_refused_naming({**base, field: value}, field)


def _assert_refused_naming(body: dict[str, Any], field: str) -> None:
    try:
        load_new_license("livechat", body)
    except ValidationError as error:
        messages = error.normalized_messages()
        assert isinstance(messages, dict)
        assert set(messages) == {field}, messages
        return
    raise AssertionError(f"accepted a bad {field}: {body[field]!r}")


def test_the_create_schema_either_accepts_a_valid_request_or_names_fields() -> None:
    """Valid, broken and arbitrary bodies mixed: each is accepted with the right values or
    refused naming fields, and the run shows both halves ran."""
    seen = {"accepted": 0, "refused": 0}
    junk = st.dictionaries(st.sampled_from([*BROKEN_VALUES, "client_name", "client_email"]), json_values)

    @given(st.one_of(valid_create_requests(), broken_create_requests().map(lambda b: b[0]), junk))
    @settings(max_examples=300, deadline=None)
    def check(body: dict[str, Any]) -> None:
        try:
            request = load_new_license("livechat", body)
        except ValidationError as error:
            messages = error.normalized_messages()
            assert isinstance(messages, dict) and messages  # every refusal names what is wrong
            assert set(messages) <= {*BROKEN_VALUES, "_schema"}
            seen["refused"] += 1
            return
        seen["accepted"] += 1
        assert request == _expected(body)
        assert "\n" not in request.client_name and "\r" not in request.client_name

    check()
    assert seen["accepted"] >= 30 and seen["refused"] >= 30, seen


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
