"""How often a partner may resend invitations: each invited person's at most
RESENDS_PER_PERSON_HOUR times a clock hour, and all of one license's at most
RESENDS_PER_LICENSE_DAY times a UTC day. Past either, the resend is refused (429, Retry-After
until that window ends) and nothing is sent.

Both counters are taken in one transaction, so a refused resend counts against neither. Its
ClientRequestToken (`writes.transact`) makes the SDK's retry of a transaction whose answer was
lost get the first attempt's success: a resend is never counted twice, nor refused by its own
count. The counters sit in the home table beside the other budgets and expire by TTL; the
person is a keyed hash of the license and the address, so no address is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain.errors import Limited
from partnerapp.domain.licenses import License
from partnerapp.domain.management import Outcome
from partnerapp.hashing import keyed_digest
from partnerapp.settings import Settings
from partnerapp.store import clients, writes
from partnerapp.store.codec import to_item, to_values
from partnerapp.store.errors import is_condition_failure

RESENDS_PER_PERSON_HOUR = 3
RESENDS_PER_LICENSE_DAY = 10
PER_PERSON = (
    f"An invitation can be resent {RESENDS_PER_PERSON_HOUR} times an hour: "
    "the emails already sent are on their way, try again later."
)
PER_LICENSE = (
    f"A license's invitations can be resent {RESENDS_PER_LICENSE_DAY} times a day: try again tomorrow."
)

Change = Callable[[License, datetime], Outcome]


@dataclass(frozen=True)
class Window:
    sk: str
    limit: int
    ends: datetime
    message: str


class ResendLimits:
    def __init__(self, settings: Settings) -> None:
        self._table = settings.partners_table
        self._db = clients.dynamodb(settings.home_region)
        self._secret = settings.keyed_hash_secret

    def limited(self, change: Change, email: str) -> Change:
        """`change` (a resend), counted once when the domain allows it: a refused resend (no
        such invitation, already accepted) costs nothing, and the manager's re-application
        after a lost race is not counted again."""
        counted = False

        def apply(item: License, now: datetime) -> Outcome:
            nonlocal counted
            outcome = change(item, now)
            if not counted:
                self.take(item.license_id, email, now)
                counted = True
            return outcome

        return apply

    def take(self, license_id: int, email: str, now: datetime) -> None:
        """Count one resend of `email`'s invitation, or raise Limited (nothing counted)."""
        hour = now.replace(minute=0, second=0, microsecond=0)
        day = hour.replace(hour=0)
        person = keyed_digest(self._secret, "resend", str(license_id), email)
        windows = [
            Window(
                f"PERSON#{person}#{hour:%Y%m%dT%H}",
                RESENDS_PER_PERSON_HOUR,
                hour + timedelta(hours=1),
                PER_PERSON,
            ),
            Window(f"DAY#{day:%Y%m%d}", RESENDS_PER_LICENSE_DAY, day + timedelta(days=1), PER_LICENSE),
        ]
        try:
            writes.transact(self._db, [self._count(license_id, w) for w in windows])
        except ClientError as error:
            if not is_condition_failure(error):
                raise
            reasons = error.response.get("CancellationReasons", [])
            full = [
                w for w, r in zip(windows, reasons, strict=False) if r.get("Code") == "ConditionalCheckFailed"
            ]
            # Both full: the later window's end is when a resend can go again.
            window = max(full or windows, key=lambda w: w.ends)
            wait = max(int((window.ends - now).total_seconds()), 1)
            raise Limited(window.message, wait, {"email": [window.message]}) from None

    def _count(self, license_id: int, window: Window) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table,
                "Key": to_item({"pk": f"RESENDS#{license_id}", "sk": window.sk}),
                "UpdateExpression": "ADD hits :one SET expires_at = :expires",
                "ConditionExpression": "attribute_not_exists(hits) OR hits < :limit",
                "ExpressionAttributeValues": to_values(
                    {
                        ":one": 1,
                        ":limit": window.limit,
                        ":expires": int((window.ends + timedelta(hours=1)).timestamp()),
                    }
                ),
            }
        }
