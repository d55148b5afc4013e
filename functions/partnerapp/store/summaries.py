"""The summaries a partner opted into, in the home region's partners table: a schedule item
per opted-in summary (when the next one is due) and one email item per partner, summary and
period, which is also that email's outbox entry.

Both are in the sparse `partner_due` index (`due_kind`, `due_at`): the job Queries the
schedules due of each kind and the emails due to be sent (`MAIL`), never every partner.
Queuing a summary is one transaction: the schedule moves to the next period, conditional on
the due time read, and the email item is put, conditional on not existing. Two runs cannot
both queue; a repeat of a transaction whose answer was lost is the same ClientRequestToken
(DynamoDB answers it as done) or, later, finds its email item there and knows it was done.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain.summaries import Period
from partnerapp.domain.timestamps import to_wire
from partnerapp.settings import Settings
from partnerapp.store import clients, keys, writes
from partnerapp.store.codec import from_item, to_item, to_values
from partnerapp.store.errors import is_condition_failure

INDEX = "partner_due"
LEASE = timedelta(seconds=60)
PENDING, SENT, FAILED, CANCELLED = "pending", "sent", "failed", "cancelled"


@dataclass(frozen=True)
class Schedule:
    partner_id: str
    kind: str
    due_at: str
    attempts: int = 0  # failed attempts at this period's summary (the job's retries)


@dataclass(frozen=True)
class SummaryMail:
    partner_id: str
    kind: str
    period: str
    period_start: str
    period_end: str
    figures: dict[str, Any]
    attempts: int = 0


def mail_values(
    partner_id: str, kind: str, period: str, figures: dict[str, Any], due: datetime
) -> dict[str, Any]:
    """An email item of `kind` that is no summary (a withdrawal's change), for the caller's
    own transaction: sent, retried and given up by the summaries job like the others."""
    return {
        "pk": keys.partner_pk(partner_id),
        "sk": keys.summary_sk(kind, period),
        "entity": "summary",
        "partner_id": partner_id,
        "kind": kind,
        "period": period,
        "period_start": to_wire(due),
        "period_end": to_wire(due),
        "figures": figures,
        "status": PENDING,
        "attempts": 0,
        "due_kind": keys.SUMMARY_MAIL,
        "due_at": keys.due_at(due),
    }


class SummaryStore:
    def __init__(self, settings: Settings) -> None:
        self._table = settings.partners_table
        self._db = clients.dynamodb(settings.home_region)

    # --- schedules ----------------------------------------------------------------------

    def due_schedules(self, kind: str, now: datetime, limit: int = 100) -> list[Schedule]:
        items = self._due(kind, now, limit)
        return [Schedule(i["partner_id"], i["kind"], i["due_at"], i.get("attempts", 0)) for i in items]

    def queue(self, schedule: Schedule, period: Period, next_due: datetime, figures: dict[str, Any]) -> bool:
        """Queue this period's email and move the schedule on; False if this period's email
        was queued before (by an earlier attempt of ours or another run)."""
        mail: dict[str, Any] = {
            "pk": keys.partner_pk(schedule.partner_id),
            "sk": keys.summary_sk(schedule.kind, period.name),
            "entity": "summary",
            "partner_id": schedule.partner_id,
            "kind": schedule.kind,
            "period": period.name,
            "period_start": to_wire(period.start),
            "period_end": to_wire(period.end),
            "figures": figures,
            "status": PENDING,
            "attempts": 0,
            "due_kind": keys.SUMMARY_MAIL,
            "due_at": keys.due_at(period.end),
        }
        token = hashlib.sha256(f"{schedule.partner_id}|{schedule.kind}|{period.name}".encode()).hexdigest()[
            :36
        ]
        try:
            self._db.transact_write_items(
                TransactItems=[
                    self._advance(schedule, next_due),
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": to_item(mail),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                ],
                ClientRequestToken=token,
            )
        except ClientError as error:
            if not is_condition_failure(error):
                raise
            if self._get(mail["pk"], mail["sk"]) is None:
                return False  # the schedule moved (opted out, or another run): nothing to do
            self.skip(schedule, next_due)
            return False
        return True

    def skip(self, schedule: Schedule, next_due: datetime) -> None:
        """Move the schedule on without an email (nothing happened this period)."""
        try:
            self._db.transact_write_items(TransactItems=[self._advance(schedule, next_due)])
        except ClientError as error:
            if not is_condition_failure(error):
                raise

    def record_schedule_failure(
        self, schedule: Schedule, error: str, due: datetime, given_up: str | None = None
    ) -> None:
        """A failed attempt at the schedule's summary: tried again at `due`; or, `given_up`
        naming the period, that period's summary dead-lettered and the schedule at the next."""
        counted = (
            "SET due_at = :due, last_error = :error, failed_period = :period REMOVE attempts"
            if given_up
            else "SET due_at = :due, last_error = :error, attempts = :attempts"
        )
        values: dict[str, Any] = {":due": keys.due_at(due), ":error": error[:300], ":seen": schedule.due_at}
        values |= {":period": given_up} if given_up else {":attempts": schedule.attempts + 1}
        try:
            self._db.update_item(
                TableName=self._table,
                Key=self._key(keys.partner_pk(schedule.partner_id), keys.schedule_sk(schedule.kind)),
                UpdateExpression=counted.replace("SET ", f"SET {writes.WRITER} = {writes.WRITER_VALUE}, ", 1),
                ConditionExpression=writes.mine("due_at = :seen"),
                ExpressionAttributeValues=to_values({**values, writes.WRITER_VALUE: writes.new_writer()}),
            )
        except ClientError as failure:
            if not is_condition_failure(failure):
                raise  # else another run moved the schedule on: it has this period in hand

    def _advance(self, schedule: Schedule, next_due: datetime) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table,
                "Key": self._key(keys.partner_pk(schedule.partner_id), keys.schedule_sk(schedule.kind)),
                "UpdateExpression": "SET due_at = :next REMOVE attempts, last_error",
                "ConditionExpression": "due_at = :seen",
                "ExpressionAttributeValues": to_values(
                    {":next": keys.due_at(next_due), ":seen": schedule.due_at}
                ),
            }
        }

    # --- the emails' outbox -------------------------------------------------------------

    def due_mails(self, now: datetime, limit: int = 100) -> list[SummaryMail]:
        return [self._mail(i) for i in self._due(keys.SUMMARY_MAIL, now, limit)]

    def claim(self, mail: SummaryMail, now: datetime) -> SummaryMail | None:
        """Take the email for one send attempt (a lease); None if someone else has it or it
        is not due any more."""
        try:
            response = self._update(
                mail,
                "SET due_at = :lease_end",
                "#status = :pending AND due_at <= :now",
                {":lease_end": keys.due_at(now + LEASE), ":pending": PENDING, ":now": keys.due_at(now)},
                return_values="ALL_NEW",
            )
        except ClientError as error:
            if is_condition_failure(error):
                return None
            raise
        return self._mail(from_item(response["Attributes"]))

    def mark_sent(self, mail: SummaryMail, message_id: str, now: datetime) -> None:
        self._close(
            mail,
            SENT,
            {":message": message_id, ":now": to_wire(now)},
            ", message_id = :message, sent_at = :now",
        )

    def cancel(self, mail: SummaryMail) -> None:
        """The partner opted out after it was queued: it is not sent."""
        self._close(mail, CANCELLED, {}, "")

    def record_failure(self, mail: SummaryMail, error: str, next_attempt_at: datetime | None) -> None:
        if next_attempt_at is None:
            self._close(mail, FAILED, {":error": error[:300]}, ", last_error = :error")
            return
        self._update(
            mail,
            "SET attempts = :attempts, last_error = :error, due_at = :due",
            "#status = :pending",
            {
                ":attempts": mail.attempts + 1,
                ":error": error[:300],
                ":due": keys.due_at(next_attempt_at),
                ":pending": PENDING,
            },
        )

    def get_mail(self, partner_id: str, kind: str, period: str) -> dict[str, Any] | None:
        return self._get(keys.partner_pk(partner_id), keys.summary_sk(kind, period))

    def mail(self, partner_id: str, kind: str, period: str) -> SummaryMail | None:
        values = self.get_mail(partner_id, kind, period)
        return self._mail(values) if values else None

    def _close(self, mail: SummaryMail, status: str, values: dict[str, Any], extra: str) -> None:
        self._update(
            mail,
            f"SET #status = :status, attempts = :attempts{extra} REMOVE due_kind, due_at",
            "#status = :pending",
            {":status": status, ":attempts": mail.attempts + 1, ":pending": PENDING, **values},
        )

    # --- helpers ------------------------------------------------------------------------

    def _due(self, due_kind: str, now: datetime, limit: int) -> list[dict[str, Any]]:
        response = self._db.query(
            TableName=self._table,
            IndexName=INDEX,
            KeyConditionExpression="due_kind = :kind AND due_at <= :now",
            ExpressionAttributeValues=to_values({":kind": due_kind, ":now": keys.due_at(now)}),
            Limit=limit,
        )
        return [from_item(i) for i in response.get("Items", [])]

    def _update(
        self,
        mail: SummaryMail,
        expression: str,
        condition: str,
        values: dict[str, Any],
        return_values: str = "NONE",
    ) -> Any:
        """One conditional update of an email item that recognises its own earlier attempt
        (store/writes.py): the SDK's retry of a claim whose answer was lost still gets the
        claim, and of "sent" is a success, rather than holding the email back a lease."""
        writer = writes.new_writer()
        return self._db.update_item(
            TableName=self._table,
            Key=self._key(keys.partner_pk(mail.partner_id), keys.summary_sk(mail.kind, mail.period)),
            UpdateExpression=expression.replace("SET ", f"SET {writes.WRITER} = {writes.WRITER_VALUE}, ", 1),
            ConditionExpression=writes.mine(condition),
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=to_values({**values, writes.WRITER_VALUE: writer}),
            ReturnValues=return_values,
        )

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        item = self._db.get_item(TableName=self._table, Key=self._key(pk, sk), ConsistentRead=True).get(
            "Item"
        )
        return from_item(item) if item else None

    @staticmethod
    def _mail(values: dict[str, Any]) -> SummaryMail:
        return SummaryMail(
            partner_id=values["partner_id"],
            kind=values["kind"],
            period=values["period"],
            period_start=values["period_start"],
            period_end=values["period_end"],
            figures=values.get("figures", {}),
            attempts=values.get("attempts", 0),
        )

    @staticmethod
    def _key(pk: str, sk: str) -> dict[str, Any]:
        return {"pk": {"S": pk}, "sk": {"S": sk}}
