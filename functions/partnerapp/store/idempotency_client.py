"""The DynamoDB client powertools' idempotency records are written with, made to recognise
its own earlier attempt.

Powertools saves a request's record with a conditional PutItem ("no record yet, or an
expired one"). If that put is applied and its answer lost, the SDK's retry finds the record
- in progress, written by this very request - and powertools reports "already in progress":
the request would wait for itself and answer 409. So each conditional put here carries a
writer id, and its condition also accepts the record as this very put left it.
"""

from __future__ import annotations

from typing import Any

from partnerapp.store import writes

_WRITER_NAME = "#written_by"


class SelfRecognisingClient:
    """Passes every call to `client`; a conditional `put_item` gets a writer id."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def put_item(self, **request: Any) -> Any:
        condition = request.get("ConditionExpression")
        if condition:
            writer = writes.new_writer()
            request["Item"] = {**request["Item"], writes.WRITER: {"S": writer}}
            request["ConditionExpression"] = f"({condition}) OR {_WRITER_NAME} = {writes.WRITER_VALUE}"
            request["ExpressionAttributeNames"] = {
                **request.get("ExpressionAttributeNames", {}),
                _WRITER_NAME: writes.WRITER,
            }
            request["ExpressionAttributeValues"] = {
                **request.get("ExpressionAttributeValues", {}),
                writes.WRITER_VALUE: {"S": writer},
            }
        return self._client.put_item(**request)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)
