"""Each partner's all-time commission, kept per data region in the licenses table of that
region, so that a payment and the total it moves are one transaction (the payment's own,
store/licenses.commit):

  EARNED#<partner id> / COMMISSION#<shard>    commission_cents, added to by each payment

Split in shards by license id like the tallies (store/tally_writes.py), so that a partner's
payments do not queue on one item; a read takes every shard of both regions: one Query per
region, never a payment record. The writes are in store/commission_writes.py.
"""

from __future__ import annotations

from partnerapp.settings import Settings
from partnerapp.store import keys
from partnerapp.store.codec import from_item, to_values
from partnerapp.store.licenses import RegionalTables


class CommissionTotals:
    def __init__(self, settings: Settings) -> None:
        self._tables = RegionalTables(settings)

    def total_cents(self, partner_id: str) -> int:
        return sum(sum(self.stored(partner_id, center).values()) for center in self._tables.data_centers)

    def stored(self, partner_id: str, data_center: str) -> dict[str, int]:
        """Each kept shard of the region, by its sort key: its commission in cents."""
        db, table = self._tables.locate(data_center)
        response = db.query(
            TableName=table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=to_values(
                {":pk": keys.earned_pk(partner_id), ":prefix": keys.COMMISSION_TOTAL_PREFIX}
            ),
            ConsistentRead=True,
        )
        return {i["sk"]: int(i.get("commission_cents", 0)) for i in map(from_item, response.get("Items", []))}
