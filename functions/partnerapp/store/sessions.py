"""One-time sign-in links and browser sessions, in the home region's partners table.

Both are stored under the SHA-256 digest of their secret: the secret itself is only ever in
the email or the cookie. Items carry `expires_at` (epoch seconds), the table's TTL attribute;
TTL deletes lazily, so every read also compares `expires_at` with the clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain.timestamps import to_wire
from partnerapp.settings import Settings
from partnerapp.store import clients, keys
from partnerapp.store.codec import from_item, to_item, to_values
from partnerapp.store.errors import is_condition_failure


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


class SessionStore:
    def __init__(self, settings: Settings) -> None:
        self._table = settings.partners_table
        self._db = clients.dynamodb(settings.home_region)

    # --- sign-in links ----------------------------------------------------------------

    def save_link(self, digest: str, partner_id: str, now: datetime, lifetime: timedelta) -> None:
        self._put_new(keys.sign_in_pk(digest), keys.SIGN_IN_SK, partner_id, now, lifetime)

    def redeem_link(self, digest: str, now: datetime) -> str | None:
        """The link's partner, deleting the link in the same call: a second use finds nothing."""
        try:
            response = self._db.delete_item(
                TableName=self._table,
                Key=self._key(keys.sign_in_pk(digest), keys.SIGN_IN_SK),
                ConditionExpression="attribute_exists(pk)",
                ReturnValues="ALL_OLD",
            )
        except ClientError as error:
            if is_condition_failure(error):
                return None
            raise
        return self._live_partner(response.get("Attributes"), now)

    def link_partner(self, digest: str, now: datetime) -> str | None:
        """The partner of a live, unused link, leaving it usable."""
        response = self._db.get_item(
            TableName=self._table,
            Key=self._key(keys.sign_in_pk(digest), keys.SIGN_IN_SK),
            ConsistentRead=True,
        )
        return self._live_partner(response.get("Item"), now)

    def allow_link(self, partner_id: str, now: datetime, window: timedelta, limit: int) -> bool:
        """Count one more link for this partner in the current window; False past `limit`.

        One conditional update: concurrent requests cannot both take the last place."""
        seconds = int(window.total_seconds())
        number = _epoch(now) // seconds
        try:
            self._db.update_item(
                TableName=self._table,
                Key=self._key(keys.partner_pk(partner_id), keys.sign_in_rate_sk(number)),
                UpdateExpression="ADD sent :one SET expires_at = :expires",
                ConditionExpression="attribute_not_exists(sent) OR sent < :limit",
                ExpressionAttributeValues=to_values(
                    {":one": 1, ":limit": limit, ":expires": (number + 2) * seconds}
                ),
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    # --- sessions ---------------------------------------------------------------------

    def save_session(self, digest: str, partner_id: str, now: datetime, lifetime: timedelta) -> None:
        self._put_new(keys.session_pk(digest), keys.SESSION_SK, partner_id, now, lifetime)

    def session_partner(self, digest: str, now: datetime) -> str | None:
        response = self._db.get_item(
            TableName=self._table,
            Key=self._key(keys.session_pk(digest), keys.SESSION_SK),
            ConsistentRead=True,
        )
        return self._live_partner(response.get("Item"), now)

    def delete_session(self, digest: str) -> None:
        self._db.delete_item(TableName=self._table, Key=self._key(keys.session_pk(digest), keys.SESSION_SK))

    # --- helpers ----------------------------------------------------------------------

    def _put_new(self, pk: str, sk: str, partner_id: str, now: datetime, lifetime: timedelta) -> None:
        item = to_item(
            {
                "pk": pk,
                "sk": sk,
                "partner_id": partner_id,
                "created_at": to_wire(now),
                "expires_at": _epoch(now + lifetime),
            }
        )
        self._db.put_item(TableName=self._table, Item=item, ConditionExpression="attribute_not_exists(pk)")

    @staticmethod
    def _live_partner(item: dict[str, Any] | None, now: datetime) -> str | None:
        if not item:
            return None
        values = from_item(item)
        if int(values["expires_at"]) <= _epoch(now):
            return None
        return str(values["partner_id"])

    @staticmethod
    def _key(pk: str, sk: str) -> dict[str, Any]:
        return {"pk": {"S": pk}, "sk": {"S": sk}}
