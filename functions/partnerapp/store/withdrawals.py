"""A partner's withdrawals and what they took, in the home region's partners table:

  PARTNER#<pid> / BALANCE              withdrawn_cents (requested or paid, not rejected), the
                                       last withdrawal's number, a version every change moves
  PARTNER#<pid> / WITHDRAWAL#<nnnnnnnn>  one withdrawal; numbers grow with time, so the
                                       partition read backwards is newest first

A request is one transaction: the balance item moves (conditional on the version read) and
the withdrawal and its email are put (conditional on not existing). Two requests at once
read one version; the second's condition fails and it reads again, finding nothing left.
A retry whose answer was lost keeps the transaction's ClientRequestToken (store/writes.py):
DynamoDB answers it as the first attempt, so it is never a second withdrawal nor a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from partnerapp.domain.timestamps import from_wire, to_wire
from partnerapp.domain.withdrawals import PENDING, REJECTED, Withdrawal
from partnerapp.settings import Settings
from partnerapp.store import clients, keys
from partnerapp.store.codec import from_item, to_item, to_values
from partnerapp.store.writes import transact_or


class BalanceChanged(Exception):
    """The balance item moved since it was read (another request); read again."""


@dataclass(frozen=True)
class Withdrawn:
    withdrawn_cents: int = 0
    last_number: int = 0
    version: int = 0  # 0: no balance item yet


def _values(partner_id: str, withdrawal: Withdrawal) -> dict[str, Any]:
    return {
        "pk": keys.partner_pk(partner_id),
        "sk": keys.withdrawal_sk(withdrawal.withdrawal_id),
        "entity": "withdrawal",
        "withdrawal_id": withdrawal.withdrawal_id,
        "requested_at": to_wire(withdrawal.requested_at),
        "amount_cents": withdrawal.amount_cents,
        "paypal": withdrawal.paypal,
        "invoice_id": withdrawal.invoice_id,
        "status": withdrawal.status,
        "action_at": to_wire(withdrawal.action_at) if withdrawal.action_at else None,
    }


def _withdrawal(values: dict[str, Any]) -> Withdrawal:
    action_at = values.get("action_at")
    return Withdrawal(
        withdrawal_id=values["withdrawal_id"],
        requested_at=from_wire(values["requested_at"]),
        amount_cents=values["amount_cents"],
        paypal=values["paypal"],
        invoice_id=values["invoice_id"],
        status=values["status"],
        action_at=from_wire(action_at) if action_at else None,
    )


class WithdrawalStore:
    def __init__(self, settings: Settings) -> None:
        self._table = settings.partners_table
        self._db = clients.dynamodb(settings.home_region)

    def withdrawn(self, partner_id: str) -> Withdrawn:
        found = self._db.get_item(
            TableName=self._table, Key=self._balance_key(partner_id), ConsistentRead=True
        )
        if "Item" not in found:
            return Withdrawn()
        values = from_item(found["Item"])
        return Withdrawn(values["withdrawn_cents"], values["last_number"], values["version"])

    def withdrawn_cents(self, partner_id: str) -> int:
        return self.withdrawn(partner_id).withdrawn_cents

    def request(self, partner_id: str, seen: Withdrawn, withdrawal: Withdrawal, mail: dict[str, Any]) -> None:
        """Take `withdrawal`'s amount from the balance as read (`seen`) and put it, with its
        email item, in one transaction; BalanceChanged when the balance moved meanwhile."""
        balance = self._balance_update(
            partner_id,
            "SET withdrawn_cents = :withdrawn, last_number = :number, version = :next, entity = :entity",
            "version = :seen" if seen.version else "attribute_not_exists(pk)",
            {
                ":withdrawn": seen.withdrawn_cents + withdrawal.amount_cents,
                ":number": withdrawal.withdrawal_id,
                ":next": seen.version + 1,
                ":entity": "balance",
                **({":seen": seen.version} if seen.version else {}),
            },
        )
        items = [balance, self._put_new(_values(partner_id, withdrawal)), self._put_new(mail)]
        transact_or(self._db, items, BalanceChanged)

    def decide(self, partner_id: str, before: Withdrawal, after: Withdrawal, mail: dict[str, Any]) -> None:
        """Record a pending withdrawal paid or rejected (a rejected one gives its amount
        back), with its email, in one transaction; BalanceChanged if it is not pending now."""
        decided_at = to_wire(after.action_at or after.requested_at)
        decided = {
            "Update": {
                "TableName": self._table,
                "Key": to_item(
                    {"pk": keys.partner_pk(partner_id), "sk": keys.withdrawal_sk(before.withdrawal_id)}
                ),
                "UpdateExpression": "SET #status = :status, action_at = :at",
                "ConditionExpression": "#status = :pending",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": to_values(
                    {":status": after.status, ":at": decided_at, ":pending": PENDING}
                ),
            }
        }
        items = [decided, self._put_new(mail)]
        if after.status == REJECTED:
            items.append(
                self._balance_update(
                    partner_id,
                    "SET version = version + :one ADD withdrawn_cents :back",
                    "attribute_exists(pk)",
                    {":one": 1, ":back": -before.amount_cents},
                )
            )
        transact_or(self._db, items, BalanceChanged)

    def get(self, partner_id: str, number: int) -> Withdrawal | None:
        key = to_item({"pk": keys.partner_pk(partner_id), "sk": keys.withdrawal_sk(number)})
        found = self._db.get_item(TableName=self._table, Key=key, ConsistentRead=True)
        return _withdrawal(from_item(found["Item"])) if "Item" in found else None

    def listed(self, partner_id: str, date_from: date | None, date_to: date | None) -> list[Withdrawal]:
        """Newest first, requested from `date_from` to `date_to` (days, both included). A
        partner asks for a withdrawal at most every few weeks: the partition is read whole
        and the window filtered, a cost that grows with the answer, not with licenses."""
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": to_values(
                {":pk": keys.partner_pk(partner_id), ":prefix": keys.WITHDRAWAL_PREFIX}
            ),
            "ScanIndexForward": False,
        }
        found: list[Withdrawal] = []
        while True:
            response = self._db.query(**request)
            found += [_withdrawal(from_item(i)) for i in response.get("Items", [])]
            if "LastEvaluatedKey" not in response:
                break
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        return [
            w
            for w in found
            if (date_from is None or w.requested_at.date() >= date_from)
            and (date_to is None or w.requested_at.date() <= date_to)
        ]

    def _balance_key(self, partner_id: str) -> dict[str, Any]:
        return to_item({"pk": keys.partner_pk(partner_id), "sk": keys.BALANCE_SK})

    def _balance_update(
        self, partner_id: str, expression: str, condition: str, values: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table,
                "Key": self._balance_key(partner_id),
                "UpdateExpression": expression,
                "ConditionExpression": condition,
                "ExpressionAttributeValues": to_values(values),
            }
        }

    def _put_new(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self._table,
                "Item": to_item(values),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
