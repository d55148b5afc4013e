"""The local emulator keeps the promises of DynamoDB that the code relies on."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto import mock_aws

from partnerapp_infra import local_stack

TABLE = "emulator-check"


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> Any:
    for name, value in local_stack.fake_credentials().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    local_stack.serialize_emulated_dynamodb()
    with mock_aws():
        db = boto3.client("dynamodb", region_name="us-east-1")
        db.create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        )
        yield db


def put_new(pk: str) -> dict[str, Any]:
    return {
        "Put": {
            "TableName": TABLE,
            "Item": {"pk": {"S": pk}},
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


def test_a_retried_transaction_is_answered_as_the_first_and_applied_once(table: Any) -> None:
    # Given a transaction applied with a client request token (the SDK sets one)
    table.transact_write_items(TransactItems=[put_new("a")], ClientRequestToken="retry-me")
    # When the same request arrives again (the SDK's retry after a timeout)
    table.transact_write_items(TransactItems=[put_new("a")], ClientRequestToken="retry-me")
    # Then it succeeds, and the item is there once
    assert (
        table.query(
            TableName=TABLE, KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": {"S": "a"}}
        )["Count"]
        == 1
    )


def test_another_transaction_with_the_same_condition_is_still_refused(table: Any) -> None:
    table.transact_write_items(TransactItems=[put_new("b")], ClientRequestToken="first")
    with pytest.raises(table.exceptions.TransactionCanceledException):
        table.transact_write_items(TransactItems=[put_new("b")], ClientRequestToken="second")
