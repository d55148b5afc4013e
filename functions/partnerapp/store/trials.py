"""Trials started and conversions per month, for the chart on a partner's licenses page.

Per data region, one Query on `by_partner` (licenses created in the window) and one on the
sparse `conversions` index (licenses converted in the window), each returning only its sort
key, which starts with the time. What is read is bounded by the months asked for, never by
the partner's total; only times and counts leave the region, nothing about a customer.

Why not a Select=COUNT Query per month: DynamoDB charges a Query for the index items it
reads, counted or returned alike, and at least one read unit per request; twelve COUNTs per
region read the same items in twelve times the requests and round trips.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from partnerapp.settings import Settings
from partnerapp.store import keys
from partnerapp.store.codec import from_item, to_values
from partnerapp.store.licenses import RegionalTables

# (index, partition attribute, sort attribute)
_CREATED = ("by_partner", "by_partner_pk", "by_partner_sk")
_CONVERTED = ("conversions", "conv_pk", "conv_sk")


@dataclass(frozen=True)
class MonthlyCounts:
    trials: Counter[str]  # by YYYY-MM: licenses created (every license starts as a trial)
    conversions: Counter[str]  # by YYYY-MM: licenses converted, whenever their trial started


class TrialCounts:
    def __init__(self, settings: Settings) -> None:
        self._tables = RegionalTables(settings)

    def per_month(self, partner_id: str, first: str, last: str) -> MonthlyCounts:
        """The partner's counts from month `first` to month `last` (YYYY-MM, both included)."""
        counts = MonthlyCounts(Counter(), Counter())
        for center in self._tables.data_centers:
            db, table = self._tables.locate(center)
            counts.trials.update(_months(db, _request(table, _CREATED, partner_id, first, last)))
            counts.conversions.update(_months(db, _request(table, _CONVERTED, partner_id, first, last)))
        return counts


def _request(
    table: str, index: tuple[str, str, str], partner_id: str, first: str, last: str
) -> dict[str, Any]:
    name, pk_name, sk_name = index
    low, high = keys.months_between(first, last)
    values = {":pk": keys.partner_pk(partner_id), ":low": low, ":high": high}
    return {
        "TableName": table,
        "IndexName": name,
        "KeyConditionExpression": f"{pk_name} = :pk AND {sk_name} BETWEEN :low AND :high",
        "ExpressionAttributeValues": to_values(values),
        "ProjectionExpression": sk_name,  # the time is all a month needs
    }


def _months(db: Any, request: dict[str, Any]) -> Iterator[str]:
    """The month of every item the Query finds, page after page (1 MB each)."""
    sk_name = request["ProjectionExpression"]
    while True:
        response = db.query(**request)
        for item in response.get("Items", []):
            yield keys.month_of(from_item(item)[sk_name])
        if "LastEvaluatedKey" not in response:
            return
        request = {**request, "ExclusiveStartKey": response["LastEvaluatedKey"]}
