"""Resending invitations is limited: each invited person's at most 3 times an hour, one
license's at most 10 times a day. Past either: 429 with Retry-After, and no email."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from partnerapp.store.resend_limits import (
    PER_LICENSE,
    PER_PERSON,
    RESENDS_PER_LICENSE_DAY,
    RESENDS_PER_PERSON_HOUR,
)
from tests.conftest import LICENSES, ApiClient, FakeClock, PartnerAccount, new_license, sent_emails
from tests.lifecycle_support import send_emails

PEOPLE = [f"user{n}@acme.example" for n in range(4)]


@pytest.fixture
def license_id(api: ApiClient, partner: PartnerAccount, clock: FakeClock) -> int:
    """A license with four invited people, created at 10:20 (UTC), its invitations sent."""
    clock.now = clock.now.replace(hour=10, minute=20, second=0)
    operators = [{"email": e, "role": "agent"} for e in PEOPLE]
    number = int(str(new_license(api, partner, operators=operators)["license"]))
    send_emails(clock)
    return number


@pytest.fixture
def resend(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, license_id: int
) -> Callable[[str], Any]:
    """Resend one person's invitation, then run the outbox sweep at the tests' time: each
    resend allowed is one more email."""

    def post(email: str) -> Any:
        answer = api.post(f"{LICENSES}/livechat/{license_id}/operators/{email}/resend", token=partner.token)
        send_emails(clock)
        return answer

    return post


def emails_to(address: str) -> int:
    return sum(1 for e in sent_emails() if e["to"] == [address])


def test_a_persons_fourth_resend_within_the_hour_is_refused_until_the_hour_is_over(
    resend: Callable[[str], Any], clock: FakeClock
) -> None:
    ann, bob = PEOPLE[:2]
    # Given three resends to one person at 10:20
    assert [resend(ann).status for _ in range(RESENDS_PER_PERSON_HOUR)] == [200] * 3
    # When the partner resends a fourth time
    refused = resend(ann)
    # Then it is a 429 naming the limit, to be tried again at 11:00, and no email goes out
    assert refused.status == 429 and refused.header("retry-after") == str(40 * 60)
    assert refused.json()["error"] == {
        "type": "rate_limited",
        "message": PER_PERSON,
        "fields": {"email": [PER_PERSON]},
    }
    assert emails_to(ann) == 1 + RESENDS_PER_PERSON_HOUR
    # Another person on the license is not held back, and at 11:00 the first one may be again
    assert resend(bob).status == 200
    clock.now = clock.now.replace(hour=11, minute=0)
    assert resend(ann).status == 200
    assert emails_to(ann) == 2 + RESENDS_PER_PERSON_HOUR


def test_a_licenses_eleventh_resend_of_the_day_is_refused_until_the_day_is_over(
    resend: Callable[[str], Any],
) -> None:
    # Given ten resends on one license today (three, three, three and one to four people)
    statuses = [resend(PEOPLE[n % 4]).status for n in range(RESENDS_PER_LICENSE_DAY)]
    assert statuses == [200] * RESENDS_PER_LICENSE_DAY
    # When the partner resends an eleventh time, to a person with resends left this hour
    refused = resend(PEOPLE[3])
    # Then it is a 429 until midnight (UTC), and no email goes out
    assert refused.status == 429 and refused.json()["error"]["message"] == PER_LICENSE
    assert refused.header("retry-after") == str(int(timedelta(hours=13, minutes=40).total_seconds()))
    assert sum(emails_to(e) for e in PEOPLE) == len(PEOPLE) + RESENDS_PER_LICENSE_DAY


def test_a_refused_resend_costs_nothing_of_the_limit(resend: Callable[[str], Any]) -> None:
    # Given resends the rules refuse (no such person on the license): 404, nothing counted
    assert [resend("nobody@acme.example").status for _ in range(RESENDS_PER_LICENSE_DAY)] == [404] * 10
    # Then the person's and the license's resends are all still there
    ann = PEOPLE[0]
    assert [resend(ann).status for _ in range(RESENDS_PER_PERSON_HOUR)] == [200] * 3
