"""The kept counts of each partner's licenses (domain/tallies.py), per data region, in the
licenses table of that region, so that a license's change and the counts it moves are one
transaction:

  TALLY#<partner id> / <family>#<level>#<period>#<shard>   counts per slot of one period
  TALLY#<partner id> / T#<shard>                           the totals

Each bucket is split in SHARDS items by license id. Every create of a month updates that
month's item (and its day's, hour's and minute's): throughput is far from a partition's limit
(`make bench` measures the busiest item), but two transactions on one item at once cancel one
of them, which `store.writes.transact` sends again. Two shards halve how often that happens;
more would multiply the items each read returns (a year's window reads its month items of
every shard), which the bench holds to twice the items of a 50-license partner.

Reads are one Query per region for a window's month items and one BatchGetItem per region
for its edges' finer items and the totals: never a license.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any

from partnerapp.domain import tallies
from partnerapp.settings import Settings
from partnerapp.store.codec import from_item, to_values
from partnerapp.store.licenses import RegionalTables
from partnerapp.store.tally_writes import SHARDS, tally_pk

_BATCH_GET_KEYS = 100  # BatchGetItem's limit per call

DayCounts = Counter[tuple[date, str, str]]  # (day, product, status) -> count


class TallyReader:
    """The partner's counts over both regions, from the kept items only."""

    def __init__(self, settings: Settings) -> None:
        self._tables = RegionalTables(settings)

    def totals(self, partner_id: str) -> Counter[str]:
        found: Counter[str] = Counter()
        for center in self._tables.data_centers:
            for item in self._get(center, partner_id, [tallies.TOTALS]):
                found.update(_counts(item))
        return found

    def per_day(self, partner_id: str, family: str, start: datetime, end: datetime) -> DayCounts:
        """(day, product, status) counts of family `family` in the seconds from `start` to
        `end`, both included."""
        plan = tallies.cover(start, end)
        counts: DayCounts = Counter()
        for center in self._tables.data_centers:
            if plan.days is not None and plan.first_month and plan.last_month:
                months = (plan.first_month, plan.last_month)
                counts.update(self._whole_days(center, partner_id, family, months, plan.days))
            counts.update(self._edges(center, partner_id, family, plan.pieces))
        return counts

    def stored_items(self, partner_id: str, center: str) -> list[dict[str, Any]]:
        """Every kept item of a partner in one region, each shard apart (for a rebuild)."""
        db, table = self._tables.locate(center)
        return _query_all(db, _partition_request(table, partner_id))

    def stored(self, partner_id: str, center: str) -> tallies.Counts:
        """Every kept count of a partner in one region, shards added up (for verify)."""
        found: tallies.Counts = defaultdict(Counter)
        for item in self.stored_items(partner_id, center):
            bucket = item["sk"].rpartition("#")[0]
            found[bucket].update(_counts(item))
        return {bucket: Counter({k: v for k, v in names.items() if v}) for bucket, names in found.items()}

    def _whole_days(
        self, center: str, partner_id: str, family: str, months: tuple[str, str], days: tuple[date, date]
    ) -> DayCounts:
        """The whole days' counts, from the month items of the months that hold them."""
        db, table = self._tables.locate(center)
        request = _partition_request(table, partner_id)
        low = f"{family}#{tallies.MONTH_LEVEL}#{months[0]}"
        high = f"{family}#{tallies.MONTH_LEVEL}#{months[1]}#~"
        request["KeyConditionExpression"] += " AND sk BETWEEN :low AND :high"
        request["ExpressionAttributeValues"].update(to_values({":low": low, ":high": high}))
        counts: DayCounts = Counter()
        first, last = days
        for item in _query_all(db, request):
            month = item["sk"].split("#")[2]
            for slot, product, status, count in _slots(item):
                day = date(int(month[:4]), int(month[4:6]), int(slot))
                if first <= day <= last:
                    counts[(day, product, status)] += count
        return counts

    def _edges(
        self, center: str, partner_id: str, family: str, pieces: tuple[tallies.Piece, ...]
    ) -> DayCounts:
        wanted: dict[str, list[tallies.Piece]] = defaultdict(list)
        for piece in pieces:
            wanted[f"{family}#{piece.level}#{piece.period}"].append(piece)
        counts: DayCounts = Counter()
        for item in self._get(center, partner_id, list(wanted)):
            for piece in wanted[item["sk"].rpartition("#")[0]]:
                day = tallies.day_of(piece.period)
                for slot, product, status, count in _slots(item):
                    if piece.first <= slot <= piece.last:
                        counts[(day, product, status)] += count
        return counts

    def _get(self, center: str, partner_id: str, buckets: list[str]) -> list[dict[str, Any]]:
        """Every shard of `buckets`, in as few BatchGetItem calls as their number allows."""
        if not buckets:
            return []
        db, table = self._tables.locate(center)
        pk = tally_pk(partner_id)
        sort_keys = [f"{bucket}#{shard}" for bucket in buckets for shard in range(SHARDS)]
        wanted = [{"pk": {"S": pk}, "sk": {"S": sk}} for sk in sort_keys]
        found: list[dict[str, Any]] = []
        for start in range(0, len(wanted), _BATCH_GET_KEYS):
            found += _batch_get(db, table, wanted[start : start + _BATCH_GET_KEYS])
        return found


def _batch_get(db: Any, table: str, wanted: list[dict[str, Any]]) -> list[dict[str, Any]]:
    request: dict[str, Any] = {table: {"Keys": wanted, "ConsistentRead": True}}
    found: list[dict[str, Any]] = []
    while request:
        response = db.batch_get_item(RequestItems=request)
        found += [from_item(i) for i in response.get("Responses", {}).get(table, [])]
        request = response.get("UnprocessedKeys") or {}
    return found


def _partition_request(table: str, partner_id: str) -> dict[str, Any]:
    return {
        "TableName": table,
        "KeyConditionExpression": "pk = :pk",
        "ExpressionAttributeValues": to_values({":pk": tally_pk(partner_id)}),
        "ConsistentRead": True,
    }


def _query_all(db: Any, request: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        response = db.query(**request)
        found += [from_item(i) for i in response.get("Items", [])]
        if "LastEvaluatedKey" not in response:
            return found
        request = {**request, "ExclusiveStartKey": response["LastEvaluatedKey"]}


_NOT_COUNTS = ("pk", "sk", "entity", "partner_id")


def _counts(item: dict[str, Any]) -> Counter[str]:
    return Counter({k: int(v) for k, v in item.items() if k not in _NOT_COUNTS})


def _slots(item: dict[str, Any]) -> list[tuple[str, str, str, int]]:
    """(slot, product, status, count) of a time bucket's item."""
    found = []
    for name, count in _counts(item).items():
        slot, product, status = name.split("#")
        found.append((slot, product, status, count))
    return found
