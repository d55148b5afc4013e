"""A partner's withdrawals and what they took, in the home region's partners table:

PARTNER#<pid> / BALANCE          withdrawn_cents (requested or paid, not rejected), the
                                 last withdrawal's number, and a version every change moves
"""

from __future__ import annotations

from partnerapp.settings import Settings
from partnerapp.store import clients, keys
from partnerapp.store.codec import from_item


class WithdrawalStore:
    def __init__(self, settings: Settings) -> None:
        self._table = settings.partners_table
        self._db = clients.dynamodb(settings.home_region)

    def withdrawn_cents(self, partner_id: str) -> int:
        found = self._db.get_item(
            TableName=self._table,
            Key={"pk": {"S": keys.partner_pk(partner_id)}, "sk": {"S": keys.BALANCE_SK}},
            ConsistentRead=True,
        )
        return int(from_item(found["Item"]).get("withdrawn_cents", 0)) if "Item" in found else 0
