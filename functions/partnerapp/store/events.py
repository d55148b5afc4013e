"""Webhook events waiting in a data region: history items still in the sparse `events` index.

The dispatcher (home stack) Queries them per shard in every region, hands them on, then
takes each out of the index; until then a crash only means it is handed on again, which the
deliveries' conditional puts make harmless. An event whose hand-on raised is retried
(store/event_retries.py), then taken out with its reason (`event_error`) once given up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain.timestamps import from_wire, to_wire
from partnerapp.settings import Settings
from partnerapp.store import keys
from partnerapp.store.codec import from_item, to_values
from partnerapp.store.errors import is_condition_failure
from partnerapp.store.licenses import RegionalTables

EVENTS_INDEX = "events"
MAX_PER_RUN = 500


@dataclass(frozen=True)
class PendingEvent:
    pk: str
    sk: str
    event_id: str
    event_type: str
    partner_id: str
    order_key: str
    occurred_at: datetime
    data: dict[str, Any]
    unreadable: str | None = None  # why its record could not be read (it is then a poison event)


class EventIndex:
    def __init__(self, settings: Settings) -> None:
        self._tables = RegionalTables(settings)
        self._data_centers = list(settings.served_data_centers)

    def pending(self) -> list[PendingEvent]:
        """Events not dispatched yet, each shard's in the order they happened."""
        found: list[PendingEvent] = []
        for center in self._data_centers:
            db, table = self._tables.locate(center)
            for shard in keys.events_shards():
                found += self._query(db, table, shard, MAX_PER_RUN - len(found))
                if len(found) >= MAX_PER_RUN:
                    return found
        return found

    def dispatched(self, event: PendingEvent) -> None:
        license_id = int(event.pk.removeprefix("LICENSE#"))
        located = self._tables.locate_license(license_id)
        if located is None:
            return
        db, table = located
        try:
            db.update_item(
                TableName=table,
                Key={"pk": {"S": event.pk}, "sk": {"S": event.sk}},
                UpdateExpression="REMOVE event_shard, event_key",
                ConditionExpression="attribute_exists(event_key)",
            )
        except ClientError as error:
            if not is_condition_failure(error):  # another dispatcher took it out first: fine
                raise

    def given_up(self, event: PendingEvent, reason: str, now: datetime) -> None:
        """Take an event whose hand-on kept raising out of the index, its reason kept on the
        history entry; a retry of this write (its answer lost) finds it taken out: fine."""
        located = self._tables.locate_license(int(event.pk.removeprefix("LICENSE#")))
        if located is None:
            return
        db, table = located
        try:
            db.update_item(
                TableName=table,
                Key={"pk": {"S": event.pk}, "sk": {"S": event.sk}},
                UpdateExpression="SET event_error = :error, event_given_up_at = :now "
                "REMOVE event_shard, event_key",
                ConditionExpression="attribute_exists(event_key)",
                ExpressionAttributeValues=to_values({":error": reason[:200], ":now": to_wire(now)}),
            )
        except ClientError as error:
            if not is_condition_failure(error):
                raise

    @staticmethod
    def _query(db: Any, table: str, shard: str, limit: int) -> list[PendingEvent]:
        request: dict[str, Any] = {
            "TableName": table,
            "IndexName": EVENTS_INDEX,
            "KeyConditionExpression": "event_shard = :shard",
            "ExpressionAttributeValues": to_values({":shard": shard}),
            "Limit": min(max(limit, 1), 100),
        }
        found: list[PendingEvent] = []
        while len(found) < limit:
            response = db.query(**request)
            found += [_event_or_unreadable(from_item(i)) for i in response.get("Items", [])]
            if "LastEvaluatedKey" not in response:
                break
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        return found[:limit]


def _event_or_unreadable(values: dict[str, Any]) -> PendingEvent:
    """The event, or a stand-in naming why its record cannot be read: one bad record must not
    stop the run from reading the others (the dispatcher retries, then gives it up)."""
    try:
        return _event(values)
    except (KeyError, TypeError, ValueError) as error:
        pk, sk = str(values["pk"]), str(values["sk"])  # a record in the index has its keys
        return PendingEvent(
            pk=pk,
            sk=sk,
            event_id=str(values.get("event_id") or f"unreadable:{pk}/{sk}"),
            event_type="",
            partner_id=str(values.get("partner_id", "")),
            order_key=str(values.get("event_key", "")),
            occurred_at=datetime.min,
            data={},
            unreadable=type(error).__name__,
        )


def _event(values: dict[str, Any]) -> PendingEvent:
    return PendingEvent(
        pk=values["pk"],
        sk=values["sk"],
        event_id=values["event_id"],
        event_type=values["event_type"],
        partner_id=values["partner_id"],
        order_key=values["event_key"],
        occurred_at=from_wire(values["at"]),
        data=values.get("event_data") or {},
    )
