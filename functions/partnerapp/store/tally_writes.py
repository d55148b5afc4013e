"""The writes that move a partner's kept counts (domain/tallies.py) with a license's change:
entries for the change's own transaction, in the license's regional table (see
store/tallies.py for the items and why they are sharded)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from partnerapp.domain import tallies
from partnerapp.domain.licenses import License
from partnerapp.store.codec import to_values

SHARDS = 2
ENTITY = "tally"


def tally_pk(partner_id: str) -> str:
    return f"TALLY#{partner_id}"


def shard_of(license_id: int) -> int:
    # The last digit names the region, so shard on the random part before it.
    return (license_id // 10) % SHARDS


def updates(table: str, partner_id: str, license_id: int, moved: tallies.Counts) -> list[dict[str, Any]]:
    """The transaction entries that move the counts by `moved` (tallies.delta)."""
    shard = shard_of(license_id)
    return [_add(table, partner_id, f"{bucket}#{shard}", names) for bucket, names in sorted(moved.items())]


def _add(table: str, partner_id: str, sk: str, names: Counter[str]) -> dict[str, Any]:
    ordered = sorted(names.items())
    additions = ", ".join(f"#n{i} :v{i}" for i in range(len(ordered)))
    values: dict[str, Any] = {f":v{i}": change for i, (_, change) in enumerate(ordered)}
    values.update({":entity": ENTITY, ":partner": partner_id})
    return {
        "Update": {
            "TableName": table,
            "Key": {"pk": {"S": tally_pk(partner_id)}, "sk": {"S": sk}},
            "UpdateExpression": f"SET entity = :entity, partner_id = :partner ADD {additions}",
            "ExpressionAttributeNames": {f"#n{i}": name for i, (name, _) in enumerate(ordered)},
            "ExpressionAttributeValues": to_values(values),
        }
    }


def change_writes(table: str, before: License | None, after: License) -> list[dict[str, Any]]:
    return updates(table, after.partner_id, after.license_id, tallies.delta(before, after))
