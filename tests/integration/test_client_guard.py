"""The one-license-per-(client_email, product) guard, through its own interface: who gets
it, when an abandoned claim (its license never written) may be taken over, and what a
release undoes. The API-level behaviour is in test_create_license.py and test_faults.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from partnerapp.domain.errors import Conflict
from partnerapp.settings import get_settings
from partnerapp.store.guards import ClientGuard
from partnerapp_infra.local.faults import StaleReads
from tests.conftest import PartnerAccount

EMAIL = "owner@acme.example"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _missing(_: int) -> bool:
    return False


def _claim(
    guard: ClientGuard,
    partner: PartnerAccount,
    license_id: int,
    at: datetime,
    exists: Callable[[int], bool] = _missing,
    email: str = EMAIL,
) -> None:
    guard.claim(partner.partner_id, email, "livechat", license_id, at, exists)


def test_a_held_guard_refuses_a_second_claim_in_any_case_of_the_email(partner: PartnerAccount) -> None:
    guard = ClientGuard(get_settings())
    _claim(guard, partner, 1, T0)
    with pytest.raises(Conflict) as refused:
        _claim(guard, partner, 2, T0 + timedelta(seconds=1), email=EMAIL.upper())
    assert refused.value.fields == {"client_email": [refused.value.args[0]]}
    # another product, or another partner, has a guard of its own
    guard.claim(partner.partner_id, EMAIL, "chatbot", 3, T0, _missing)
    guard.claim("another-partner", EMAIL, "livechat", 4, T0, _missing)


def test_an_abandoned_claim_is_taken_over_only_after_sixty_seconds(partner: PartnerAccount) -> None:
    guard = ClientGuard(get_settings())
    _claim(guard, partner, 1, T0)  # license 1 is never written
    with pytest.raises(Conflict):
        _claim(guard, partner, 2, T0 + timedelta(seconds=59))
    _claim(guard, partner, 3, T0 + timedelta(seconds=60))
    # the new holder's claim is fresh again
    with pytest.raises(Conflict):
        _claim(guard, partner, 4, T0 + timedelta(seconds=119))


def test_an_old_claim_whose_license_exists_is_never_taken_over(partner: PartnerAccount) -> None:
    guard = ClientGuard(get_settings())
    _claim(guard, partner, 1, T0)
    asked: list[int] = []

    def exists(license_id: int) -> bool:
        asked.append(license_id)
        return True

    with pytest.raises(Conflict):
        _claim(guard, partner, 2, T0 + timedelta(days=30), exists)
    assert asked == [1]


def test_of_two_takeovers_of_one_abandoned_claim_only_one_wins(partner: PartnerAccount) -> None:
    guard = ClientGuard(get_settings())
    _claim(guard, partner, 1, T0)
    later = T0 + timedelta(minutes=5)

    def raced(_: int) -> bool:
        # while this takeover checks the old license, another create takes the guard over
        _claim(guard, partner, 3, later)
        return False

    with pytest.raises(Conflict):
        _claim(guard, partner, 2, later, raced)
    # license 3 holds it now: its claim is fresh
    with pytest.raises(Conflict):
        _claim(guard, partner, 4, later + timedelta(seconds=1))


def test_a_release_frees_only_its_own_claim(partner: PartnerAccount) -> None:
    guard = ClientGuard(get_settings())
    _claim(guard, partner, 1, T0)
    # a release by a license that does not hold the guard changes nothing, quietly
    guard.release(partner.partner_id, EMAIL, "livechat", 2)
    with pytest.raises(Conflict):
        _claim(guard, partner, 3, T0 + timedelta(seconds=1))
    # its holder's release frees it at once (the partner may try again)
    guard.release(partner.partner_id, EMAIL.upper(), "livechat", 1)
    _claim(guard, partner, 4, T0 + timedelta(seconds=2))


def test_an_abandoned_claim_is_taken_over_even_when_a_replica_has_not_seen_it(
    partner: PartnerAccount,
) -> None:
    guard = ClientGuard(get_settings())
    _claim(guard, partner, 1, T0)  # license 1 is never written
    # The takeover reads the claim it replaces: a replica that has not seen it yet would
    # answer "released meanwhile", and the partner would get a 409 for a free address.
    with StaleReads() as reads:
        _claim(guard, partner, 2, T0 + timedelta(seconds=60))
    assert reads.stale == []
    with pytest.raises(Conflict):
        _claim(guard, partner, 3, T0 + timedelta(seconds=61))


def test_the_dry_runs_duplicate_check_sees_a_claim_made_a_moment_ago(partner: PartnerAccount) -> None:
    guard = ClientGuard(get_settings())
    _claim(guard, partner, 7, T0)
    with StaleReads() as reads:
        held = guard.holder(
            partner.partner_id, EMAIL.upper(), "livechat", T0 + timedelta(seconds=1), _missing
        )
    assert held == 7
    assert reads.stale == []


def test_the_dry_runs_duplicate_check_applies_the_same_sixty_seconds_as_a_claim(
    partner: PartnerAccount,
) -> None:
    guard = ClientGuard(get_settings())
    _claim(guard, partner, 1, T0)  # license 1 is never written

    def holder(after: timedelta, exists: Callable[[int], bool] = _missing) -> int | None:
        return guard.holder(partner.partner_id, EMAIL, "livechat", T0 + after, exists)

    assert holder(timedelta(seconds=59)) == 1
    assert holder(timedelta(seconds=60)) is None  # a create now would take it over
    assert holder(timedelta(days=30), lambda license_id: license_id == 1) == 1
    assert guard.holder(partner.partner_id, "nobody@acme.example", "livechat", T0, _missing) is None
