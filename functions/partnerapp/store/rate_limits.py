"""Per-partner request budgets: a counter per partner and minute in the home table.

One conditional UpdateItem per request: it counts the request and refuses it once the
minute's budget is spent, atomically, whichever Lambda instance serves the request. The
counters expire by TTL.

The counter remembers the writer of its last count: the SDK's retry of a count whose answer
was lost (and that nobody counted after) is not counted again, and is let through even when
that count took the last place. (Remembering every writer would not fit the item at a high
budget; a count followed by another one before its retry may be counted twice, which costs
the partner one request of the minute's budget, never a lost write.)
"""

from __future__ import annotations

from datetime import datetime, timedelta

from botocore.exceptions import ClientError

from partnerapp.settings import Settings
from partnerapp.store import clients, keys, writes
from partnerapp.store.codec import to_values
from partnerapp.store.errors import is_condition_failure

WINDOW = timedelta(minutes=1)


class RateLimiter:
    def __init__(self, settings: Settings) -> None:
        self._table = settings.partners_table
        self._db = clients.dynamodb(settings.home_region)
        self._limit = settings.rate_limit_per_minute

    def allow(self, partner_id: str, now: datetime) -> int | None:
        """None when the request may go ahead; else the seconds until the budget refills."""
        window_start = now.replace(second=0, microsecond=0)
        writer = writes.new_writer()
        try:
            self._db.update_item(
                TableName=self._table,
                Key={
                    "pk": {"S": keys.partner_pk(partner_id)},
                    "sk": {"S": keys.rate_window_sk(window_start)},
                },
                UpdateExpression=f"ADD hits :one SET expires_at = :expires, {writes.WRITER} = :me",
                ConditionExpression=f"(attribute_not_exists(hits) OR hits < :limit) "
                f"AND (attribute_not_exists({writes.WRITER}) OR {writes.WRITER} <> :me)",
                ExpressionAttributeValues=to_values(
                    {
                        ":one": 1,
                        ":limit": self._limit,
                        ":expires": int((window_start + 2 * WINDOW).timestamp()),
                        ":me": writer,
                    }
                ),
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if is_condition_failure(error):
                if writes.written_by(writes.old_item(error), writer):
                    return None  # this very count, applied before its answer was lost
                return max(int((window_start + WINDOW - now).total_seconds()), 1)
            raise
        return None
