"""Webhook endpoints and their delivery log, in the home region's partners table.

Deliveries hold the event's body (ids and enumerations only) and its status; while not
finished they are in the sparse `webhook_pending` index, keyed `<webhook id>#<order key>`, so
a Query per shard gives every endpoint's unfinished deliveries in the order of their events.

Conditional writes recognise their own earlier attempt (store/writes.py): the SDK's retry of
an endpoint or a delivery that was stored, or of a lease that was taken, succeeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain import webhooks
from partnerapp.domain.timestamps import from_wire, to_wire
from partnerapp.domain.webhooks import Delivery, Webhook
from partnerapp.settings import Settings
from partnerapp.store import clients, keys, writes
from partnerapp.store.codec import from_item, to_item, to_values
from partnerapp.store.errors import is_condition_failure

PENDING_INDEX = "webhook_pending"
LEASE = timedelta(seconds=60)
LOG_RETENTION = timedelta(days=30)


class WebhookRepository:
    def __init__(self, settings: Settings) -> None:
        self._table = settings.partners_table
        self._db = clients.dynamodb(settings.home_region)

    def add(self, webhook: Webhook, sealed_secret: str) -> None:
        values = {
            "pk": keys.partner_pk(webhook.partner_id),
            "sk": keys.webhook_sk(webhook.webhook_id),
            "entity": "webhook",
            "webhook_id": webhook.webhook_id,
            "url": webhook.url,
            "events": list(webhook.events),
            "created_at": to_wire(webhook.created_at),
            "secret": sealed_secret,
            writes.WRITER: writes.new_writer(),
        }
        self._db.put_item(
            TableName=self._table,
            Item=to_item(values),
            ConditionExpression=writes.mine("attribute_not_exists(pk)"),
            ExpressionAttributeValues=to_values({writes.WRITER_VALUE: values[writes.WRITER]}),
        )

    def of_partner(self, partner_id: str) -> list[Webhook]:
        response = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=to_values(
                {":pk": keys.partner_pk(partner_id), ":prefix": keys.WEBHOOK_PREFIX}
            ),
            ConsistentRead=True,
        )
        found = [_webhook(partner_id, from_item(i)) for i in response.get("Items", [])]
        return sorted(found, key=lambda w: (w.created_at, w.webhook_id))

    def get(self, partner_id: str, webhook_id: str) -> Webhook | None:
        values = self._get(partner_id, webhook_id)
        return _webhook(partner_id, values) if values else None

    def sealed_secret(self, partner_id: str, webhook_id: str) -> str | None:
        values = self._get(partner_id, webhook_id)
        return str(values["secret"]) if values else None

    def delete(self, partner_id: str, webhook_id: str) -> bool:
        """False when the partner has no such endpoint. Read, then an unconditional delete: a
        delete whose answer was lost and is retried finds nothing and is still a success
        (a conditional one would answer 404 for the endpoint it just deleted)."""
        if self._get(partner_id, webhook_id) is None:
            return False
        self._db.delete_item(
            TableName=self._table, Key=_key(keys.partner_pk(partner_id), keys.webhook_sk(webhook_id))
        )
        return True

    def _get(self, partner_id: str, webhook_id: str) -> dict[str, Any] | None:
        response = self._db.get_item(
            TableName=self._table,
            Key=_key(keys.partner_pk(partner_id), keys.webhook_sk(webhook_id)),
            ConsistentRead=True,
        )
        item = response.get("Item")
        return from_item(item) if item else None


@dataclass(frozen=True)
class PendingDelivery:
    delivery: Delivery
    partner_id: str
    body: bytes


class DeliveryLog:
    def __init__(self, settings: Settings) -> None:
        self._table = settings.partners_table
        self._db = clients.dynamodb(settings.home_region)

    def add(self, delivery: Delivery, partner_id: str, body: bytes) -> bool:
        """Record a delivery to make; False if it exists already (the event was handed on before)."""
        expires = int((delivery.created_at + LOG_RETENTION).timestamp())
        values = {
            **_delivery_values(delivery),
            "pk": keys.webhook_pk(delivery.webhook_id),
            "sk": keys.delivery_sk(delivery.order_key),
            "entity": "delivery",
            "partner_id": partner_id,
            "body": body.decode(),
            "pending_shard": keys.pending_shard(delivery.webhook_id),
            "pending_key": f"{delivery.webhook_id}#{delivery.order_key}",
            "expires_at": expires,
            writes.WRITER: writes.new_writer(),
        }
        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_item(values),
                ConditionExpression=writes.mine("attribute_not_exists(pk)"),
                ExpressionAttributeValues=to_values({writes.WRITER_VALUE: values[writes.WRITER]}),
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def pending(self) -> list[PendingDelivery]:
        """Unfinished deliveries, grouped by endpoint, each endpoint's in event order."""
        found: list[PendingDelivery] = []
        for shard in keys.pending_shards():
            request: dict[str, Any] = {
                "TableName": self._table,
                "IndexName": PENDING_INDEX,
                "KeyConditionExpression": "pending_shard = :shard",
                "ExpressionAttributeValues": to_values({":shard": shard}),
            }
            while True:
                response = self._db.query(**request)
                found += [_pending(from_item(i)) for i in response.get("Items", [])]
                if "LastEvaluatedKey" not in response:
                    break
                request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        return found

    def claim(self, item: PendingDelivery, now: datetime) -> PendingDelivery | None:
        """Take a due delivery for one attempt (a lease, so one sender at a time has it)."""
        try:
            response = self._update(
                item.delivery,
                f"SET lease_until = :lease, {writes.WRITER} = {writes.WRITER_VALUE}",
                writes.mine(
                    "#status = :pending AND next_attempt_at <= :now "
                    "AND (attribute_not_exists(lease_until) OR lease_until <= :now)"
                ),
                {
                    ":lease": to_wire(now + LEASE),
                    ":pending": webhooks.PENDING,
                    ":now": to_wire(now),
                    writes.WRITER_VALUE: writes.new_writer(),
                },
                return_values="ALL_NEW",
            )
        except ClientError as error:
            if is_condition_failure(error):
                return None
            raise
        return _pending(from_item(response["Attributes"]))

    def delivered(self, item: PendingDelivery, status_code: int, now: datetime) -> None:
        self._finish(item, webhooks.DELIVERED, now, status_code, None, delivered_at=to_wire(now))

    def failed(self, item: PendingDelivery, status_code: int | None, error: str, now: datetime,
               next_attempt_at: datetime | None) -> None:  # fmt: skip
        """Schedule the next attempt, or give up (status failed) when there is none."""
        if next_attempt_at is None:
            self._finish(item, webhooks.FAILED, now, status_code, error)
            return
        values: dict[str, Any] = {
            ":attempts": item.delivery.attempts + 1,
            ":next": to_wire(next_attempt_at),
            ":now": to_wire(now),
            ":error": error[:200],
            ":code": status_code,
        }
        self._update(
            item.delivery,
            "SET attempts = :attempts, next_attempt_at = :next, last_attempt_at = :now, "
            "#error = :error, response_status = :code REMOVE lease_until",
            "attribute_exists(pk)",
            values,
        )

    def cancel(self, item: PendingDelivery, now: datetime) -> None:
        self._finish(item, webhooks.CANCELLED, now, None, "the endpoint was deleted", attempted=False)

    def newest(self, webhook_id: str, limit: int) -> list[Delivery]:
        """The newest deliveries first."""
        response = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=to_values(
                {":pk": keys.webhook_pk(webhook_id), ":prefix": keys.DELIVERY_PREFIX}
            ),
            ScanIndexForward=False,
            Limit=limit,
        )
        return [_delivery(from_item(i)) for i in response.get("Items", [])]

    def _finish(
        self,
        item: PendingDelivery,
        status: str,
        now: datetime,
        status_code: int | None,
        error: str | None,
        delivered_at: str | None = None,
        attempted: bool = True,
    ) -> None:
        values: dict[str, Any] = {
            ":status": status,
            ":attempts": item.delivery.attempts + (1 if attempted else 0),
            ":now": to_wire(now),
            ":error": error,
            ":code": status_code,
            ":delivered": delivered_at,
        }
        self._update(
            item.delivery,
            "SET #status = :status, attempts = :attempts, last_attempt_at = :now, #error = :error, "
            "response_status = :code, delivered_at = :delivered "
            "REMOVE pending_shard, pending_key, lease_until, next_attempt_at",
            "attribute_exists(pk)",
            values,
        )

    def _update(
        self,
        delivery: Delivery,
        expression: str,
        condition: str,
        values: dict[str, Any],
        return_values: str = "NONE",
    ) -> Any:
        names = {name: name[1:] for name in ("#status", "#error") if name in expression or name in condition}
        request: dict[str, Any] = {
            "TableName": self._table,
            "Key": _key(keys.webhook_pk(delivery.webhook_id), keys.delivery_sk(delivery.order_key)),
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeValues": to_values(values),
            "ReturnValues": return_values,
        }
        if names:
            request["ExpressionAttributeNames"] = names
        return self._db.update_item(**request)


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def _time(text: str | None) -> datetime | None:
    return from_wire(text) if text else None


def _webhook(partner_id: str, values: dict[str, Any]) -> Webhook:
    return Webhook(
        webhook_id=values["webhook_id"],
        partner_id=partner_id,
        url=values["url"],
        events=tuple(values["events"]),
        created_at=from_wire(values["created_at"]),
    )


def _delivery_values(delivery: Delivery) -> dict[str, Any]:
    return {
        "webhook_id": delivery.webhook_id,
        "event_id": delivery.event_id,
        "event_type": delivery.event_type,
        "order_key": delivery.order_key,
        "created_at": to_wire(delivery.created_at),
        "status": delivery.status,
        "attempts": delivery.attempts,
        "next_attempt_at": to_wire(delivery.next_attempt_at or delivery.created_at),
    }


def _delivery(values: dict[str, Any]) -> Delivery:
    return Delivery(
        webhook_id=values["webhook_id"],
        event_id=values["event_id"],
        event_type=values["event_type"],
        order_key=values["order_key"],
        created_at=from_wire(values["created_at"]),
        status=values["status"],
        attempts=values.get("attempts", 0),
        next_attempt_at=_time(values.get("next_attempt_at")),
        last_attempt_at=_time(values.get("last_attempt_at")),
        delivered_at=_time(values.get("delivered_at")),
        response_status=values.get("response_status"),
        error=values.get("error"),
    )


def _pending(values: dict[str, Any]) -> PendingDelivery:
    return PendingDelivery(_delivery(values), values["partner_id"], str(values.get("body", "")).encode())
