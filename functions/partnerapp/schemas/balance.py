"""The balance on the wire: the Text API's "Get Balance", `{pending, withdrawn, available,
total}` in dollars; `total` is a string with two decimals, as the docs' example writes it."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from partnerapp.domain.balance import Balance
from partnerapp.domain.money import dollars_text
from partnerapp.schemas.fields import Dollars


class BalanceSchema(Schema):
    pending = Dollars(required=True)
    withdrawn = Dollars(required=True)
    available = Dollars(required=True)
    total = fields.String(required=True, metadata={"pattern": r"^\d+\.\d{2}$"})


def dump_balance(balance: Balance) -> dict[str, Any]:
    dumped: dict[str, Any] = BalanceSchema().dump(
        {
            "pending": balance.pending_cents,
            "withdrawn": balance.withdrawn_cents,
            "available": balance.available_cents,
            "total": dollars_text(balance.total_cents),
        }
    )
    return dumped
