"""Domain rules without AWS: trials, invitations, seats and retry backoff."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from partnerapp.domain.delivery import RetryPolicy
from partnerapp.domain.errors import RuleViolation
from partnerapp.domain.licenses import (
    NewLicense,
    Operator,
    new_license_id,
    start_trial,
)
from partnerapp.hashing import keyed_digest, secret_digest

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
REQUEST = NewLicense(
    product="livechat",
    client_name="Acme Corp",
    client_email="owner@acme.example",
    payment_origin="partner",
    data_center="eu-west3",
    trial_duration=20,
    operators=(Operator("ann@acme.example", "agent"),),
)


def test_trial_ends_after_its_duration_and_invites_everyone() -> None:
    trial = start_trial("p1", REQUEST, 123456783, NOW)
    assert trial.trial_ends_at == NOW + timedelta(days=20)
    assert trial.status == "trial" and not trial.paid and not trial.cc_added
    assert [(i.email, i.role) for i in trial.invitations] == [
        ("owner@acme.example", "owner"),
        ("ann@acme.example", "agent"),
    ]
    assert trial.client_invitation is not None and trial.client_invitation.is_client


@pytest.mark.parametrize("product,origin", [("livechat", "client"), ("chatbot", "partner")])
def test_operators_refused_by_the_rules(product: str, origin: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        start_trial("p1", replace(REQUEST, product=product, payment_origin=origin), 123456783, NOW)
    assert "operators" in caught.value.fields


def test_license_id_ends_with_its_data_center_digit() -> None:
    assert new_license_id(12345678, "us-south1") == 123456781
    assert new_license_id(12345678, "eu-west3") == 123456783


def test_retry_backoff_grows_then_caps_then_stops() -> None:
    policy = RetryPolicy(max_attempts=5, first_delay_seconds=2, max_delay_seconds=10)
    assert [policy.delay_after(n).seconds for n in range(1, 6)] == [2, 4, 8, 10, 10]
    assert policy.next_attempt_at(4, NOW) == NOW + timedelta(seconds=10)
    assert policy.next_attempt_at(5, NOW) is None


def test_digests() -> None:
    assert secret_digest("abc") != "abc" and len(secret_digest("abc")) == 64
    assert keyed_digest(b"k" * 32, "a@b.c", "livechat") != keyed_digest(b"j" * 32, "a@b.c", "livechat")
    assert keyed_digest(b"k" * 32, "a", "bc") != keyed_digest(b"k" * 32, "ab", "c")


def test_the_default_retry_policy_tries_ten_times_backing_off_to_fifteen_minutes() -> None:
    from datetime import UTC, datetime

    from partnerapp.domain.delivery import RETRY_POLICY

    now = datetime(2026, 1, 1, tzinfo=UTC)
    delays = [RETRY_POLICY.delay_after(n).total_seconds() for n in range(1, 11)]
    assert delays == [2, 4, 8, 16, 32, 64, 128, 256, 512, 900]
    assert RETRY_POLICY.next_attempt_at(9, now) == now + RETRY_POLICY.delay_after(9)
    assert RETRY_POLICY.next_attempt_at(10, now) is None  # the tenth failure dead-letters
