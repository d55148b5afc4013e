"""Per-partner request budgets: a counter per partner and minute in the home table, claimed
in batches.

An execution environment does not write once per request: it claims a batch of the minute's
budget (a twentieth of it) with one conditional UpdateItem, serves requests from that batch
in memory, and claims again when it is spent, or only what is left of the minute's budget.
What this keeps of the promise "at most the budget per partner and minute, 429 with
Retry-After past it, whichever environment serves the request":

- never more than the budget is served in a minute, across all environments: a batch is
  only handed out while the counter has room for it;
- a partner may be refused a little early, when other environments still hold requests they
  claimed and did not use: at most a batch less one per environment. With a budget under 40
  a batch is one request, and every request is counted exactly.

The counter remembers the writer of every claim it counted (a set: a claim is a batch, so
a minute counts few of them): the SDK's retry of a claim whose answer was lost is not
counted again, even when other environments claimed between the two attempts (a late retry
on a loaded machine), and is granted even when that claim took the last places. The
counters expire by TTL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.settings import Settings
from partnerapp.store import clients, keys, writes
from partnerapp.store.codec import to_values
from partnerapp.store.errors import is_condition_failure

WINDOW = timedelta(minutes=1)
BATCHES_PER_WINDOW = 20
CLAIM_ATTEMPTS = 3
# The writers of the claims a minute's counter counted (a string set).
CLAIMED_BY = "claimed_by"
# Allowances of other partners' past minutes are dropped once this many are held.
MAX_HELD = 1000


def batch_size(limit: int) -> int:
    return max(1, limit // BATCHES_PER_WINDOW)


@dataclass
class Allowance:
    """Requests this environment claimed of a partner's minute and has not served yet."""

    window_start: datetime
    left: int


class RateLimiter:
    """One per execution environment (built once with the function's dependencies)."""

    def __init__(self, settings: Settings) -> None:
        self._table = settings.partners_table
        self._db = clients.dynamodb(settings.home_region)
        self._limit = settings.rate_limit_per_minute
        self._batch = batch_size(self._limit)
        self._held: dict[str, Allowance] = {}

    def allow(self, partner_id: str, now: datetime) -> int | None:
        """None when the request may go ahead; else the seconds until the budget refills."""
        window_start = now.replace(second=0, microsecond=0)
        held = self._held.get(partner_id)
        if held is None or held.window_start != window_start:
            held = self._hold(partner_id, Allowance(window_start, 0))
        if held.left == 0:
            held.left = self._claim(partner_id, window_start)
        if held.left == 0:
            return max(int((window_start + WINDOW - now).total_seconds()), 1)
        held.left -= 1
        return None

    def _hold(self, partner_id: str, allowance: Allowance) -> Allowance:
        if len(self._held) >= MAX_HELD:
            current = allowance.window_start
            self._held = {p: a for p, a in self._held.items() if a.window_start == current}
        self._held[partner_id] = allowance
        return allowance

    def _claim(self, partner_id: str, window_start: datetime) -> int:
        """Claim a batch of the minute's budget, or what is left of it: how many were granted."""
        wanted = self._batch
        for _ in range(CLAIM_ATTEMPTS):
            writer = writes.new_writer()
            try:
                self._add(partner_id, window_start, wanted, writer)
                return wanted
            except ClientError as error:
                if not is_condition_failure(error):
                    raise
                found = writes.old_item(error)
            if _counted(found, writer):
                return wanted  # this very claim, applied before its answer was lost
            left = self._limit - int(found["hits"]["N"]) if found else 0
            if left <= 0:
                return 0
            wanted = min(wanted, left)
        return 0

    def _add(self, partner_id: str, window_start: datetime, count: int, writer: str) -> None:
        self._db.update_item(
            TableName=self._table,
            Key={
                "pk": {"S": keys.partner_pk(partner_id)},
                "sk": {"S": keys.rate_window_sk(window_start)},
            },
            UpdateExpression=f"ADD hits :count, {CLAIMED_BY} :us SET expires_at = :expires",
            ConditionExpression="(attribute_not_exists(hits) OR hits <= :room) "
            f"AND NOT contains({CLAIMED_BY}, :me)",
            ExpressionAttributeValues={
                **to_values(
                    {
                        ":count": count,
                        ":room": self._limit - count,
                        ":expires": int((window_start + 2 * WINDOW).timestamp()),
                        ":me": writer,
                    }
                ),
                ":us": {"SS": [writer]},
            },
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )


def _counted(found: dict[str, Any] | None, writer: str) -> bool:
    """The counter the failed condition returned already counts the claim `writer` made."""
    return bool(found) and writer in found.get(CLAIMED_BY, {}).get("SS", [])  # type: ignore[union-attr]
