"""A partner's leads, each one item in the licenses table of the lead's data region:
LEADS#<pid> / LEAD#<id>, with its history as a list. A lead id's last digit names its data
center (as a license id's does), so a lead is read with one GetItem; the partner's own key
is in it, so another partner's lead id reads as not found. Every write is conditional and
recognises its own earlier attempt (store/writes.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from partnerapp import catalog
from partnerapp.domain.leads import CREATED, NEW, Change, Lead, status_change
from partnerapp.domain.timestamps import from_wire, to_wire
from partnerapp.settings import Settings
from partnerapp.store import keys, writes
from partnerapp.store.codec import from_item, to_item, to_values
from partnerapp.store.errors import is_condition_failure
from partnerapp.store.licenses import RegionalTables

ID_ATTEMPTS = 3
REQUEST_REF = "request_ref"


class LeadStore:
    def __init__(self, settings: Settings) -> None:
        self._tables = RegionalTables(settings)

    def insert(
        self,
        partner_id: str,
        lead_id: str,
        data_center: str,
        details: dict[str, Any],
        now: datetime,
        request_ref: str | None = None,
    ) -> Lead | None:
        """The new lead, or None when its id is taken (the caller draws another). A keyed
        request's `request_ref` is kept in it: run again after its idempotency lock expired,
        the same request finds the lead its first run put under that id, and answers it."""
        lead = Lead(lead_id, partner_id, data_center, NEW, now, details, (Change(CREATED, now),))
        db, table = self._tables.locate(data_center)
        writer = writes.new_writer()
        item = {**self._key(partner_id, lead_id), **_values(lead), writes.WRITER: writer}
        if request_ref:
            item[REQUEST_REF] = request_ref
        try:
            db.put_item(
                TableName=table,
                Item=to_item(item),
                ConditionExpression=writes.mine("attribute_not_exists(pk)"),
                ExpressionAttributeValues=to_values({writes.WRITER_VALUE: writer}),
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if not is_condition_failure(error):
                raise
            earlier = from_item(writes.old_item(error) or {})
            return _lead(earlier) if request_ref and earlier.get(REQUEST_REF) == request_ref else None
        return lead

    def get(self, partner_id: str, lead_id: str) -> Lead | None:
        center = catalog.data_center_of_license(int(lead_id)) if lead_id.isdigit() else None
        if center is None or center.code not in self._tables.data_centers:
            return None
        db, table = self._tables.locate(center.code)
        found = db.get_item(TableName=table, Key=to_item(self._key(partner_id, lead_id)), ConsistentRead=True)
        return _lead(from_item(found["Item"])) if "Item" in found else None

    def listed(self, partner_id: str) -> list[Lead]:
        """Every lead of the partner, in every region, newest first."""
        found: list[Lead] = []
        for center in self._tables.data_centers:
            found += self._in(center, partner_id)
        return sorted(found, key=lambda lead: lead.history[0].created_at, reverse=True)

    def set_status(self, lead: Lead, status: str, now: datetime) -> None:
        """Moves `lead` (as read) to `status`. The history grows by one entry, so the write
        is not repeatable: a retry of an applied attempt fails the condition and is
        recognised in the item it found (its writer). Raises ClientError (condition) when
        someone else changed the lead first."""
        db, table = self._tables.locate(lead.data_center)
        writer = writes.new_writer()
        change = {"name": status_change(status), "created_at": to_wire(now)}
        values = {":to": status, ":from": lead.status, ":now": to_wire(now), ":change": [change]}
        try:
            db.update_item(
                TableName=table,
                Key=to_item(self._key(lead.partner_id, lead.lead_id)),
                UpdateExpression=(
                    "SET #status = :to, updated_at = :now, history = list_append(history, :change), "
                    f"{writes.WRITER} = {writes.WRITER_VALUE}"
                ),
                ConditionExpression="#status = :from",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_values({**values, writes.WRITER_VALUE: writer}),
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if not (is_condition_failure(error) and writes.written_by(writes.old_item(error), writer)):
                raise

    def _in(self, data_center: str, partner_id: str) -> list[Lead]:
        db, table = self._tables.locate(data_center)
        query: dict[str, Any] = {
            "TableName": table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": to_values(
                {":pk": keys.leads_pk(partner_id), ":prefix": keys.LEAD_PREFIX}
            ),
            "ConsistentRead": True,
        }
        found: list[Lead] = []
        while True:
            page = db.query(**query)
            found += [_lead(from_item(item)) for item in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return found
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    @staticmethod
    def _key(partner_id: str, lead_id: str) -> dict[str, Any]:
        return {"pk": keys.leads_pk(partner_id), "sk": keys.lead_sk(lead_id)}


def _values(lead: Lead) -> dict[str, Any]:
    return {
        "entity": "lead",
        "lead_id": lead.lead_id,
        "partner_id": lead.partner_id,
        "data_center": lead.data_center,
        "status": lead.status,
        "updated_at": to_wire(lead.updated_at),
        "details": lead.details,
        "history": [{"name": c.name, "created_at": to_wire(c.created_at)} for c in lead.history],
    }


def _lead(values: dict[str, Any]) -> Lead:
    return Lead(
        lead_id=values["lead_id"],
        partner_id=values["partner_id"],
        data_center=values["data_center"],
        status=values["status"],
        updated_at=from_wire(values["updated_at"]),
        details=values["details"],
        history=tuple(Change(c["name"], from_wire(c["created_at"])) for c in values["history"]),
    )
