"""The customer names of some of a partner's licenses, for a table that lists licenses by number
(the earnings page): the name only, read in BatchGetItem calls of up to 100 licenses per
region, never a Query per license."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from partnerapp import catalog
from partnerapp.settings import Settings
from partnerapp.store import keys
from partnerapp.store.licenses import RegionalTables

_BATCH_GET_KEYS = 100  # BatchGetItem's limit per call
_NAMES = {"#pk": "pk", "#partner": "partner_id", "#name": "client_name"}


def customer_names(settings: Settings, partner_id: str, license_ids: list[int]) -> dict[int, str]:
    """`{license id: customer name}` of those of `license_ids` that are this partner's."""
    tables = RegionalTables(settings)
    by_center: dict[str, list[int]] = defaultdict(list)  # the table names may be alike
    for license_id in license_ids:
        center = catalog.data_center_of_license(license_id)
        if center is not None and center.code in tables.data_centers:
            by_center[center.code].append(license_id)
    names: dict[int, str] = {}
    for center_code, ids in by_center.items():
        db, table = tables.locate(center_code)
        for start in range(0, len(ids), _BATCH_GET_KEYS):
            for item in _read(db, table, ids[start : start + _BATCH_GET_KEYS]):
                if item["partner_id"]["S"] == partner_id:
                    names[int(item["pk"]["S"].rpartition("#")[2])] = item["client_name"]["S"]
    return names


def _read(db: Any, table: str, license_ids: list[int]) -> list[dict[str, Any]]:
    wanted = [{"pk": {"S": keys.license_pk(n)}, "sk": {"S": keys.LICENSE_SK}} for n in license_ids]
    request: dict[str, Any] = {
        table: {"Keys": wanted, "ProjectionExpression": ", ".join(_NAMES), "ExpressionAttributeNames": _NAMES}
    }
    found: list[dict[str, Any]] = []
    while request:  # what DynamoDB leaves unprocessed is asked for again
        response = db.batch_get_item(RequestItems=request)
        found += response["Responses"].get(table, [])
        request = response.get("UnprocessedKeys") or {}
    return found
