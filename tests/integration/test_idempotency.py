"""`Idempotency-Key`: a retried create replays the first answer and creates nothing more."""

from __future__ import annotations

import boto3

from tests.conftest import LICENSES, ApiClient, PartnerAccount, license_body, run_sweep, sent_emails

CREATE = f"{LICENSES}?product=livechat"


def test_retry_with_the_same_key_replays_the_first_response(api: ApiClient, partner: PartnerAccount) -> None:
    headers = {"Idempotency-Key": "order-1001"}
    first = api.post(CREATE, token=partner.token, json_body=license_body(), headers=headers)
    again = api.post(CREATE, token=partner.token, json_body=license_body(), headers=headers)
    assert first.status == again.status == 201
    assert again.json() == first.json()
    assert again.header("Idempotent-Replayed") == "true"
    assert first.header("Idempotent-Replayed") is None
    run_sweep()
    assert [e["to"] for e in sent_emails()] == [["owner@acme.example"]]


def test_a_create_without_a_key_is_never_called_a_replay(api: ApiClient, partner: PartnerAccount) -> None:
    answer = api.post(CREATE, token=partner.token, json_body=license_body())
    assert answer.status == 201
    assert answer.header("Idempotent-Replayed") is None


def test_the_same_body_with_its_fields_in_another_order_is_the_same_request(
    api: ApiClient, partner: PartnerAccount
) -> None:
    headers = {"Idempotency-Key": "order-1004"}
    body = license_body()
    first = api.post(CREATE, token=partner.token, json_body=body, headers=headers)
    # JSON objects have no order: a client that rebuilds the body on retry may send its
    # fields in another one, and must get the first answer replayed, not a 422.
    again = api.post(CREATE, token=partner.token, json_body=dict(reversed(body.items())), headers=headers)
    assert list(body) != list(dict(reversed(body.items())))
    assert first.status == again.status == 201
    assert again.header("Idempotent-Replayed") == "true"
    assert again.json() == first.json()


def test_same_key_with_another_body_is_422_and_creates_nothing(
    api: ApiClient, partner: PartnerAccount
) -> None:
    headers = {"Idempotency-Key": "order-1002"}
    assert api.post(CREATE, token=partner.token, json_body=license_body(), headers=headers).status == 201
    other = api.post(
        CREATE,
        token=partner.token,
        headers=headers,
        json_body=license_body(client_email="someone.else@acme.example"),
    )
    assert other.status == 422
    assert other.json()["error"]["type"] == "idempotency_key_reused"
    # nothing was created for the other body: it can still be created under a new key
    fresh = api.post(
        CREATE,
        token=partner.token,
        json_body=license_body(client_email="someone.else@acme.example"),
        headers={"Idempotency-Key": "order-1003"},
    )
    assert fresh.status == 201


def test_keys_are_scoped_by_partner(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    headers = {"Idempotency-Key": "shared-key"}
    mine = api.post(CREATE, token=partner.token, json_body=license_body(), headers=headers)
    theirs = api.post(CREATE, token=other_partner.token, json_body=license_body(), headers=headers)
    assert mine.status == theirs.status == 201
    assert mine.json()["license"] != theirs.json()["license"]
    assert theirs.header("Idempotent-Replayed") is None


def test_a_refused_request_is_not_remembered(api: ApiClient, partner: PartnerAccount) -> None:
    headers = {"Idempotency-Key": "retry-after-fix"}
    refused = api.post(
        CREATE,
        token=partner.token,
        headers=headers,
        json_body=license_body(
            payment_origin="client", operators=[{"email": "a@acme.example", "role": "agent"}]
        ),
    )
    assert refused.status == 403
    # When the partner fixes the request and sends it again under the same key
    fixed = api.post(
        CREATE,
        token=partner.token,
        headers=headers,
        json_body=license_body(operators=[{"email": "a@acme.example", "role": "agent"}]),
    )
    # Then it is created: a remembered refusal would answer 403 again (replayed), and a
    # remembered request would refuse the new body as another request under its key (422)
    assert fixed.status == 201, fixed.body
    assert fixed.header("Idempotent-Replayed") is None
    assert [i["license"] for i in api.get(LICENSES, token=partner.token).json()["result"]] == [
        fixed.json()["license"]
    ]


def test_idempotency_records_hold_no_customer_data(api: ApiClient, partner: PartnerAccount) -> None:
    api.post(
        CREATE,
        token=partner.token,
        json_body=license_body(data_center="eu"),
        headers={"Idempotency-Key": "k-1"},
    )
    client = boto3.client("dynamodb", region_name="us-east-1")
    items = _all_idempotency_items(client)
    assert len(items) == 1
    text = str(items)
    assert "owner@acme.example" not in text and "Acme Corporation" not in text


def _all_idempotency_items(client: object) -> list[dict]:
    """Test-only: read the whole (tiny) emulated table to see everything that was written."""
    paginator = client.get_paginator("scan")  # type: ignore[attr-defined]
    return [item for page in paginator.paginate(TableName="partnerapp-idempotency") for item in page["Items"]]


def test_bad_idempotency_key_is_400(api: ApiClient, partner: PartnerAccount) -> None:
    response = api.post(
        CREATE, token=partner.token, json_body=license_body(), headers={"Idempotency-Key": "k" * 300}
    )
    assert response.status == 400
    assert "Idempotency-Key" in response.json()["error"]["fields"]
