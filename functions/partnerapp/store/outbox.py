"""The email outbox: pending invitation and lifecycle-email items, claimed one at a time and
marked sent.

An item waits in the sparse `outbox` index while `outbox_due` is set. Claiming it pushes
`outbox_due` one lease into the future with a conditional write, so two mailers (the stream
handler and the sweep) never send the same email at once; a mailer that dies mid-send leaves
the item to be picked up again once the lease ends.

Every update carries its writer id and its condition accepts the item as this very update
left it (store/writes.py): the SDK's retry of a claim whose answer was lost gets the claim
(rather than "someone else has it", which would hold the email back for a lease), and the
retry of "sent" or "failed" is a success (rather than an error after the email went out).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain.feedback import REPLACES
from partnerapp.domain.licenses import INVITATION_FAILED, INVITATION_PENDING, INVITATION_SENT
from partnerapp.domain.timestamps import to_wire
from partnerapp.settings import Settings
from partnerapp.store import keys, writes
from partnerapp.store.codec import from_item, to_values
from partnerapp.store.errors import is_condition_failure
from partnerapp.store.licenses import RegionalTables

LEASE = timedelta(seconds=60)
OUTBOX_INDEX = "outbox"


@dataclass(frozen=True)
class OutboxEntry:
    """One email item: an invitation (`seq`), or a lifecycle email (`kind`, `audience`,
    `recipient`), named by its sort key."""

    license_id: int
    sk: str
    attempts: int
    seq: int | None = None
    kind: str | None = None
    audience: str | None = None
    recipient: str | None = None

    @property
    def is_invitation(self) -> bool:
        return self.sk.startswith(keys.INVITE_PREFIX)


def _forget_recipient(entry: OutboxEntry) -> str:
    """A lifecycle email's address is kept only until it is sent, or never will be (sent,
    dead-lettered, suppressed): the REMOVE clause for it. An invitation has none."""
    return "" if entry.is_invitation else ", recipient"


class Outbox:
    def __init__(self, settings: Settings) -> None:
        self._tables = RegionalTables(settings)
        # A regional stack's sweep reads only its own region's table (and may read no other).
        self._data_centers = list(settings.served_data_centers)

    def due(self, now: datetime, limit: int = 25) -> list[OutboxEntry]:
        """Emails whose next attempt is due, in every served data region (Query per shard)."""
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

    def claim(
        self, license_id: int, sk: str, now: datetime, link: tuple[str, datetime] | None = None
    ) -> OutboxEntry | None:
        """Take the item for one send attempt; None if it is not due or someone else has it.

        `link` is the digest and expiry of the accept link this attempt's email will carry:
        stored before the send, so the link works as soon as it arrives, and replacing the
        previous attempt's, so only the newest email's link works."""
        expression = "SET outbox_due = :lease_end"
        values: dict[str, Any] = {
            ":lease_end": keys.outbox_due(now + LEASE),
            ":pending": INVITATION_PENDING,
            ":now": keys.outbox_due(now),
        }
        if link is not None:
            expression += ", link_digest = :digest, link_expires_at = :expires"
            values.update({":digest": link[0], ":expires": to_wire(link[1])})
        try:
            response = self._update(
                license_id,
                sk,
                expression,
                "#status = :pending AND outbox_due <= :now",
                values,
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
            entry.sk,
            "SET #status = :sent, sent_at = :now, message_id = :message, attempts = :attempts "
            f"REMOVE outbox_shard, outbox_due, last_error{_forget_recipient(entry)}",
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
                f"REMOVE outbox_shard, outbox_due{_forget_recipient(entry)}"
            )
            values[":failed"] = INVITATION_FAILED
        self._update(entry.license_id, entry.sk, expression, "#status = :pending", values)

    def mark_undeliverable(self, entry: OutboxEntry, outcome: str) -> None:
        """Close a claimed item without sending: its address is suppressed (bounced, complained)."""
        self._update(
            entry.license_id,
            entry.sk,
            "SET #status = :outcome, last_error = :error "
            f"REMOVE outbox_shard, outbox_due{_forget_recipient(entry)}",
            "#status = :pending",
            {":outcome": outcome, ":error": "address suppressed", ":pending": INVITATION_PENDING},
        )

    def record_feedback(self, license_id: int, seq: int, outcome: str, now: datetime) -> bool:
        """Mark an invitation bounced or complained; False when it is missing or its status
        outranks the outcome (accepted, or complained before a late bounce)."""
        allowed = {f":allowed{n}": status for n, status in enumerate(REPLACES[outcome])}
        try:
            self._update(
                license_id,
                keys.invite_sk(seq),
                "SET #status = :outcome, feedback_at = :now REMOVE outbox_shard, outbox_due",
                f"#status IN ({', '.join(allowed)})",
                {":outcome": outcome, ":now": to_wire(now), **allowed},
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def _update(
        self,
        license_id: int,
        sk: str,
        expression: str,
        condition: str,
        values: dict[str, Any],
        return_values: str = "NONE",
    ) -> Any:
        """`expression` if `condition` holds, or if the item is as this very call left it
        (its earlier attempt applied, then its answer was lost: the same values again)."""
        located = self._tables.locate_license(license_id)
        if located is None:
            raise ValueError(f"license id {license_id} names no data region")
        db, table = located
        set_part, _, rest = expression.partition(" REMOVE ")
        stamped = f"{set_part}, {writes.WRITER} = {writes.WRITER_VALUE}" + (f" REMOVE {rest}" if rest else "")
        return db.update_item(
            TableName=table,
            Key={"pk": {"S": keys.license_pk(license_id)}, "sk": {"S": sk}},
            UpdateExpression=stamped,
            ConditionExpression=writes.mine(condition),
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=to_values({**values, writes.WRITER_VALUE: writes.new_writer()}),
            ReturnValues=return_values,
        )

    @staticmethod
    def _entry(values: dict[str, Any]) -> OutboxEntry:
        return OutboxEntry(
            license_id=values["license_id"],
            sk=values["sk"],
            attempts=values.get("attempts", 0),
            seq=values.get("seq"),
            kind=values.get("kind"),
            audience=values.get("audience"),
            recipient=values.get("recipient"),
        )
