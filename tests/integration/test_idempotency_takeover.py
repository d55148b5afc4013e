"""A keyed create whose in-progress lock expired before its answer was recorded (a slow first
attempt on a loaded machine, or one stopped at its timeout): the same request sent again
takes the lock over and runs the create again. It must find the license its first run
created and answer it, not a 409 for the partner's own customer, nor a second license."""

from __future__ import annotations

from typing import Any

import pytest
from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer
from botocore.exceptions import ClientError

from partnerapp_infra.local.lambda_context import LocalLambdaContext
from tests.conftest import LICENSES, ApiClient, PartnerAccount, license_body, run_sweep, sent_emails

CREATE = f"{LICENSES}?product=livechat"


@pytest.fixture
def lock_outlived(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every request's in-progress lock has expired by the time a twin looks at it (the first
    attempt took longer than its window), and the first attempt never records its answer."""
    monkeypatch.setattr(LocalLambdaContext, "get_remaining_time_in_millis", lambda _self: -1000)
    original = DynamoDBPersistenceLayer._update_record
    calls = {"n": 0}

    def first_answer_never_recorded(layer: Any, data_record: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            error = {"Error": {"Code": "ServiceUnavailable", "Message": "stopped at its timeout"}}
            raise ClientError(error, "UpdateItem")  # type: ignore[arg-type]
        original(layer, data_record)

    monkeypatch.setattr(DynamoDBPersistenceLayer, "_update_record", first_answer_never_recorded)


@pytest.mark.parametrize("data_center", ["us", "eu"])
def test_the_same_keyed_create_after_its_lock_expired_answers_the_first_license(
    api: ApiClient, partner: PartnerAccount, lock_outlived: None, data_center: str
) -> None:
    # Given a keyed create that wrote its license but never recorded its answer
    headers = {"Idempotency-Key": "slow-order-1"}
    body = license_body(data_center=data_center)
    first = api.post(CREATE, token=partner.token, json_body=body, headers=headers)
    assert first.status == 503, first.body
    # When the partner sends the very same request again, after the lock expired
    again = api.post(CREATE, token=partner.token, json_body=body, headers=headers)
    # Then it answers the license the first run created: one license, one welcome email
    assert again.status == 201, again.body
    listed = [i["license"] for i in api.get(LICENSES, token=partner.token).json()["result"]]
    assert listed == [again.json()["license"]]
    run_sweep()
    assert [e["to"] for e in sent_emails()] == [["owner@acme.example"]]


def test_another_request_under_an_expired_key_still_meets_the_existing_license(
    api: ApiClient, partner: PartnerAccount, lock_outlived: None
) -> None:
    # Given a keyed create that wrote its license but never recorded its answer
    body = license_body()
    first = api.post(CREATE, token=partner.token, json_body=body, headers={"Idempotency-Key": "order-a"})
    assert first.status == 503, first.body
    # When another key (another request) creates a license for the same customer
    other = api.post(CREATE, token=partner.token, json_body=body, headers={"Idempotency-Key": "order-b"})
    # Then it is the true conflict it always was
    assert other.status == 409, other.body


def test_the_same_keyed_create_while_its_first_run_is_unfinished_is_told_to_retry(
    api: ApiClient, partner: PartnerAccount
) -> None:
    from partnerapp.api import idempotency
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.settings import get_settings
    from partnerapp.store.guards import ClientGuard

    # Given a keyed create's first run that claimed the customer and has not written its
    # license yet (the EU write comes after the home region's claim)
    body = license_body(data_center="eu")
    ref = idempotency.request_ref(
        {"idempotency-key": "slow-order-2"},
        partner_id=partner.partner_id,
        operation="create_license",
        request={"product": "livechat", "body": body},
    )
    guard = ClientGuard(get_settings())
    guard.claim(
        partner.partner_id, "owner@acme.example", "livechat", 123456789, utc_now(), lambda _: False, ref
    )
    # When the same request, run again after its lock expired, meets that claim
    again = api.post(CREATE, token=partner.token, json_body=body, headers={"Idempotency-Key": "slow-order-2"})
    # Then it is told its request is still in progress (retry soon), not that the customer
    # already has a license, and nothing is created
    assert again.status == 409, again.body
    assert again.header("Retry-After") == "1"
    assert "still in progress" in again.json()["error"]["message"]
    assert api.get(LICENSES, token=partner.token).json()["result"] == []


@pytest.mark.parametrize("region", ["US", "DE"])
def test_the_same_keyed_lead_after_its_lock_expired_answers_the_first_lead(
    api: ApiClient, partner: PartnerAccount, lock_outlived: None, region: str
) -> None:
    from tests.integration.test_leads import LEAD, LEADS

    # Given a keyed submit that wrote its lead but never recorded its answer
    headers = {"Idempotency-Key": "slow-lead-1"}
    body = {**LEAD, "region": region}
    first = api.post(LEADS, token=partner.token, json_body=body, headers=headers)
    assert first.status == 503, first.body
    # When the partner sends the very same request again, after the lock expired
    again = api.post(LEADS, token=partner.token, json_body=body, headers=headers)
    # Then it answers the lead the first run made: one lead, created once
    assert again.status == 201, again.body
    listed = api.get(LEADS, token=partner.token).json()["result"]
    assert [row["lead_id"] for row in listed] == [again.json()["lead_id"]]
    history = api.get(f"{LEADS}/{again.json()['lead_id']}/history", token=partner.token).json()["result"]
    assert [entry["name"] for entry in history] == ["lead_was_created"]
