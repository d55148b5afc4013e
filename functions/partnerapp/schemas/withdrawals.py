"""Withdrawals on the wire: the Text API's "Request Withdrawal" and "Get Withdrawals"."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validates_schema

from partnerapp.domain.timestamps import to_wire
from partnerapp.domain.withdrawals import STATUSES, Withdrawal
from partnerapp.schemas.fields import Dollars, WireTime


class WithdrawalsQuerySchema(Schema):
    """`date_from`, `date_to` (`YYYY-MM-DD`, both included, both optional), as documented."""

    date_from = fields.Date(format="%Y-%m-%d", metadata={"description": "Requested on or after this day."})
    date_to = fields.Date(format="%Y-%m-%d", metadata={"description": "Requested on or before this day."})

    @validates_schema
    def period_is_sensible(self, data: dict[str, Any], **_: Any) -> None:
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError({"date_from": ["Must be on or before date_to."]})


class WithdrawalSchema(Schema):
    """The docs' keys: `amount` in dollars, `action_timestamp` "" until paid or rejected."""

    withdrawal_id = fields.Integer(required=True)
    request_timestamp = WireTime(required=True)
    action_timestamp = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    amount = Dollars(required=True)
    invoice_id = fields.String(required=True)
    paypal = fields.String(required=True)


class WithdrawalListSchema(Schema):
    result = fields.List(fields.Nested(WithdrawalSchema), required=True)


def _values(withdrawal: Withdrawal) -> dict[str, Any]:
    return {
        "withdrawal_id": withdrawal.withdrawal_id,
        "request_timestamp": withdrawal.requested_at,
        "action_timestamp": to_wire(withdrawal.action_at) if withdrawal.action_at else "",
        "status": withdrawal.status,
        "amount": withdrawal.amount_cents,
        "invoice_id": withdrawal.invoice_id,
        "paypal": withdrawal.paypal,
    }


def dump_withdrawal(withdrawal: Withdrawal) -> dict[str, Any]:
    dumped: dict[str, Any] = WithdrawalSchema().dump(_values(withdrawal))
    return dumped


def dump_withdrawals(found: list[Withdrawal]) -> dict[str, Any]:
    dumped: dict[str, Any] = WithdrawalListSchema().dump({"result": [_values(w) for w in found]})
    return dumped
