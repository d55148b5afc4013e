"""Addresses SES reported as hard-bouncing or complaining, one list per data region.

The list lives in the region's licenses table, keyed by an HMAC of the address: it stays in
the region of the people on it and holds no address in clear, so a copy of the table (a
backup, an export) does not list who complained. The mailer asks it before every send.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain.feedback import INVITATION_COMPLAINED, normalize_address
from partnerapp.domain.timestamps import to_wire
from partnerapp.hashing import keyed_digest
from partnerapp.settings import Settings
from partnerapp.store import keys
from partnerapp.store.codec import to_values
from partnerapp.store.errors import is_condition_failure
from partnerapp.store.licenses import RegionalTables

# Keeps these digests apart from any other keyed hash of the same address.
_PURPOSE = "suppressed-address"


class SuppressionList:
    def __init__(self, settings: Settings) -> None:
        self._tables = RegionalTables(settings)
        self._secret = settings.keyed_hash_secret

    def add(self, data_center: str, address: str, outcome: str, now: datetime) -> None:
        """Suppress `address` in `data_center`; a complaint replaces a bounce, not the reverse."""
        db, table = self._tables.locate(data_center)
        condition = None if outcome == INVITATION_COMPLAINED else "attribute_not_exists(pk)"
        request: dict[str, Any] = {
            "TableName": table,
            "Key": self._key(address),
            "UpdateExpression": "SET #outcome = :outcome, suppressed_at = :now",
            "ExpressionAttributeNames": {"#outcome": "outcome"},
            "ExpressionAttributeValues": to_values({":outcome": outcome, ":now": to_wire(now)}),
        }
        if condition:
            request["ConditionExpression"] = condition
        try:
            db.update_item(**request)
        except ClientError as error:
            if not is_condition_failure(error):
                raise

    def outcome_for(self, data_center: str, address: str) -> str | None:
        """Why `address` must not be written to from this region (bounced, complained), or None."""
        db, table = self._tables.locate(data_center)
        found = db.get_item(
            TableName=table,
            Key=self._key(address),
            ProjectionExpression="#outcome",
            ExpressionAttributeNames={"#outcome": "outcome"},
            ConsistentRead=True,
        ).get("Item")
        return str(found["outcome"]["S"]) if found else None

    def _key(self, address: str) -> dict[str, Any]:
        normalized = normalize_address(address) or address.strip().lower()
        digest = keyed_digest(self._secret, _PURPOSE, normalized)
        return {"pk": {"S": keys.suppressed_pk(digest)}, "sk": {"S": keys.SUPPRESSED_SK}}
