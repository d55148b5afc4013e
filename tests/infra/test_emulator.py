"""The local emulator keeps the promises of DynamoDB that the code relies on."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto import mock_aws

from partnerapp_infra.local import emulator as local_stack

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


def _get(table: Any, pk: str) -> dict[str, Any] | None:
    return table.get_item(TableName=TABLE, Key={"pk": {"S": pk}}, ConsistentRead=True).get("Item")  # type: ignore[no-any-return]


def test_a_failed_transaction_changes_nothing_it_wrote_before_failing(table: Any) -> None:
    # Given an item, and a transaction that creates one, changes the first, then fails a condition
    table.put_item(TableName=TABLE, Item={"pk": {"S": "kept"}, "n": {"N": "1"}})
    table.put_item(TableName=TABLE, Item={"pk": {"S": "taken"}})
    change = {
        "Update": {
            "TableName": TABLE,
            "Key": {"pk": {"S": "kept"}},
            "UpdateExpression": "SET n = :two",
            "ExpressionAttributeValues": {":two": {"N": "2"}},
        }
    }
    with pytest.raises(table.exceptions.TransactionCanceledException):
        table.transact_write_items(TransactItems=[put_new("fresh"), change, put_new("taken")])
    # Then the new item is not there and the changed one is as it was (only the items the
    # transaction named were backed up, but they all were)
    assert _get(table, "fresh") is None
    assert _get(table, "kept") == {"pk": {"S": "kept"}, "n": {"N": "1"}}
    assert _get(table, "taken") == {"pk": {"S": "taken"}}
    # and a later transaction on the same items applies normally
    table.transact_write_items(TransactItems=[put_new("fresh"), change])
    assert _get(table, "kept") == {"pk": {"S": "kept"}, "n": {"N": "2"}}
