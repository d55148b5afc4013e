"""What `make bench` calls the API through and observes, shared by bench and
bench_aggregates (which bench runs: so neither imports the other back)."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Row = tuple[str, str]  # one line of the printed table: what was measured, and the figure


class BenchFailed(RuntimeError):
    """A measured request did not answer as it must: `make bench` exits non-zero."""


@dataclass(frozen=True)
class DynamoCall:
    operation: str
    seconds: float  # spent in the emulator (and the SDK), not in our code
    scanned: int  # items the call read (a Query's ScannedCount; 1 for a GetItem that found one)


@contextlib.contextmanager
def observed_dynamodb_calls() -> Iterator[list[DynamoCall]]:
    """The DynamoDB operations made inside the block."""
    import botocore.client

    calls: list[DynamoCall] = []
    original = botocore.client.BaseClient._make_api_call

    def observing(self: Any, operation: str, params: dict[str, Any]) -> Any:
        if self.meta.service_model.service_name != "dynamodb":
            return original(self, operation, params)
        started = time.perf_counter()
        answer = original(self, operation, params)
        scanned = answer.get("ScannedCount", 1 if answer.get("Item") else 0)
        scanned += sum(len(items) for items in answer.get("Responses", {}).values())  # BatchGetItem
        calls.append(DynamoCall(operation, time.perf_counter() - started, scanned))
        return answer

    botocore.client.BaseClient._make_api_call = observing
    try:
        yield calls
    finally:
        botocore.client.BaseClient._make_api_call = original


class Api:
    """The API handler behind the local gateway, called as one partner."""

    def __init__(self, token: str) -> None:
        from partnerapp_infra.local.gateway import LocalGateway

        self._gateway = LocalGateway()
        self._headers = [("authorization", f"Bearer {token}"), ("content-type", "application/json")]

    def call(self, method: str, path: str, body: Any = None, expect: int = 200, headers: Any = ()) -> Any:
        from partnerapp_infra.local.apigw import HttpRequest

        raw_path, _, query = path.partition("?")
        data = json.dumps(body).encode() if body is not None else b""
        sent = [*self._headers, *headers]
        answer = self._gateway.handle(HttpRequest(method, raw_path, query, sent, data))
        if answer.status != expect:
            raise BenchFailed(f"{method} {path}: {answer.status} {answer.body[:200]!r}")
        return json.loads(answer.body)
