"""Licenses and their invitations, each in the table of the license's data region."""

from __future__ import annotations

from typing import Any

from partnerapp import catalog
from partnerapp.domain.licenses import Invitation, License
from partnerapp.domain.timestamps import from_wire, to_wire
from partnerapp.settings import Settings
from partnerapp.store import clients, keys
from partnerapp.store.codec import from_item, to_item

_LICENSE_FIELDS = (
    "partner_id", "product", "client_name", "client_email", "payment_origin", "data_center",
    "status", "cc_added", "paid", "identifier", "purchase_order", "organization_name",
)  # fmt: skip


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


def license_item(item: License) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(item, name) for name in _LICENSE_FIELDS}
    values.update(
        pk=keys.license_pk(item.license_id),
        sk=keys.LICENSE_SK,
        entity="license",
        license_id=item.license_id,
        created_at=to_wire(item.created_at),
        trial_ends_at=to_wire(item.trial_ends_at),
        by_partner_pk=keys.partner_pk(item.partner_id),
        by_partner_sk=keys.by_partner_sk(item.created_at, item.license_id),
        version=1,
    )
    return to_item(values)


def invitation_item(item: License, invitation: Invitation) -> dict[str, Any]:
    return to_item(
        {
            "pk": keys.license_pk(item.license_id),
            "sk": keys.invite_sk(invitation.seq),
            "entity": "invitation",
            "license_id": item.license_id,
            "seq": invitation.seq,
            "email": invitation.email,
            "role": invitation.role,
            "status": invitation.status,
            "attempts": 0,
            # Present only while the email waits to be sent: the outbox index is sparse.
            "outbox_shard": keys.outbox_shard(item.license_id),
            "outbox_due": keys.outbox_due(item.created_at),
        }
    )


def license_from_items(items: list[dict[str, Any]]) -> License | None:
    values = [from_item(i) for i in items]
    head = next((v for v in values if v["sk"] == keys.LICENSE_SK), None)
    if head is None:
        return None
    invitations = tuple(
        invitation_from_values(v)
        for v in sorted(values, key=lambda v: v["sk"])
        if v.get("entity") == "invitation"
    )
    optional: dict[str, Any] = {name: head.get(name) for name in _LICENSE_FIELDS}
    return License(
        license_id=head["license_id"],
        created_at=from_wire(head["created_at"]),
        trial_ends_at=from_wire(head["trial_ends_at"]),
        invitations=invitations,
        **optional,
    )


def invitation_from_values(values: dict[str, Any]) -> Invitation:
    return Invitation(
        seq=values["seq"],
        email=values["email"],
        role=values["role"],
        status=values["status"],
        attempts=values.get("attempts", 0),
        last_error=values.get("last_error"),
        sent_at=from_wire(values["sent_at"]) if values.get("sent_at") else None,
    )


class LicenseRepository:
    def __init__(self, settings: Settings) -> None:
        self._tables = RegionalTables(settings)

    def insert(self, item: License) -> None:
        """The license and its invitation outbox items, in one transaction in its region."""
        db, table = self._tables.locate(item.data_center)
        writes = [
            {
                "Put": {
                    "TableName": table,
                    "Item": license_item(item),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
        ]
        writes += [{"Put": {"TableName": table, "Item": invitation_item(item, i)}} for i in item.invitations]
        db.transact_write_items(TransactItems=writes)

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
        located = self._tables.locate_license(license_id)
        if located is None:
            return None
        db, table = located
        response = db.query(
            TableName=table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": keys.license_pk(license_id)}},
            ConsistentRead=True,
        )
        return license_from_items(response.get("Items", []))

    def get_for_partner(self, partner_id: str, product: str, license_id: int) -> License | None:
        """Another partner's license, or one of another product, is simply not there."""
        found = self.get(license_id)
        if found is None or found.partner_id != partner_id or found.product != product:
            return None
        return found
