"""A partner's coupons: PARTNER#<pid> / COUPON#<n> in the home region's partners table,
numbered 1, 2, ... per partner. A create takes the next number with a conditional put that
recognises its own earlier attempt (store/writes.py), so an SDK retry makes one coupon."""

from __future__ import annotations

from datetime import date
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain.coupons import Coupon
from partnerapp.settings import Settings
from partnerapp.store import clients, keys, writes
from partnerapp.store.codec import from_item, to_item, to_values
from partnerapp.store.errors import is_condition_failure

NUMBER_ATTEMPTS = 5


class CouponStore:
    def __init__(self, settings: Settings) -> None:
        self._table = settings.partners_table
        self._db = clients.dynamodb(settings.home_region)

    def create(
        self, partner_id: str, label: str, discount: int, until: date, products: tuple[str, ...]
    ) -> Coupon:
        for _ in range(NUMBER_ATTEMPTS):
            coupon = Coupon(self._last_number(partner_id) + 1, label, discount, until, products)
            if self._put_new(partner_id, coupon):
                return coupon
        raise RuntimeError("Coupon numbers kept being taken by other creates; try again.")

    def get(self, partner_id: str, coupon_id: int) -> Coupon | None:
        key = {"pk": keys.partner_pk(partner_id), "sk": keys.coupon_sk(coupon_id)}
        found = self._db.get_item(TableName=self._table, Key=to_item(key), ConsistentRead=True)
        return _coupon(from_item(found["Item"])) if "Item" in found else None

    def listed(self, partner_id: str) -> list[Coupon]:
        """Every coupon of the partner, oldest first (a partner has a handful)."""
        items: list[Coupon] = []
        query = self._query(partner_id)
        while True:
            page = self._db.query(**query)
            items += [_coupon(from_item(item)) for item in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return items
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _put_new(self, partner_id: str, coupon: Coupon) -> bool:
        writer = writes.new_writer()
        item = {
            "pk": keys.partner_pk(partner_id),
            "sk": keys.coupon_sk(coupon.coupon_id),
            "entity": "coupon",
            "coupon_id": coupon.coupon_id,
            "label": coupon.label,
            "discount_percent": coupon.discount_percent,
            "valid_until": coupon.valid_until.isoformat(),
            "products": list(coupon.products),
            writes.WRITER: writer,
        }
        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_item(item),
                ConditionExpression=writes.mine("attribute_not_exists(pk)"),
                ExpressionAttributeValues=to_values({writes.WRITER_VALUE: writer}),
            )
            return True
        except ClientError as error:
            if is_condition_failure(error):
                return False  # another create took this number: the next one is tried
            raise

    def _last_number(self, partner_id: str) -> int:
        query = {**self._query(partner_id), "ScanIndexForward": False, "Limit": 1}
        items = self._db.query(**query)["Items"]
        return int(from_item(items[0])["coupon_id"]) if items else 0

    def _query(self, partner_id: str) -> dict[str, Any]:
        return {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": to_values(
                {":pk": keys.partner_pk(partner_id), ":prefix": keys.COUPON_PREFIX}
            ),
            "ConsistentRead": True,
        }


def _coupon(values: dict[str, Any]) -> Coupon:
    return Coupon(
        coupon_id=int(values["coupon_id"]),
        label=values["label"],
        discount_percent=int(values["discount_percent"]),
        valid_until=date.fromisoformat(values["valid_until"]),
        products=tuple(values["products"]),
    )
