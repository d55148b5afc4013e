"""Conditional writes that recognise their own earlier attempt.

A write's answer can be lost after DynamoDB applied it (a read timeout, a dropped
connection); the SDK then sends the very same request again. A condition that only says
"as I found it" (`attribute_not_exists(pk)`, `status = pending`) fails on that retry, and a
success would be reported as a conflict, a lost link or a crash. So every conditional write
here carries who wrote it: a fresh id per call (`written_by`), the same on the SDK's retries
because they resend the same parameters. Each condition then reads "as I found it, or as I
left it" (`mine`); a write that is not idempotent (a counter) instead refuses to count twice
and recognises itself in the item the failed condition returns (`ALL_OLD`).

Transactions need none of this: `transact` gives each one a ClientRequestToken, which
DynamoDB answers with the first attempt's success for ten minutes.
"""

from __future__ import annotations

import random
import time
import uuid
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.store.errors import is_condition_failure

WRITER = "written_by"
WRITER_VALUE = ":written_by"
# A retry that arrives while its first attempt is still being applied is refused with this;
# waiting for the first attempt to finish and asking again gets its answer.
IN_PROGRESS = "TransactionInProgressException"
IN_PROGRESS_RETRIES = 5
IN_PROGRESS_PAUSE_SECONDS = 0.2
# Kept counts (store/tallies.py) are items many changes share: transactions on them can meet.
CONFLICT_RETRIES = 5
CONFLICT_PAUSE_SECONDS = 0.05


def new_writer() -> str:
    return uuid.uuid4().hex


def mine(condition: str) -> str:
    """`condition`, or the item is as this very write left it (its earlier attempt applied)."""
    return f"({condition}) OR {WRITER} = {WRITER_VALUE}"


def old_item(error: ClientError) -> dict[str, Any] | None:
    """The item a failed condition found (asked for with ReturnValuesOnConditionCheckFailure)."""
    item = error.response.get("Item")
    return item if isinstance(item, dict) else None


def written_by(item: dict[str, Any] | None, writer: str) -> bool:
    return bool(item) and item.get(WRITER, {}).get("S") == writer  # type: ignore[union-attr]


def transact(db: Any, items: list[dict[str, Any]]) -> None:
    """One TransactWriteItems, with a ClientRequestToken kept across every retry of it (the
    SDK's, and ours after TransactionInProgressException): a repeat is answered as the first
    attempt was, never applied twice nor failed by its own conditions. A transaction that
    another one on the same item cancelled (TransactionConflict: nothing of it was applied)
    is sent again as a new one, after a short random pause."""
    for conflict in range(CONFLICT_RETRIES + 1):
        try:
            _with_one_token(db, items)
            return
        except ClientError as error:
            if not _cancelled_by_conflict(error) or conflict == CONFLICT_RETRIES:
                raise
            pause = random.uniform(0.5, 1.0)  # jitter spreads the retries; no secret  # nosec B311
            time.sleep(pause * CONFLICT_PAUSE_SECONDS * 2**conflict)


def transact_or(db: Any, items: list[dict[str, Any]], refused: type[Exception]) -> None:
    """`transact`, where a failed condition (someone changed an item first) raises `refused`,
    the caller's own error."""
    try:
        transact(db, items)
    except ClientError as error:
        if is_condition_failure(error):
            raise refused from None
        raise


def _with_one_token(db: Any, items: list[dict[str, Any]]) -> None:
    token = uuid.uuid4().hex
    for attempt in range(IN_PROGRESS_RETRIES + 1):
        try:
            db.transact_write_items(TransactItems=items, ClientRequestToken=token)
            return
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code != IN_PROGRESS or attempt == IN_PROGRESS_RETRIES:
                raise
            time.sleep(IN_PROGRESS_PAUSE_SECONDS)


def _cancelled_by_conflict(error: ClientError) -> bool:
    """Cancelled only because another transaction held one of its items (no condition
    failed): nothing was applied, so the same writes may be sent again."""
    if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return False
    codes = {reason.get("Code") for reason in error.response.get("CancellationReasons", [])}
    return "TransactionConflict" in codes and codes <= {"TransactionConflict", "None", None}
