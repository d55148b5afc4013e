"""A partner's payout details: one item beside the profile in the home region's partners
table (PARTNER#<pid> / PAYOUT). A put replaces them whole, unconditionally, so the SDK's
repeat of a put whose answer was lost writes the same item again."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from partnerapp.domain.payouts import PayoutDetails
from partnerapp.settings import Settings
from partnerapp.store import clients, keys
from partnerapp.store.codec import from_item, to_item


class PayoutStore:
    def __init__(self, settings: Settings) -> None:
        self._table = settings.partners_table
        self._db = clients.dynamodb(settings.home_region)

    def put(self, partner_id: str, details: PayoutDetails) -> None:
        item = {**self._key(partner_id), "entity": "payout", **asdict(details)}
        self._db.put_item(TableName=self._table, Item=to_item(item))

    def get(self, partner_id: str) -> PayoutDetails | None:
        key = to_item(self._key(partner_id))
        found = self._db.get_item(TableName=self._table, Key=key, ConsistentRead=True)
        if "Item" not in found:
            return None
        values = from_item(found["Item"])
        names = PayoutDetails.__dataclass_fields__
        return PayoutDetails(**{name: values[name] for name in names if name in values})

    @staticmethod
    def _key(partner_id: str) -> dict[str, Any]:
        return {"pk": keys.partner_pk(partner_id), "sk": keys.PAYOUT_SK}
