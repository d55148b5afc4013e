"""Which of a partner's licenses converted in a window: the sparse, keys-only `conversions`
index of each regional table (partner, conversion time), read only over the window. Ids
alone leave the region, nothing about a customer."""

from __future__ import annotations

from datetime import datetime, timedelta

from partnerapp.settings import Settings
from partnerapp.store import keys
from partnerapp.store.codec import from_item, to_values
from partnerapp.store.licenses import RegionalTables


class Conversions:
    def __init__(self, settings: Settings) -> None:
        self._tables = RegionalTables(settings)

    def between(self, partner_id: str, start: datetime, end: datetime) -> list[int]:
        """License ids converted at or after `start` and before `end`, oldest first."""
        low = keys.conversion_sk(start, 0)[:15]
        high = keys.conversion_sk(end - timedelta(seconds=1), 0)[:15] + "#~"
        found: list[str] = []
        for center in self._tables.data_centers:
            db, table = self._tables.locate(center)
            request = {
                "TableName": table,
                "IndexName": "conversions",
                "KeyConditionExpression": "conv_pk = :pk AND conv_sk BETWEEN :low AND :high",
                "ExpressionAttributeValues": to_values(
                    {":pk": keys.partner_pk(partner_id), ":low": low, ":high": high}
                ),
                "ProjectionExpression": "conv_sk",
            }
            while True:
                response = db.query(**request)
                found += [from_item(i)["conv_sk"] for i in response.get("Items", [])]
                if "LastEvaluatedKey" not in response:
                    break
                request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        return [int(sk.rpartition("#")[2]) for sk in sorted(found)]
