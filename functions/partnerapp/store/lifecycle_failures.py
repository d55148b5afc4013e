"""A license the lifecycle job failed on: its attempts, the last error and the next try, kept
on the license item itself, and its removal from the lifecycle index once they are used up.

The job tries the license again when `lifecycle_due` comes round (the backoff); a dead-lettered
license leaves the `lifecycle` index and keeps `lifecycle_error` and `lifecycle_failed_at`,
until its next write (a partner's change, say) rewrites the item and puts it back in the index
if something is still due. A successful change of the job rewrites the item too, so the
counters start over.

The attempts are set, never added: the write is conditional on the count it read, or on being
as this very write left it (`writes.mine`), so the SDK's retry of a lost answer is a success
and two overlapping runs count one failure once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain.delivery import SCHEDULED_JOB_RETRY, RetryPolicy
from partnerapp.domain.timestamps import to_wire
from partnerapp.settings import Settings
from partnerapp.store import keys, writes
from partnerapp.store.codec import to_values
from partnerapp.store.errors import is_condition_failure
from partnerapp.store.licenses import RegionalTables

LIFECYCLE_RETRY = SCHEDULED_JOB_RETRY


class LifecycleFailures:
    def __init__(self, settings: Settings, policy: RetryPolicy = LIFECYCLE_RETRY) -> None:
        self._tables = RegionalTables(settings)
        self._policy = policy

    def record(self, license_id: int, reason: str, now: datetime) -> bool | None:
        """Count a failed attempt: True once dead-lettered, False if it will be tried again,
        None if the license is gone or another run recorded this failure first."""
        located = self._tables.locate_license(license_id)
        if located is None:
            return None
        db, table = located
        key = {"pk": {"S": keys.license_pk(license_id)}, "sk": {"S": keys.LICENSE_SK}}
        found = db.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
        if found is None:
            return None
        seen = int(found.get("lifecycle_attempts", {}).get("N", "0"))
        next_at = self._policy.next_attempt_at(seen + 1, now)
        expression, values = _failure(seen, reason, next_at, now)
        condition = "lifecycle_attempts = :seen" if seen else "attribute_not_exists(lifecycle_attempts)"
        try:
            db.update_item(
                TableName=table,
                Key=key,
                UpdateExpression=expression,
                ConditionExpression=writes.mine(f"attribute_exists(pk) AND {condition}"),
                ExpressionAttributeValues=to_values(values),
            )
        except ClientError as error:
            if is_condition_failure(error):
                return None
            raise
        return next_at is None


def _failure(seen: int, reason: str, next_at: datetime | None, now: datetime) -> tuple[str, dict[str, Any]]:
    """The update for failure number `seen + 1`: the next try, or out of the index."""
    values: dict[str, Any] = {
        ":attempts": seen + 1,
        ":error": reason,
        writes.WRITER_VALUE: writes.new_writer(),
    }
    if seen:
        values[":seen"] = seen
    counted = (
        f"lifecycle_attempts = :attempts, lifecycle_error = :error, {writes.WRITER} = {writes.WRITER_VALUE}"
    )
    if next_at is not None:
        values[":due"] = keys.outbox_due(next_at)
        return f"SET lifecycle_due = :due, {counted}", values
    values[":now"] = to_wire(now)
    return f"SET lifecycle_failed_at = :now, {counted} REMOVE lifecycle_shard, lifecycle_due", values
