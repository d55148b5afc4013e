"""A partner's earnings records (invoice savings and payment commissions) over a period: one
Query per data region on the sparse `earnings` index, never a read of every license."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from partnerapp.domain.earnings import EarningRecord
from partnerapp.settings import Settings
from partnerapp.store import keys, records
from partnerapp.store.codec import from_item, to_values
from partnerapp.store.licenses import RegionalTables

EARNINGS_INDEX = "earnings"


class EarningsLedger:
    def __init__(self, settings: Settings) -> None:
        self._tables = RegionalTables(settings)

    def records(self, partner_id: str, start: datetime, end: datetime) -> list[EarningRecord]:
        """Every record dated from `start` to `end` (both included, to the second)."""
        found: list[EarningRecord] = []
        for center in self._tables.data_centers:
            found += self.records_in(center, partner_id, start, end)
        return found

    def records_in(
        self, data_center: str, partner_id: str, start: datetime, end: datetime
    ) -> list[EarningRecord]:
        """`records`, of one data region only."""
        db, table = self._tables.locate(data_center)
        return self._query(db, table, partner_id, start, end)

    @staticmethod
    def _query(db: Any, table: str, partner_id: str, start: datetime, end: datetime) -> list[EarningRecord]:
        # Sort keys are "<YYYYmmddTHHMMSS>#...": "~" sorts after "#", so `end`'s second is included.
        request: dict[str, Any] = {
            "TableName": table,
            "IndexName": EARNINGS_INDEX,
            "KeyConditionExpression": "earn_pk = :pk AND earn_sk BETWEEN :start AND :end",
            "ExpressionAttributeValues": to_values(
                {
                    ":pk": keys.partner_pk(partner_id),
                    ":start": start.strftime("%Y%m%dT%H%M%S"),
                    ":end": end.strftime("%Y%m%dT%H%M%S") + "~",
                }
            ),
        }
        found: list[EarningRecord] = []
        while True:
            response = db.query(**request)
            found += [records.earning_from_values(from_item(i)) for i in response.get("Items", [])]
            if "LastEvaluatedKey" not in response:
                return found
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
