"""The AWS SDK's timeouts and retries, in one place, from what a request can afford.

A request's budget is the API function's timeout (template.yaml, Globals: 10 s), under API
Gateway's 30 s limit. A create makes about ten DynamoDB calls, one after the other, that
each answer in milliseconds. So one call may take, at its very worst (every attempt timing
out, the longest backoffs of standard retries: up to 1 s, then 2 s),

    attempts x (connect + read) + backoffs = 3 x (0.5 + 1.0) + 3 = 7.5 s

and the request still answers inside its 10 s (a 503 the partner may retry, not a gateway
timeout with the write in doubt). A read timeout of 1 s is a hundred times DynamoDB's usual
answer; the attempt it cuts short is retried with the same request, which every
conditional write and transaction recognises as its own (store/writes.py), so a slow answer
costs time, never a false conflict or a second write. SES sends take longer than a DynamoDB
call and matter less to the request (the outbox retries them): 2 attempts of 0.5 + 2 s, plus
up to 1 s backoff, 6 s.

Locally the emulator (moto, one call at a time) is far slower than DynamoDB, and a timeout
there measures moto, not the code: the local stack keeps the same retries with generous
timeouts (`LOCAL`).
"""

from __future__ import annotations

from dataclasses import dataclass

from botocore.config import Config


@dataclass(frozen=True)
class Budget:
    connect_seconds: float
    read_seconds: float
    attempts: int  # the first one included

    def config(self) -> Config:
        # Standard retries: they retry timeouts and throttling with jittered backoff, and
        # (unlike adaptive mode) never hold a call back client-side.
        return Config(
            connect_timeout=self.connect_seconds,
            read_timeout=self.read_seconds,
            retries={"total_max_attempts": self.attempts, "mode": "standard"},
        )

    def worst_seconds(self) -> float:
        """One call's longest time: every attempt timed out, the longest backoff between them
        (standard mode: up to 2^(n-1) s before retry n)."""
        backoffs = float(sum(2 ** (n - 1) for n in range(1, self.attempts)))
        return self.attempts * (self.connect_seconds + self.read_seconds) + backoffs


API_FUNCTION_TIMEOUT_SECONDS = 10  # template.yaml, Globals.Function.Timeout

DYNAMODB = Budget(connect_seconds=0.5, read_seconds=1.0, attempts=3)
SES = Budget(connect_seconds=0.5, read_seconds=2.0, attempts=2)
# The emulator: the same attempts, timeouts that a queue of moto calls does not reach.
LOCAL = Budget(connect_seconds=2.0, read_seconds=30.0, attempts=3)


def dynamodb_config(local: bool) -> Config:
    return (LOCAL if local else DYNAMODB).config()


def ses_config(local: bool) -> Config:
    return (LOCAL if local else SES).config()
