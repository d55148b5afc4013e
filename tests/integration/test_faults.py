"""Faults: DynamoDB throttling, an idempotency store that fails, SES throttling and a mailer
that dies mid-send. In each, a license is never lost nor duplicated, and every invitation is
eventually delivered once (or dead-lettered and visible)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import botocore.client
import pytest
from botocore.exceptions import ClientError

from partnerapp.services.delivery import InvitationMailer
from partnerapp.settings import get_settings
from tests.conftest import LICENSES, ApiClient, PartnerAccount, license_body, run_sweep, sent_emails

CREATE = f"{LICENSES}?product=livechat"


def _fail_calls(
    monkeypatch: pytest.MonkeyPatch,
    should_fail: Callable[[str, str, dict[str, Any]], bool],
    error: dict[str, Any],
    times: int = 1,
) -> list[str]:
    """Make matching AWS calls fail with `error` (a boto error response), `times` times."""
    failed: list[str] = []
    original = botocore.client.BaseClient._make_api_call

    def failing(self: Any, operation: str, params: dict[str, Any]) -> Any:
        service = self.meta.service_model.service_name
        if len(failed) < times and should_fail(service, operation, params):
            failed.append(operation)
            raise ClientError(error, operation)
        return original(self, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", failing)
    return failed


THROTTLED_TRANSACTION = {
    "Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"},
    "CancellationReasons": [{"Code": "ThrottlingError"}, {"Code": "None"}],
}


def _licenses(api: ApiClient, partner: PartnerAccount) -> list[dict[str, Any]]:
    return api.get(LICENSES, token=partner.token).json()["result"]  # type: ignore[no-any-return]


def test_throttled_license_write_is_503_then_the_retry_creates_exactly_one(
    api: ApiClient, partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    failed = _fail_calls(monkeypatch, lambda svc, op, _: svc == "dynamodb" and op == "TransactWriteItems",
                         THROTTLED_TRANSACTION)  # fmt: skip
    headers = {"Idempotency-Key": "throttled-1"}
    refused = api.post(CREATE, token=partner.token, json_body=license_body(), headers=headers)
    assert failed == ["TransactWriteItems"]
    assert refused.status == 503 and refused.header("Retry-After")
    assert _licenses(api, partner) == []  # nothing half-written, the uniqueness guard released
    retried = api.post(CREATE, token=partner.token, json_body=license_body(), headers=headers)
    assert retried.status == 201
    assert len(_licenses(api, partner)) == 1
    run_sweep()
    assert [e["to"] for e in sent_emails()] == [["owner@acme.example"]]


def test_throttled_reads_are_503_not_500(
    api: ApiClient, partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_calls(
        monkeypatch,
        lambda svc, op, _: svc == "dynamodb" and op == "GetItem",
        {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
    )
    assert api.get("/v2/partners", token=partner.token).status == 503
    assert api.get("/v2/partners", token=partner.token).status == 200


def test_failing_idempotency_store_creates_nothing(
    api: ApiClient, partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    def idempotency_write(service: str, operation: str, params: dict[str, Any]) -> bool:
        return (
            service == "dynamodb"
            and operation == "PutItem"
            and params.get("TableName") == "partnerapp-idempotency"
        )

    _fail_calls(monkeypatch, idempotency_write, {"Error": {"Code": "InternalServerError", "Message": "boom"}})
    headers = {"Idempotency-Key": "store-down"}
    refused = api.post(CREATE, token=partner.token, json_body=license_body(), headers=headers)
    assert refused.status == 503
    assert _licenses(api, partner) == []
    created = api.post(CREATE, token=partner.token, json_body=license_body(), headers=headers)
    replayed = api.post(CREATE, token=partner.token, json_body=license_body(), headers=headers)
    assert created.status == replayed.status == 201
    assert replayed.json() == created.json()
    assert len(_licenses(api, partner)) == 1


def test_ses_throttling_delays_the_invitation_once(
    api: ApiClient, partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert api.post(CREATE, token=partner.token, json_body=license_body()).status == 201
    _fail_calls(
        monkeypatch,
        lambda svc, op, _: svc == "sesv2" and op == "SendEmail",
        {"Error": {"Code": "TooManyRequestsException", "Message": "Maximum sending rate exceeded"}},
    )
    mailer = InvitationMailer(get_settings())
    now = datetime.now(UTC)
    assert mailer.deliver_due(now).retrying == 1
    assert sent_emails() == []
    assert mailer.deliver_due(now + timedelta(minutes=5)).sent == 1
    assert mailer.deliver_due(now + timedelta(hours=1)).sent == 0
    assert [e["to"] for e in sent_emails()] == [["owner@acme.example"]]


def test_a_mailer_dying_mid_send_leaves_the_invitation_to_the_next_run(
    api: ApiClient, partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert api.post(CREATE, token=partner.token, json_body=license_body()).status == 201
    from partnerapp.mail import sender

    real_send = sender.send

    def crash(*_: Any, **__: Any) -> str:
        raise SystemExit("the Lambda sandbox was killed")

    monkeypatch.setattr(sender, "send", crash)
    mailer = InvitationMailer(get_settings())
    now = datetime.now(UTC)
    with pytest.raises(SystemExit):
        mailer.deliver_due(now)
    monkeypatch.setattr(sender, "send", real_send)
    # the claim is leased for 60 s: the next runs leave it to the dead one until then
    assert mailer.deliver_due(now + timedelta(seconds=5)).sent == 0
    assert mailer.deliver_due(now + timedelta(seconds=59)).sent == 0
    assert mailer.deliver_due(now + timedelta(seconds=60)).sent == 1  # the lease ran out: sent once
    assert mailer.deliver_due(now + timedelta(hours=1)).sent == 0
    assert [e["to"] for e in sent_emails()] == [["owner@acme.example"]]


def test_a_uniqueness_claim_whose_answer_was_lost_is_recognised_on_the_sdks_retry(
    api: ApiClient, partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The guard's conditional put applies, its answer is lost (a read timeout under load),
    # and the SDK sends it again: the repeat fails its own condition, and must not be a 409.
    # (The client has an organization already, from their chatbot license: the create takes
    # the step-by-step path, where the guard is a put of its own.)
    chatbot = api.post(f"{LICENSES}?product=chatbot", token=partner.token, json_body=license_body())
    assert chatbot.status == 201
    original = botocore.client.BaseClient._make_api_call
    repeated: list[str] = []

    def answer_lost_once(self: Any, operation: str, params: dict[str, Any]) -> Any:
        is_claim = operation == "PutItem" and params.get("Item", {}).get("sk", {}).get("S", "").startswith(
            "CLIENT#"
        )
        if is_claim and not repeated:
            repeated.append(operation)
            original(self, operation, params)  # applied; then the SDK's retry:
        return original(self, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", answer_lost_once)
    created = api.post(CREATE, token=partner.token, json_body=license_body())
    assert repeated == ["PutItem"]
    assert created.status == 201, created.body
    assert [item["license"] for item in _licenses(api, partner) if item["product"] == "livechat"] == [
        created.json()["license"]
    ]
    # ... and the rule still holds for a real second request
    again = api.post(CREATE, token=partner.token, json_body=license_body())
    assert again.status == 409
