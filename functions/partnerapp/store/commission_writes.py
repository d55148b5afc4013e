"""The write that adds a payment's commission to the partner's kept total (read by
store/commission_totals.py), for the payment's own transaction."""

from __future__ import annotations

from typing import Any

from partnerapp.domain.licenses import License
from partnerapp.domain.payments import Payment
from partnerapp.store import keys
from partnerapp.store.codec import to_values
from partnerapp.store.tally_writes import shard_of

ENTITY = "commission_total"


def payment_writes(table: str, item: License, payments: list[Payment]) -> list[dict[str, Any]]:
    """The transaction entry that adds `payments`' commission to the partner's kept total."""
    cents = sum(payment.commission_cents for payment in payments)
    if not cents:
        return []
    return [
        {
            "Update": {
                "TableName": table,
                "Key": {
                    "pk": {"S": keys.earned_pk(item.partner_id)},
                    "sk": {"S": keys.commission_total_sk(shard_of(item.license_id))},
                },
                "UpdateExpression": "SET entity = :entity ADD commission_cents :cents",
                "ExpressionAttributeValues": to_values({":entity": ENTITY, ":cents": cents}),
            }
        }
    ]
