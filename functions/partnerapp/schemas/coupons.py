"""Coupons on the wire: the Text API's "Get Coupons", `{result: [{id, label}]}`."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from partnerapp.domain.coupons import Coupon


class CouponSchema(Schema):
    id = fields.Integer(
        attribute="coupon_id", required=True, metadata={"description": "Give it as `coupon_id` on a create."}
    )
    label = fields.String(required=True, metadata={"description": "What the coupon gives, in words."})


class CouponListSchema(Schema):
    result = fields.List(fields.Nested(CouponSchema), required=True)


def dump_coupons(coupons: list[Coupon]) -> dict[str, Any]:
    dumped: dict[str, Any] = CouponListSchema().dump({"result": coupons})
    return dumped
