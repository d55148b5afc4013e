"""Webhook events whose hand-on raised, in the home region's partners table: attempts, the
next try (none once given up) and the reason, per event id. The events index holds only what
the hand-on needs (its projection is fixed), so the dispatcher reads these once per run.

Writes are absolute values, not counters: the SDK's retry of a write whose answer was lost
sets the same again (store/writes.py). Given-up records stay until they expire, where the
operator finds them; so do the records of events handed on after all (no delete here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from partnerapp.domain.timestamps import from_wire, to_wire
from partnerapp.settings import Settings
from partnerapp.store import clients, keys
from partnerapp.store.codec import from_item, to_item, to_values

RETENTION = timedelta(days=30)


@dataclass(frozen=True)
class EventRetry:
    event_id: str
    attempts: int
    retry_at: datetime | None  # None: given up
    error: str
    status: str = "retrying"  # then "given_up", or "handed_on" after all


class EventRetries:
    def __init__(self, settings: Settings) -> None:
        self._table = settings.partners_table
        self._db = clients.dynamodb(settings.home_region)

    def all(self) -> dict[str, EventRetry]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": to_values({":pk": keys.EVENT_RETRIES_PK}),
            "ConsistentRead": True,
        }
        found: dict[str, EventRetry] = {}
        while True:
            page = self._db.query(**request)
            for values in (from_item(i) for i in page.get("Items", [])):
                retry_at = values.get("retry_at")
                found[values["event_id"]] = EventRetry(
                    values["event_id"], values["attempts"], from_wire(retry_at) if retry_at else None,
                    values["error"], values["status"],
                )  # fmt: skip
            if "LastEvaluatedKey" not in page:
                return found
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def record(self, retry: EventRetry, partner_id: str, now: datetime) -> None:
        values = {
            "pk": keys.EVENT_RETRIES_PK,
            "sk": keys.event_retry_sk(retry.event_id),
            "entity": "event_retry",
            "event_id": retry.event_id,
            "partner_id": partner_id,
            "attempts": retry.attempts,
            "retry_at": to_wire(retry.retry_at) if retry.retry_at else None,
            "status": retry.status,
            "error": retry.error[:200],
            "failed_at": to_wire(now),
            "expires_at": int((now + RETENTION).timestamp()),
        }
        self._db.put_item(TableName=self._table, Item=to_item(values))

    def handed_on(self, retry: EventRetry, partner_id: str, now: datetime) -> None:
        """It went after all: kept, marked so, until it expires."""
        self.record(
            EventRetry(retry.event_id, retry.attempts, None, retry.error, "handed_on"), partner_id, now
        )
