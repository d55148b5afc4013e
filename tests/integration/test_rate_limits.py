"""Each partner has a request budget per minute: over it, 429 with Retry-After; others
unaffected. The windows are calendar minutes of the injected clock, never the real one."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ApiClient, FakeClock, PartnerAccount, reset_process_state


@pytest.fixture
def budget_of_five(monkeypatch: pytest.MonkeyPatch, aws: dict[str, str]) -> None:
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "5")
    reset_process_state()  # settings are read once per process: start a "new" one


def test_a_partner_over_budget_gets_429_and_others_do_not(
    budget_of_five: None,
    clock: FakeClock,
    api: ApiClient,
    partner: PartnerAccount,
    other_partner: PartnerAccount,
) -> None:
    clock.advance(seconds=10)  # 10 s into a minute
    statuses = [api.get("/v2/partners", token=partner.token).status for _ in range(5)]
    assert statuses == [200] * 5
    refused = api.get("/v2/partners", token=partner.token)
    assert refused.status == 429
    assert refused.json()["error"]["type"] == "too_many_requests"
    # the budget refills when the minute ends, 50 s later
    assert refused.header("Retry-After") == "50"
    # another partner's budget is their own
    assert api.get("/v2/partners", token=other_partner.token).status == 200
    # bad tokens are refused before they could spend anybody's budget
    assert api.get("/v2/partners", token="pat_unknown").status == 401


def test_the_budget_refills_when_the_minute_ends(
    budget_of_five: None, clock: FakeClock, api: ApiClient, partner: PartnerAccount
) -> None:
    clock.advance(seconds=59)
    assert [api.get("/v2/partners", token=partner.token).status for _ in range(6)] == [200] * 5 + [429]
    # the last second of the minute: Retry-After never says 0
    assert api.get("/v2/partners", token=partner.token).header("Retry-After") == "1"
    clock.advance(seconds=1)  # the next minute's first second
    assert [api.get("/v2/partners", token=partner.token).status for _ in range(6)] == [200] * 5 + [429]


def test_the_counters_expire_by_ttl_after_two_minutes(
    budget_of_five: None, clock: FakeClock, api: ApiClient, partner: PartnerAccount
) -> None:
    import boto3

    clock.advance(seconds=30)
    assert api.get("/v2/partners", token=partner.token).status == 200
    # Tests may look at the whole table; the functions only ever Get or Query.
    items = boto3.client("dynamodb", region_name="us-east-1").scan(TableName="partnerapp-partners")["Items"]
    [counter] = [i for i in items if "hits" in i]
    assert counter["hits"] == {"N": "1"}
    window_start = clock.now.replace(second=0)
    assert int(counter["expires_at"]["N"]) == int(window_start.timestamp()) + 120


@pytest.fixture
def budget_of_a_hundred(monkeypatch: pytest.MonkeyPatch, aws: dict[str, str]) -> None:
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "100")
    reset_process_state()


@pytest.fixture
def counter_writes(budget_of_a_hundred: None) -> list[int]:
    """How many requests each write of a rate counter claimed, as DynamoDB was asked (the
    home region's client is one per process: the limiter's too)."""
    from partnerapp.store import clients

    claims: list[int] = []

    def note(params: dict[str, Any], **_: Any) -> None:
        if params["Key"]["sk"]["S"].startswith("RATE#"):
            claims.append(int(params["ExpressionAttributeValues"][":count"]["N"]))

    clients.dynamodb("us-east-1").meta.events.register("before-parameter-build.dynamodb.UpdateItem", note)
    return claims


def test_an_environment_claims_the_budget_in_batches_not_a_write_per_request(
    budget_of_a_hundred: None,
    counter_writes: list[int],
    clock: FakeClock,
    api: ApiClient,
    partner: PartnerAccount,
) -> None:
    clock.advance(seconds=20)
    statuses = [api.get("/v2/partners", token=partner.token).status for _ in range(101)]
    assert statuses == [200] * 100 + [429]
    # A twentieth of the budget per write: 20 claims of 5 served the 100 requests, and the
    # refused one found no room (its claim is refused by its condition, and counts nothing).
    assert counter_writes == [5] * 21
    assert stored_hits(partner) == 100


def test_environments_share_one_budget_and_never_serve_more_than_it(
    budget_of_a_hundred: None, clock: FakeClock, api: ApiClient, partner: PartnerAccount
) -> None:
    from partnerapp.settings import get_settings
    from partnerapp.store.rate_limits import RateLimiter

    clock.advance(seconds=5)
    # Three execution environments, each with its own limiter (its own allowance in memory)
    environments = [RateLimiter(get_settings()) for _ in range(3)]
    served = [0, 0, 0]
    for n in range(150):
        which = n % 3 if n < 60 else 0  # first all three, then only the first one
        if environments[which].allow(partner.partner_id, clock.now) is None:
            served[which] += 1
    assert sum(served) <= 100
    # Refused early only by what the others still hold: less than a batch (5) each
    assert sum(served) >= 100 - 2 * 4
    assert stored_hits(partner) == 100
    # and the next minute starts afresh for every environment
    clock.advance(minutes=1)
    assert all(limiter.allow(partner.partner_id, clock.now) is None for limiter in environments)


def test_a_claim_whose_answer_was_lost_is_granted_once(
    budget_of_a_hundred: None, clock: FakeClock, api: ApiClient, partner: PartnerAccount
) -> None:
    from partnerapp.settings import get_settings
    from partnerapp.store import clients
    from partnerapp.store.rate_limits import RateLimiter

    limiter = RateLimiter(get_settings())
    db = clients.dynamodb("us-east-1")
    real = db.update_item
    repeats: list[str] = []

    def applied_then_repeated(**params: Any) -> Any:
        real(**params)  # applied; its answer "lost", so the SDK sends it again
        repeats.append(params["Key"]["sk"]["S"])
        return real(**params)

    db.update_item = applied_then_repeated  # type: ignore[method-assign]
    try:
        assert limiter.allow(partner.partner_id, clock.now) is None
    finally:
        db.update_item = real  # type: ignore[method-assign]
    assert len(repeats) == 1
    assert stored_hits(partner) == 5  # one batch, counted once


def test_a_lost_claim_retried_after_another_environment_claimed_is_counted_once(
    budget_of_a_hundred: None, clock: FakeClock, api: ApiClient, partner: PartnerAccount
) -> None:
    from partnerapp.settings import get_settings
    from partnerapp.store import clients
    from partnerapp.store.rate_limits import RateLimiter

    slow, other = RateLimiter(get_settings()), RateLimiter(get_settings())
    db = clients.dynamodb("us-east-1")
    real = db.update_item

    def applied_then_retried_late(**params: Any) -> Any:
        real(**params)  # applied; its answer lost
        db.update_item = real  # type: ignore[method-assign]
        # On a loaded machine the SDK's retry comes late: another environment claims first
        assert other.allow(partner.partner_id, clock.now) is None
        return real(**params)  # the very same request again

    # Given an environment whose claim's answer is lost and retried after another's claim
    db.update_item = applied_then_retried_late  # type: ignore[method-assign]
    try:
        # When it asks for its first request
        granted = slow.allow(partner.partner_id, clock.now)
    finally:
        db.update_item = real  # type: ignore[method-assign]
    # Then it is served, and the minute's budget holds two batches, not three
    assert granted is None
    assert stored_hits(partner) == 10


def stored_hits(partner: PartnerAccount) -> int:
    import boto3

    response = boto3.client("dynamodb", region_name="us-east-1").query(
        TableName="partnerapp-partners",
        KeyConditionExpression="pk = :pk AND begins_with(sk, :rate)",
        ExpressionAttributeValues={":pk": {"S": f"PARTNER#{partner.partner_id}"}, ":rate": {"S": "RATE#"}},
    )
    return sum(int(item["hits"]["N"]) for item in response["Items"])
