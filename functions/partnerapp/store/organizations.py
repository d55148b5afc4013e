"""Organizations in their data region's table, and the home-region pointer (a keyed hash of
the client's email) that lets a new license reuse its client's organization."""

from __future__ import annotations

import uuid
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain.organizations import Organization, data_center_of_organization, new_organization_id
from partnerapp.domain.timestamps import from_wire, to_wire
from partnerapp.hashing import keyed_digest
from partnerapp.settings import Settings
from partnerapp.store import clients, keys, records
from partnerapp.store.codec import from_item, to_item
from partnerapp.store.errors import is_condition_failure
from partnerapp.store.licenses import RegionalTables

_FIELDS = ("organization_id", "partner_id", "organization_name", "client_name", "client_email", "data_center",
           "identifier")  # fmt: skip


class OrganizationRepository:
    def __init__(self, settings: Settings) -> None:
        self._tables = RegionalTables(settings)
        self._home = clients.dynamodb(settings.home_region)
        self._partners_table = settings.partners_table
        self._secret = settings.keyed_hash_secret

    def new_id(self, data_center: str) -> str:
        return new_organization_id(str(uuid.uuid4()), data_center)

    def put(self, organization: Organization) -> None:
        db, _ = self._tables.locate(organization.data_center)
        try:
            db.put_item(**self.put_write(organization)["Put"])
        except ClientError as error:
            if not is_condition_failure(error):  # already there: putting it again changes nothing
                raise

    def put_write(self, organization: Organization) -> dict[str, Any]:
        """The organization's item, new, as a transaction's Put (in its region's table)."""
        _, table = self._tables.locate(organization.data_center)
        values: dict[str, Any] = {name: getattr(organization, name) for name in _FIELDS}
        values.update(
            pk=keys.org_pk(organization.organization_id),
            sk=keys.ORG_SK,
            entity="organization",
            created_at=to_wire(organization.created_at),
        )
        item = records.item(values)
        return {"Put": {"TableName": table, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}}

    def get(self, organization_id: str) -> Organization | None:
        center = data_center_of_organization(organization_id)
        if center is None:
            return None
        db, table = self._tables.locate(center)
        key = {"pk": {"S": keys.org_pk(organization_id)}, "sk": {"S": keys.ORG_SK}}
        found = db.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
        if not found:
            return None
        values = from_item(found)
        fields: dict[str, Any] = {name: values.get(name) for name in _FIELDS}
        return Organization(created_at=from_wire(values["created_at"]), **fields)

    def get_for_partner(self, partner_id: str, organization_id: str) -> Organization | None:
        found = self.get(organization_id)
        return found if found is not None and found.partner_id == partner_id else None

    def claim_client(self, partner_id: str, client_email: str, data_center: str, organization_id: str) -> str:
        """The organization id for this client in this region: the one already recorded, or
        `organization_id` if this call recorded it first."""
        claim = self.claim_write(partner_id, client_email, data_center, organization_id)["Put"]
        try:
            self._home.put_item(**claim)
            return organization_id
        except ClientError as error:
            if not is_condition_failure(error):
                raise
        key = {"pk": claim["Item"]["pk"], "sk": claim["Item"]["sk"]}
        found = self._home.get_item(TableName=self._partners_table, Key=key, ConsistentRead=True)["Item"]
        return str(from_item(found)["organization_id"])

    def claim_write(
        self, partner_id: str, client_email: str, data_center: str, organization_id: str
    ) -> dict[str, Any]:
        """The home-region pointer from the client to `organization_id`, new, as a transaction's Put."""
        digest = keyed_digest(self._secret, "organization", client_email.lower(), data_center)
        key = {"pk": keys.partner_pk(partner_id), "sk": keys.org_client_sk(digest)}
        return {
            "Put": {
                "TableName": self._partners_table,
                "Item": to_item({**key, "organization_id": organization_id}),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
