"""The invitation outbox: pending invitation items, claimed one at a time and marked sent.

An item waits in the sparse `outbox` index while `outbox_due` is set. Claiming it pushes
`outbox_due` one lease into the future with a conditional write, so two mailers (the stream
handler and the sweep) never send the same email at once; a mailer that dies mid-send leaves
the item to be picked up again once the lease ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain.licenses import INVITATION_FAILED, INVITATION_PENDING, INVITATION_SENT
from partnerapp.domain.timestamps import to_wire
from partnerapp.settings import Settings
from partnerapp.store import keys
from partnerapp.store.codec import from_item, to_values
from partnerapp.store.errors import is_condition_failure
from partnerapp.store.licenses import RegionalTables

LEASE = timedelta(seconds=60)
OUTBOX_INDEX = "outbox"


@dataclass(frozen=True)
class OutboxEntry:
    license_id: int
    seq: int
    attempts: int


class Outbox:
    def __init__(self, settings: Settings) -> None:
        self._tables = RegionalTables(settings)
        self._data_centers = list(settings.license_tables)

    def due(self, now: datetime, limit: int = 25) -> list[OutboxEntry]:
        """Invitations whose next attempt is due, in every data region (Query per shard)."""
        entries: list[OutboxEntry] = []
        for center in self._data_centers:
            db, table = self._tables.locate(center)
            for shard in keys.outbox_shards():
                response = db.query(
                    TableName=table,
                    IndexName=OUTBOX_INDEX,
                    KeyConditionExpression="outbox_shard = :shard AND outbox_due <= :now",
                    ExpressionAttributeValues=to_values({":shard": shard, ":now": keys.outbox_due(now)}),
                    Limit=limit,
                )
                entries += [self._entry(from_item(i)) for i in response.get("Items", [])]
        return entries

    def claim(self, license_id: int, seq: int, now: datetime) -> OutboxEntry | None:
        """Take the item for one send attempt; None if it is not due or someone else has it."""
        try:
            response = self._update(
                license_id,
                seq,
                "SET outbox_due = :lease_end",
                "#status = :pending AND outbox_due <= :now",
                {
                    ":lease_end": keys.outbox_due(now + LEASE),
                    ":pending": INVITATION_PENDING,
                    ":now": keys.outbox_due(now),
                },
                return_values="ALL_NEW",
            )
        except ClientError as error:
            if is_condition_failure(error):
                return None
            raise
        return self._entry(from_item(response["Attributes"]))

    def mark_sent(self, entry: OutboxEntry, message_id: str, now: datetime) -> None:
        self._update(
            entry.license_id,
            entry.seq,
            "SET #status = :sent, sent_at = :now, message_id = :message, attempts = :attempts "
            "REMOVE outbox_shard, outbox_due, last_error",
            "#status = :pending",
            {
                ":sent": INVITATION_SENT,
                ":now": to_wire(now),
                ":message": message_id,
                ":attempts": entry.attempts + 1,
                ":pending": INVITATION_PENDING,
            },
        )

    def record_failure(self, entry: OutboxEntry, error: str, next_attempt_at: datetime | None) -> None:
        """Schedule the next attempt, or dead-letter the invitation (status failed)."""
        values: dict[str, Any] = {
            ":attempts": entry.attempts + 1,
            ":error": error[:300],
            ":pending": INVITATION_PENDING,
        }
        if next_attempt_at is not None:
            expression = "SET attempts = :attempts, last_error = :error, outbox_due = :due"
            values[":due"] = keys.outbox_due(next_attempt_at)
        else:
            expression = (
                "SET attempts = :attempts, last_error = :error, #status = :failed "
                "REMOVE outbox_shard, outbox_due"
            )
            values[":failed"] = INVITATION_FAILED
        self._update(entry.license_id, entry.seq, expression, "#status = :pending", values)

    def _update(
        self,
        license_id: int,
        seq: int,
        expression: str,
        condition: str,
        values: dict[str, Any],
        return_values: str = "NONE",
    ) -> Any:
        located = self._tables.locate_license(license_id)
        if located is None:
            raise ValueError(f"license id {license_id} names no data region")
        db, table = located
        return db.update_item(
            TableName=table,
            Key={"pk": {"S": keys.license_pk(license_id)}, "sk": {"S": keys.invite_sk(seq)}},
            UpdateExpression=expression,
            ConditionExpression=condition,
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=to_values(values),
            ReturnValues=return_values,
        )

    @staticmethod
    def _entry(values: dict[str, Any]) -> OutboxEntry:
        return OutboxEntry(
            license_id=values["license_id"], seq=values["seq"], attempts=values.get("attempts", 0)
        )
