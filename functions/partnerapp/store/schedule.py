"""The licenses the lifecycle job must look at: a Query per shard of the sparse `lifecycle`
index (`lifecycle_due` <= now), in every data region this function serves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from partnerapp.settings import Settings
from partnerapp.store import keys
from partnerapp.store.codec import from_item, to_values
from partnerapp.store.licenses import RegionalTables

LIFECYCLE_INDEX = "lifecycle"
MAX_PER_RUN = 500  # a run that finds more leaves the rest to the next run


class LifecycleIndex:
    def __init__(self, settings: Settings) -> None:
        self._tables = RegionalTables(settings)
        self._data_centers = list(settings.served_data_centers)

    def due(self, now: datetime) -> list[int]:
        """License ids with something due, oldest due first within each shard."""
        found: list[int] = []
        for center in self._data_centers:
            db, table = self._tables.locate(center)
            for shard in keys.lifecycle_shards():
                found += self._query(db, table, shard, now, MAX_PER_RUN - len(found))
                if len(found) >= MAX_PER_RUN:
                    return found
        return found

    @staticmethod
    def _query(db: Any, table: str, shard: str, now: datetime, limit: int) -> list[int]:
        request: dict[str, Any] = {
            "TableName": table,
            "IndexName": LIFECYCLE_INDEX,
            "KeyConditionExpression": "lifecycle_shard = :shard AND lifecycle_due <= :now",
            "ExpressionAttributeValues": to_values({":shard": shard, ":now": keys.outbox_due(now)}),
            "Limit": min(limit, 100),
        }
        ids: list[int] = []
        while len(ids) < limit:
            response = db.query(**request)
            ids += [from_item(i)["license_id"] for i in response.get("Items", [])]
            if "LastEvaluatedKey" not in response:
                break
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        return ids[:limit]
