"""Licenses and what hangs off them, each in the table of the license's data region."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from partnerapp import catalog
from partnerapp.domain.billing import Invoice
from partnerapp.domain.history import HistoryEntry
from partnerapp.domain.licenses import INVITATION_ACCEPTED, Invitation, License
from partnerapp.domain.management import Outcome
from partnerapp.domain.timestamps import to_wire
from partnerapp.settings import Settings
from partnerapp.store import clients, keys, records
from partnerapp.store.codec import from_item, to_values
from partnerapp.store.commission_writes import payment_writes
from partnerapp.store.tally_writes import change_writes as tally_writes
from partnerapp.store.writes import transact, transact_or


class RegionalTables:
    """Routes a data center (or a license id, whose last digit names one) to its table."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def locate(self, data_center: str) -> tuple[Any, str]:
        table = self._settings.table_for(data_center)
        return clients.dynamodb(table.aws_region), table.table_name

    def locate_license(self, license_id: int) -> tuple[Any, str] | None:
        center = catalog.data_center_of_license(license_id)
        return self.locate(center.code) if center else None

    @property
    def data_centers(self) -> list[str]:
        return list(self._settings.license_tables)


class VersionConflict(Exception):
    """Someone changed the license since it was read; the caller reads again and retries."""


class LicenseRepository:
    def __init__(self, settings: Settings) -> None:
        self._tables = RegionalTables(settings)

    def insert(self, item: License, created: HistoryEntry) -> None:
        """The license, its invitation outbox items and its first history entry: one
        transaction in its region."""
        db, _ = self._tables.locate(item.data_center)
        # Its ClientRequestToken makes the SDK's retry of an applied insert a success, not a
        # failed `attribute_not_exists` (which would look like a taken id).
        transact(db, self.insert_writes(item, created))

    def insert_writes(self, item: License, created: HistoryEntry) -> list[dict[str, Any]]:
        """What `insert` writes, for a transaction that writes more with it."""
        _, table = self._tables.locate(item.data_center)
        writes = [_put(table, records.license_values(item), "attribute_not_exists(pk)")]
        writes += [
            _put(table, records.invitation_values(item.license_id, i, item.created_at))
            for i in item.invitations
        ]
        writes.append(_put(table, records.history_values(item, item.version, 0, created)))
        return writes + tally_writes(table, None, item)

    def commit(self, before: License, outcome: Outcome, now: datetime, once: str | None = None) -> License:
        """Write a change if nobody else changed the license meanwhile (optimistic versioning),
        with its history entries, queued emails, payments and accepted invitation, in one
        transaction. `once` names a billing event that must not have been applied before.
        Any failed condition is a VersionConflict: the caller reads again and decides anew."""
        after = replace(outcome.license, version=before.version + 1)
        db, table = self._tables.locate(before.data_center)
        new = "attribute_not_exists(pk)"
        writes = [
            _put(table, records.license_values(after), "version = :expected", {":expected": before.version})
        ]
        writes += [_put(table, records.history_values(after, after.version, n, e))
                   for n, e in enumerate(outcome.entries)]  # fmt: skip
        writes += [
            _put(table, records.invitation_values(after.license_id, i, now)) for i in outcome.invitations
        ]
        writes += [_put(table, records.mail_values(after, n, now), new) for n in outcome.notices]
        writes += [_put(table, records.payment_values(after, p), new) for p in outcome.payments]
        writes += payment_writes(table, after, list(outcome.payments))
        if outcome.accepted is not None:
            writes.append(_accept(table, after.license_id, outcome.accepted, now))
        if once is not None:
            marker = {"pk": keys.license_pk(after.license_id), "sk": keys.billing_event_sk(once)}
            writes.append(_put(table, {**marker, "entity": "billing_event", "applied_at": to_wire(now)}, new))
        transact_or(db, writes + tally_writes(table, before, after), VersionConflict)
        return after

    def billing_event_applied(self, license_id: int, event_id: str) -> bool:
        located = self._tables.locate_license(license_id)
        if located is None:
            return False
        db, table = located
        response = db.get_item(
            TableName=table,
            Key={"pk": {"S": keys.license_pk(license_id)}, "sk": {"S": keys.billing_event_sk(event_id)}},
            ProjectionExpression="pk",
            ConsistentRead=True,
        )
        return "Item" in response

    def issue_invoices(self, before: License, invoices: list[Invoice]) -> License:
        """Store newly due invoices and add their savings to the license's running total."""
        savings = sum(i.savings_cents for i in invoices)
        after = replace(
            before,
            version=before.version + 1,
            total_savings_cents=before.total_savings_cents + savings,
            invoices_issued=max([before.invoices_issued, *(i.number for i in invoices)]),
        )
        db, table = self._tables.locate(before.data_center)
        writes = [
            _put(table, records.license_values(after), "version = :expected", {":expected": before.version})
        ]
        writes += [
            _put(table, records.invoice_values(after, i), "attribute_not_exists(pk)") for i in invoices
        ]
        transact_or(db, writes + tally_writes(table, before, after), VersionConflict)
        return after

    def exists(self, license_id: int) -> bool:
        located = self._tables.locate_license(license_id)
        if located is None:
            return False
        db, table = located
        response = db.get_item(
            TableName=table,
            Key={"pk": {"S": keys.license_pk(license_id)}, "sk": {"S": keys.LICENSE_SK}},
            ProjectionExpression="pk",
            ConsistentRead=True,
        )
        return "Item" in response

    def get(self, license_id: int) -> License | None:
        """The license with its invitations: one Query on its partition."""
        items = self._query_partition(license_id, keys.LICENSE_SK)
        return records.license_from_items(items) if items is not None else None

    def get_for_partner(self, partner_id: str, product: str, license_id: int) -> License | None:
        """Another partner's license, or one of another product, is simply not there."""
        found = self.get(license_id)
        if found is None or found.partner_id != partner_id or found.product != product:
            return None
        return found

    def history(self, license_id: int) -> list[HistoryEntry]:
        items = self._query_partition(license_id, keys.HISTORY_PREFIX) or []
        return [records.history_from_values(from_item(i)) for i in items]

    def invoices(self, license_id: int) -> list[Invoice]:
        items = self._query_partition(license_id, keys.INVOICE_PREFIX) or []
        return [records.invoice_from_values(from_item(i)) for i in items]

    def paid_cents(self, license_id: int) -> int:
        """What the billing system reported paid on the license, all payments together."""
        items = self._query_partition(license_id, keys.PAYMENT_PREFIX) or []
        return sum(int(from_item(i)["amount_cents"]) for i in items)

    def _query_partition(self, license_id: int, prefix: str) -> list[dict[str, Any]] | None:
        located = self._tables.locate_license(license_id)
        if located is None:
            return None
        db, table = located
        items: list[dict[str, Any]] = []
        request: dict[str, Any] = {
            "TableName": table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": to_values({":pk": keys.license_pk(license_id), ":prefix": prefix}),
            "ConsistentRead": True,
        }
        while True:
            response = db.query(**request)
            items += response.get("Items", [])
            if "LastEvaluatedKey" not in response:
                return items
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def _put(
    table: str,
    values: dict[str, Any],
    condition: str | None = None,
    condition_values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    put: dict[str, Any] = {"TableName": table, "Item": records.item(values)}
    if condition:
        put["ConditionExpression"] = condition
    if condition_values:
        put["ExpressionAttributeValues"] = to_values(condition_values)
    return {"Put": put}


def _accept(table: str, license_id: int, invitation: Invitation, now: datetime) -> dict[str, Any]:
    """Mark an invitation accepted, only if the link used is still its current one (a link
    works once; a newer email or a resend replaced it otherwise)."""
    return {
        "Update": {
            "TableName": table,
            "Key": {"pk": {"S": keys.license_pk(license_id)}, "sk": {"S": keys.invite_sk(invitation.seq)}},
            "UpdateExpression": "SET #status = :accepted, accepted_at = :now REMOVE outbox_shard, outbox_due",
            "ConditionExpression": "link_digest = :digest AND #status <> :accepted",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": to_values(
                {":accepted": INVITATION_ACCEPTED, ":now": to_wire(now), ":digest": invitation.link_digest}
            ),
        }
    }
