"""Each partner has a request budget per minute: over it, 429 with Retry-After; others unaffected."""

from __future__ import annotations

import pytest

from tests.conftest import ApiClient, PartnerAccount, reset_process_state


@pytest.fixture
def budget_of_five(monkeypatch: pytest.MonkeyPatch, aws: dict[str, str]) -> None:
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "5")
    reset_process_state()  # settings are read once per process: start a "new" one


def test_a_partner_over_budget_gets_429_and_others_do_not(
    budget_of_five: None, api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    statuses = [api.get("/v2/partners", token=partner.token).status for _ in range(5)]
    assert statuses == [200] * 5
    refused = api.get("/v2/partners", token=partner.token)
    assert refused.status == 429
    assert refused.json()["error"]["type"] == "too_many_requests"
    retry_after = int(refused.header("Retry-After") or "0")
    assert 1 <= retry_after <= 60
    # another partner's budget is their own
    assert api.get("/v2/partners", token=other_partner.token).status == 200
    # bad tokens are refused before they could spend anybody's budget
    assert api.get("/v2/partners", token="pat_unknown").status == 401
