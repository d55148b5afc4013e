"""The create-license schema: the wire format's rules, field by field."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import ValidationError

from partnerapp.domain.licenses import NewLicense, Operator
from partnerapp.schemas.licenses import load_new_license

VALID = {"client_name": "  Acme Corp  ", "client_email": " Owner@Acme.Example ", "payment_origin": "partner"}


def load(**changes: Any) -> NewLicense:
    return load_new_license("livechat", {**VALID, **changes})


def errors(**changes: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as caught:
        load(**changes)
    return caught.value.normalized_messages()  # type: ignore[no-any-return]


def test_valid_request_is_normalised() -> None:
    request = load(data_center="FRA", operators=[{"email": "Ann@Acme.example", "role": "agent"}])
    assert request == NewLicense(
        product="livechat",
        client_name="Acme Corp",
        client_email="owner@acme.example",
        payment_origin="partner",
        data_center="eu-west3",
        trial_duration=14,
        operators=(Operator("ann@acme.example", "agent"),),
    )


@pytest.mark.parametrize("days", [14, 22, 30])
def test_trial_duration_within_bounds(days: int) -> None:
    assert load(trial_duration=days).trial_duration == days


@pytest.mark.parametrize("days", [13, 31, 0, -1, 14.5, "14", True])
def test_trial_duration_outside_bounds_or_not_an_integer(days: Any) -> None:
    assert "trial_duration" in errors(trial_duration=days)


@pytest.mark.parametrize("name", ["Acme", "    Abc    ", "A\nBcdef", "Tab\there", "x" * 101, 42, None])
def test_bad_client_names(name: Any) -> None:
    assert "client_name" in errors(client_name=name)


def test_unknown_fields_are_refused() -> None:
    assert errors(license_type="enterprise") == {"license_type": ["Unknown field."]}


def test_operator_errors_name_the_operator() -> None:
    found = errors(operators=[{"email": "a@acme.example", "role": "agent"}, {"email": "bad", "role": "boss"}])
    assert set(found["operators"][1]) == {"email", "role"}


def test_body_must_be_an_object() -> None:
    with pytest.raises(ValidationError):
        load_new_license("livechat", ["not", "an", "object"])
