"""Each partner has a request budget per minute: over it, 429 with Retry-After; others
unaffected. The windows are calendar minutes of the injected clock, never the real one."""

from __future__ import annotations

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
