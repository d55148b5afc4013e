"""One license per (client_email, product) per partner, across both data regions.

The guard lives in the home region, keyed by an HMAC of the email so that no customer data
leaves its region. It is claimed before the license is written; if the process dies between
the two, the guard points at a license that never appeared and is taken over once stale.
Each claim carries its writer id, so the SDK's retry of a claim whose answer was lost finds
its own guard and succeeds, instead of answering 409 for a customer without a license.

A keyed create (an `Idempotency-Key`) also leaves a reference to its request on the guard:
when the request is run again after its in-progress lock expired (a slow first run), the
second run meets the guard its first run took and recognises the license as its own.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain.errors import Conflict
from partnerapp.domain.timestamps import from_wire, to_wire
from partnerapp.hashing import keyed_digest
from partnerapp.settings import Settings
from partnerapp.store import clients, keys, writes
from partnerapp.store.codec import from_item, to_item, to_values
from partnerapp.store.errors import is_condition_failure

# Longer than any create request may take (the API function's timeout is shorter).
STALE_AFTER = timedelta(seconds=60)

DUPLICATE_MESSAGE = "A license of this product already exists for this client_email."
REQUEST_REF = "request_ref"


class ClientGuard:
    def __init__(self, settings: Settings) -> None:
        self._table = settings.partners_table
        self._secret = settings.keyed_hash_secret
        self._db = clients.dynamodb(settings.home_region)

    def _key(self, partner_id: str, client_email: str, product: str) -> dict[str, Any]:
        digest = keyed_digest(self._secret, client_email.lower(), product)
        return {"pk": {"S": keys.partner_pk(partner_id)}, "sk": {"S": keys.client_guard_sk(digest)}}

    def claim(
        self,
        partner_id: str,
        client_email: str,
        product: str,
        license_id: int,
        now: datetime,
        license_exists: Any,
        request_ref: str | None = None,
    ) -> None:
        """Take the guard for `license_id`, or raise Conflict if a license already holds it."""
        key = self._key(partner_id, client_email, product)
        writer = writes.new_writer()
        values = {"license_id": license_id, "claimed_at": to_wire(now), writes.WRITER: writer}
        values.update(_ref(request_ref))
        try:
            self._db.put_item(
                TableName=self._table,
                Item={**key, **to_item(values)},
                ConditionExpression=writes.mine("attribute_not_exists(pk)"),
                ExpressionAttributeValues=to_values({writes.WRITER_VALUE: writer}),
            )
            return
        except ClientError as error:
            if not is_condition_failure(error):
                raise
        self._take_over_if_abandoned(key, license_id, now, license_exists, request_ref)

    def claim_write(
        self,
        partner_id: str,
        client_email: str,
        product: str,
        license_id: int,
        now: datetime,
        request_ref: str | None = None,
    ) -> dict[str, Any]:
        """The guard, new, as a Put of a transaction that writes the license with it (the
        transaction's ClientRequestToken, not a writer id, recognises its retries)."""
        values = {"license_id": license_id, "claimed_at": to_wire(now), **_ref(request_ref)}
        item = {**self._key(partner_id, client_email, product), **to_item(values)}
        return {
            "Put": {"TableName": self._table, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}
        }

    def _take_over_if_abandoned(
        self,
        key: dict[str, Any],
        license_id: int,
        now: datetime,
        license_exists: Any,
        request_ref: str | None,
    ) -> None:
        found = self._db.get_item(TableName=self._table, Key=key, ConsistentRead=True).get("Item")
        if found is None:  # released meanwhile: try once more from the start
            raise Conflict(DUPLICATE_MESSAGE, {"client_email": [DUPLICATE_MESSAGE]})
        held = from_item(found)
        if held["license_id"] == license_id:
            return  # our own first attempt applied; its answer was lost and the SDK retried
        fresh = now - from_wire(held["claimed_at"]) < STALE_AFTER
        if fresh or license_exists(held["license_id"]):
            raise Conflict(DUPLICATE_MESSAGE, {"client_email": [DUPLICATE_MESSAGE]})
        writer = writes.new_writer()
        try:
            self._db.update_item(
                TableName=self._table,
                Key=key,
                UpdateExpression="SET license_id = :new, claimed_at = :now, "
                f"{writes.WRITER} = {writes.WRITER_VALUE}, {REQUEST_REF} = :ref",
                ConditionExpression=writes.mine("license_id = :old"),
                ExpressionAttributeValues=to_values(
                    {
                        ":new": license_id,
                        ":now": to_wire(now),
                        ":old": held["license_id"],
                        ":ref": request_ref or "",
                        writes.WRITER_VALUE: writer,
                    }
                ),
            )
        except ClientError as error:
            if is_condition_failure(error):
                raise Conflict(DUPLICATE_MESSAGE, {"client_email": [DUPLICATE_MESSAGE]}) from None
            raise

    def made_by(self, partner_id: str, client_email: str, product: str, request_ref: str) -> int | None:
        """The license holding the guard, if the request `request_ref` names claimed it."""
        key = self._key(partner_id, client_email, product)
        found = self._db.get_item(TableName=self._table, Key=key, ConsistentRead=True).get("Item")
        if found is None or found.get(REQUEST_REF, {}).get("S") != request_ref:
            return None
        return int(from_item(found)["license_id"])

    def holder(
        self, partner_id: str, client_email: str, product: str, now: datetime, license_exists: Any
    ) -> int | None:
        """The license holding the guard, read without claiming it (a dry run's duplicate
        check): the same test as `claim` applies, so a dry run and a create agree."""
        key = self._key(partner_id, client_email, product)
        found = self._db.get_item(TableName=self._table, Key=key, ConsistentRead=True).get("Item")
        if found is None:
            return None
        held = from_item(found)
        fresh = now - from_wire(held["claimed_at"]) < STALE_AFTER
        return int(held["license_id"]) if fresh or license_exists(held["license_id"]) else None

    def release(self, partner_id: str, client_email: str, product: str, license_id: int) -> None:
        """Undo a claim whose license could not be written, so the partner can try again (a
        repeat finds nothing of its own left, and changes nothing)."""
        try:
            self._db.delete_item(
                TableName=self._table,
                Key=self._key(partner_id, client_email, product),
                ConditionExpression="license_id = :mine",
                ExpressionAttributeValues=to_values({":mine": license_id}),
            )
        except ClientError as error:
            if not is_condition_failure(error):
                raise


def _ref(request_ref: str | None) -> dict[str, str]:
    return {REQUEST_REF: request_ref} if request_ref else {}
