"""The SDK's timeouts and retries fit what a request can afford (partnerapp/sdk_config.py)."""

from __future__ import annotations

import pytest

from partnerapp import sdk_config
from partnerapp_infra.aws import template


def test_the_budget_is_the_api_functions_timeout_from_the_template() -> None:
    resource = template.resources("AWS::Serverless::Function")["ApiFunction"]
    timeout = resource["Properties"].get(
        "Timeout", template.load_template()["Globals"]["Function"]["Timeout"]
    )
    assert timeout == sdk_config.API_FUNCTION_TIMEOUT_SECONDS
    assert timeout < 30  # API Gateway's own limit


@pytest.mark.parametrize("budget", [sdk_config.DYNAMODB, sdk_config.SES], ids=["dynamodb", "ses"])
def test_one_call_at_its_worst_still_answers_inside_the_request(budget: sdk_config.Budget) -> None:
    # every attempt times out, with the longest backoffs between them
    assert budget.worst_seconds() < sdk_config.API_FUNCTION_TIMEOUT_SECONDS
    assert budget.attempts >= 2  # a lost answer is retried (and recognised: store/writes.py)


def test_the_clients_use_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    from partnerapp.store import clients

    monkeypatch.setattr(clients, "_local", lambda: False)
    clients.reset()
    config = clients.dynamodb("us-east-1").meta.config
    assert (config.connect_timeout, config.read_timeout) == (0.5, 1.0)
    assert config.retries == {"total_max_attempts": 3, "mode": "standard"}
    assert clients.sesv2("us-east-1").meta.config.read_timeout == 2.0
    clients.reset()
