"""One-time sign-in links and browser sessions, in the home region's partners table.

Both are stored under the SHA-256 digest of their secret: the secret itself is only ever in
the email or the cookie. Items carry `expires_at` (epoch seconds), the table's TTL attribute;
TTL deletes lazily, so every read also compares `expires_at` with the clock.

Every write recognises its own earlier attempt (store/writes.py): the SDK's retry of a saved
link or session succeeds, a redeemed link stays redeemed by the request that redeemed it,
and a counted link is not counted again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain.timestamps import to_wire
from partnerapp.settings import Settings
from partnerapp.store import clients, keys, writes
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
        """The link's partner, marking the link used in the same call: a second use finds it
        used. (Marked, not deleted: the SDK's retry of this very call must find it used by
        itself and sign in, where a deleted link would look never issued. TTL removes it.)"""
        writer = writes.new_writer()
        try:
            response = self._db.update_item(
                TableName=self._table,
                Key=self._key(keys.sign_in_pk(digest), keys.SIGN_IN_SK),
                UpdateExpression="SET redeemed_by = :me",
                ConditionExpression="attribute_exists(pk) AND "
                "(attribute_not_exists(redeemed_by) OR redeemed_by = :me)",
                ExpressionAttributeValues=to_values({":me": writer}),
                ReturnValues="ALL_NEW",
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
        item = response.get("Item")
        return None if item is None or "redeemed_by" in item else self._live_partner(item, now)

    def allow_link(self, partner_id: str, now: datetime, window: timedelta, limit: int) -> bool:
        """Count one more link for this partner in the current window; False past `limit`.

        One conditional update: concurrent requests cannot both take the last place. Each
        count adds its writer id to the window's set (a handful: `limit` at most), so the SDK's
        retry of a count that was applied is neither counted again nor refused."""
        seconds = int(window.total_seconds())
        number = _epoch(now) // seconds
        writer = writes.new_writer()
        try:
            self._db.update_item(
                TableName=self._table,
                Key=self._key(keys.partner_pk(partner_id), keys.sign_in_rate_sk(number)),
                UpdateExpression="ADD sent :one, counted :me_set SET expires_at = :expires",
                ConditionExpression="(attribute_not_exists(sent) OR sent < :limit) "
                "AND NOT contains(counted, :me)",
                ExpressionAttributeValues={
                    **to_values(
                        {":one": 1, ":limit": limit, ":expires": (number + 2) * seconds, ":me": writer}
                    ),
                    ":me_set": {"SS": [writer]},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if is_condition_failure(error):
                found = writes.old_item(error) or {}
                return writer in found.get("counted", {}).get("SS", [])
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
        writer = writes.new_writer()
        item = to_item(
            {
                "pk": pk,
                "sk": sk,
                "partner_id": partner_id,
                "created_at": to_wire(now),
                "expires_at": _epoch(now + lifetime),
                writes.WRITER: writer,
            }
        )
        self._db.put_item(
            TableName=self._table,
            Item=item,
            ConditionExpression=writes.mine("attribute_not_exists(pk)"),
            ExpressionAttributeValues=to_values({writes.WRITER_VALUE: writer}),
        )

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
