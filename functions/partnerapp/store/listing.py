"""A partner's licenses across both data regions, newest first, with a stable cursor.

Each page is one Query per region on the `by_partner` (or `by_status`) index, `limit` items
each; the two are merged by creation time and the first `limit` kept. A whole listing (`all`)
reads each region's Query through once and merges the two streams. The cursor remembers,
per region, the key of the last item handed out, so the next page starts right after it:
nothing is skipped or repeated, whatever is created meanwhile.
"""

from __future__ import annotations

import base64
import binascii
import heapq
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from partnerapp.domain.licenses import License
from partnerapp.settings import Settings
from partnerapp.store import keys, records
from partnerapp.store.codec import from_item, to_values
from partnerapp.store.licenses import RegionalTables

DONE = "done"


class BadCursor(ValueError):
    """The cursor was not issued for this partner and these filters."""


@dataclass(frozen=True)
class ListFilter:
    partner_id: str
    status: str | None = None
    created_from: str | None = None  # sort-key bounds, YYYYmmddTHHMMSS
    created_to: str | None = None
    organization_id: str | None = None  # an organization is always the partner's own (checked first)
    # No index has the product in its key: a filter on the same Query (the page may come back
    # shorter than `limit`, never with fewer Queries or a Scan).
    product: str | None = None

    @property
    def index(self) -> tuple[str, str, str, str]:
        """(index name, partition attribute, sort attribute, partition value)."""
        if self.organization_id:
            return "by_organization", "by_org_pk", "by_org_sk", keys.org_pk(self.organization_id)
        if self.status:
            return (
                "by_status",
                "by_status_pk",
                "by_status_sk",
                keys.by_status_pk(self.partner_id, self.status),
            )
        return "by_partner", "by_partner_pk", "by_partner_sk", keys.partner_pk(self.partner_id)

    def fingerprint(self) -> str:
        return (
            f"{self.partner_id}|{self.status}|{self.created_from}|{self.created_to}|{self.organization_id}"
            f"|{self.product}"
        )


@dataclass(frozen=True)
class Page:
    licenses: list[License]
    next_cursor: str | None


class LicenseListing:
    def __init__(self, settings: Settings) -> None:
        self._tables = RegionalTables(settings)

    def page(self, where: ListFilter, limit: int, cursor: str | None) -> Page:
        positions = self._decode(cursor, where) if cursor else dict.fromkeys(self._tables.data_centers)
        fetched: dict[str, tuple[list[dict[str, Any]], dict[str, Any] | None]] = {}
        for center, position in positions.items():
            if position != DONE:
                fetched[center] = self._query(where, center, limit, position)
        candidates = [(item, center) for center, (items, _) in fetched.items() for item in items]
        candidates.sort(key=lambda pair: pair[0][where.index[2]], reverse=True)
        taken = candidates[:limit]
        for center, (items, last_evaluated) in fetched.items():
            mine = [item for item, where_from in taken if where_from == center]
            if len(mine) < len(items):
                positions[center] = self._key_of(mine[-1], where) if mine else positions[center]
            else:
                # Everything this region returned was used: go on where its Query stopped, which
                # is past any items a product filter left out (so a page never stalls on them).
                positions[center] = last_evaluated or DONE
        licenses = [records.license_from_values(item) for item, _ in taken]
        finished = all(p == DONE for p in positions.values())
        return Page(licenses, None if finished else self._encode(positions, where))

    def all(self, where: ListFilter) -> Iterator[License]:
        """Every license matching `where`, newest first (a whole-window list, a CSV export):
        each region's Query read through once, page after page, and the two merged by
        creation time, so each license is read once whatever the partner's size."""
        _, _, sk_name, _ = where.index
        streams = [self._stream(where, center) for center in self._tables.data_centers]
        for item in heapq.merge(*streams, key=lambda values: values[sk_name], reverse=True):
            yield records.license_from_values(item)

    def _stream(self, where: ListFilter, center: str) -> Iterator[dict[str, Any]]:
        db, table = self._tables.locate(center)
        request = self._request(where, table, None)
        while True:
            response = db.query(**request)
            yield from (from_item(i) for i in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def _query(
        self, where: ListFilter, center: str, limit: int, start: dict[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """The items of one Query and where it stopped (None: nothing more in this region)."""
        db, table = self._tables.locate(center)
        request = self._request(where, table, start)
        request["Limit"] = limit
        response = db.query(**request)
        stopped = response.get("LastEvaluatedKey")
        return [from_item(i) for i in response.get("Items", [])], from_item(stopped) if stopped else None

    @staticmethod
    def _request(where: ListFilter, table: str, start: dict[str, Any] | None) -> dict[str, Any]:
        index, pk_name, sk_name, pk_value = where.index
        condition = f"{pk_name} = :pk"
        values: dict[str, Any] = {":pk": pk_value}
        if where.created_from or where.created_to:
            condition += f" AND {sk_name} BETWEEN :low AND :high"
            values[":low"] = where.created_from or "0"
            values[":high"] = f"{where.created_to}#~" if where.created_to else "~"
        if where.product:
            values[":product"] = where.product
        request: dict[str, Any] = {
            "TableName": table,
            "IndexName": index,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": to_values(values),
            "ScanIndexForward": False,
        }
        if where.product:
            request["FilterExpression"] = "#product = :product"
            request["ExpressionAttributeNames"] = {"#product": "product"}
        if start:
            request["ExclusiveStartKey"] = to_values(start)
        return request

    @staticmethod
    def _key_of(item: dict[str, Any], where: ListFilter) -> dict[str, Any]:
        _, pk_name, sk_name, _ = where.index
        return {name: item[name] for name in ("pk", "sk", pk_name, sk_name)}

    @staticmethod
    def _encode(positions: dict[str, Any], where: ListFilter) -> str:
        payload = json.dumps({"f": where.fingerprint(), "p": positions}, separators=(",", ":"))
        return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")

    def _decode(self, cursor: str, where: ListFilter) -> dict[str, Any]:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
            positions = payload["p"]
            valid = payload["f"] == where.fingerprint() and set(positions) == set(self._tables.data_centers)
        except (ValueError, KeyError, TypeError, binascii.Error):
            valid = False
        if not valid:
            raise BadCursor("next_cursor does not belong to this listing")
        _, pk_name, _, pk_value = where.index
        for position in positions.values():  # a cursor can only point into this partner's index
            if position is not None and position != DONE and position.get(pk_name) != pk_value:
                raise BadCursor("next_cursor does not belong to this listing")
        return dict(positions)
