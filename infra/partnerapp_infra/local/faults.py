"""A lost response: DynamoDB applies a write, its answer never reaches the caller, and the
SDK retries it, as it does after a read timeout or a connection dropped mid-answer. And a
stale read (`StaleReads`): an eventually consistent GetItem served by a replica that has not
seen the latest writes yet, which the emulator never gives.

The fault sits where botocore sends a request and reads the answer (the endpoint's
`_do_get_response`): the attempt really goes to the emulator (moto in-process or a moto
server), then its answer is replaced by `ReadTimeoutError`, which botocore's retry handler
(legacy, standard and adaptive modes alike) retries with the same request - the same
parameters, and for a transaction the same `ClientRequestToken`. Only the chosen attempts
are dropped; their retries go through.

Tests choose "the n-th write attempt" (`nth_write`), to drop the first attempt of each of a
path's writes in turn; `make soak` drops a share of first attempts at random (`LOST_RESPONSES`
names the share in its worker processes).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from botocore import endpoint as endpoint_module
from botocore.endpoint import Endpoint
from botocore.exceptions import ReadTimeoutError

WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"})

# Set in a worker's environment by `make soak`: the share of first write attempts to drop,
# and a file each drop is appended to (the soak counts them).
RATE_VARIABLE = "LOST_RESPONSES"
LOG_VARIABLE = "LOST_RESPONSES_LOG"


@dataclass(frozen=True)
class WriteAttempt:
    number: int  # 1 for the first write attempt seen while the fault is on
    operation: str
    table: str
    attempt: int  # botocore's attempt number of the call: 1, then 2 for its first retry
    dropped: bool
    applied: bool = True  # False: refused (a failed condition): there is no answer to lose


Choose = Callable[[int, str, int], bool]  # (write number, operation, attempt) -> drop?


@dataclass
class LostResponses:
    """While entered, every DynamoDB write attempt is recorded in `writes`; those `choose`
    picks are applied and then answered with a read timeout."""

    choose: Choose
    # Tests skip the SDK's backoff before a retry (a random pause of up to a second): the
    # retry is the same either way, and the suite has no time to wait.
    no_backoff: bool = False
    writes: list[WriteAttempt] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _answers: Any = None  # the endpoint patch, while entered
    _original_time: Any = None

    @property
    def dropped(self) -> list[WriteAttempt]:
        return [w for w in self.writes if w.dropped]

    def __enter__(self) -> LostResponses:
        self._answers = _dynamodb_answers(self._answer)
        self._answers.__enter__()
        if self.no_backoff:
            self._original_time = endpoint_module.time
            endpoint_module.time = _NoPause()
        return self

    def __exit__(self, *_: object) -> None:
        self._answers.__exit__(None, None, None)
        if self._original_time is not None:
            endpoint_module.time = self._original_time

    def _answer(self, request: Any, operation_model: Any, context: Any, answer: Any) -> Any:
        if operation_model.name not in WRITES:
            return answer
        success, _error = answer
        applied = success is not None and success[0].status_code == 200
        attempt = int(context.get("retries", {}).get("attempt", 1))
        if self._record(operation_model.name, request, attempt, applied):
            return None, ReadTimeoutError(endpoint_url=request.url)
        return answer

    def _record(self, operation: str, request: Any, attempt: int, applied: bool) -> bool:
        with self._lock:
            number = len(self.writes) + 1
            drop = applied and self.choose(number, operation, attempt)
            table = _table(request.body)
            self.writes.append(WriteAttempt(number, operation, table, attempt, drop, applied))
        return drop


@dataclass
class StaleReads:
    """While entered, every DynamoDB GetItem not asked with `ConsistentRead` answers as a
    replica that has not yet seen the item: found nothing (DynamoDB allows that for about
    a second after a write). Strongly consistent reads are answered as usual."""

    stale: list[str] = field(default_factory=list)  # the tables of the reads answered stale
    _answers: Any = None

    def __enter__(self) -> StaleReads:
        self._answers = _dynamodb_answers(self._answer)
        self._answers.__enter__()
        return self

    def __exit__(self, *_: object) -> None:
        self._answers.__exit__(None, None, None)

    def _answer(self, request: Any, operation_model: Any, _context: Any, answer: Any) -> Any:
        if operation_model.name != "GetItem":
            return answer
        params = json.loads(request.body or b"{}")
        success, _error = answer
        if success is not None and not params.get("ConsistentRead"):
            success[1].pop("Item", None)
            self.stale.append(str(params.get("TableName", "")))
        return answer


Answer = Callable[[Any, Any, Any, Any], Any]  # (request, operation model, context, answer) -> answer


@contextlib.contextmanager
def _dynamodb_answers(rewrite: Answer) -> Iterator[None]:
    """While entered, each DynamoDB answer goes through `rewrite` before botocore reads it:
    where botocore sends a request and reads its answer (the endpoint's `_do_get_response`),
    after the request really reached the emulator."""
    original = Endpoint._do_get_response

    def get_response(endpoint: Any, request: Any, operation_model: Any, context: Any) -> Any:
        answer = original(endpoint, request, operation_model, context)
        if endpoint._endpoint_prefix != "dynamodb":
            return answer
        return rewrite(request, operation_model, context, answer)

    Endpoint._do_get_response = get_response
    try:
        yield
    finally:
        Endpoint._do_get_response = original


class _NoPause:
    """botocore's endpoint module uses `time` only to sleep before a retry."""

    @staticmethod
    def sleep(_seconds: float) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


def nth_write(n: int) -> Choose:
    """Drop the answer of the n-th write attempt (1-based), once."""
    return lambda number, _operation, _attempt: number == n


def never() -> Choose:
    """Drop nothing: a run that counts a path's writes."""
    return lambda *_: False


def share_of_first_attempts(rate: float, seed: int | None = None) -> Choose:
    """Drop the answer of about `rate` of first attempts (never a retry's: the SDK's retries
    are few, and a retry that is lost too is a different fault)."""
    chance = random.Random(seed)  # which faults to inject, reproducibly; no secret  # nosec B311
    return lambda _number, _operation, attempt: attempt == 1 and chance.random() < rate


def _table(body: Any) -> str:
    """The table a write names (a transaction's: its first item's), for reports."""
    try:
        params = json.loads(body or b"{}")
    except ValueError:
        return ""
    if "TableName" in params:
        return str(params["TableName"])
    for item in params.get("TransactItems", []):
        return str(next(iter(item.values())).get("TableName", ""))
    return ",".join(params.get("RequestItems", {}))


def install_from_environment() -> LostResponses | None:
    """In a `make soak` worker: drop the share of first write attempts `LOST_RESPONSES`
    names, appending each drop to the `LOST_RESPONSES_LOG` file. Left on for the process."""
    rate = os.environ.get(RATE_VARIABLE)
    if not rate:
        return None
    log = os.environ.get(LOG_VARIABLE)
    pick = share_of_first_attempts(float(rate))

    def choose(number: int, operation: str, attempt: int) -> bool:
        drop = pick(number, operation, attempt)
        if drop and log:
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"{operation}\n")
        return drop

    return LostResponses(choose).__enter__()
