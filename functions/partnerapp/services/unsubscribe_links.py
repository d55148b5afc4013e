"""The one-click unsubscribe link of a summary email: signed and expiring, it names the
partner and the summary it turns off, and nothing else (no session is needed to use it).

`<partner id>.<kind>.<expires, unix>.<HMAC-SHA256 of "<expires>.<partner id>.<kind>">`,
signed with the keyed-hash secret (`signing.signature`), so it cannot be made or altered
without it; it stops working after LIFETIME, and using it twice changes nothing more.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from partnerapp import signing
from partnerapp.domain.summaries import KINDS

LIFETIME = timedelta(days=60)
PATH = "/web/unsubscribe"
MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True)
class Unsubscribe:
    partner_id: str
    kind: str


def _signed(secret: bytes, expires: int, partner_id: str, kind: str) -> str:
    return signing.signature(secret, expires, f"{partner_id}.{kind}".encode())


def token(secret: bytes, partner_id: str, kind: str, now: datetime) -> str:
    expires = int((now + LIFETIME).timestamp())
    return f"{partner_id}.{kind}.{expires}.{_signed(secret, expires, partner_id, kind)}"


def url(site_url: str, secret: bytes, partner_id: str, kind: str, now: datetime) -> str:
    return f"{site_url}{PATH}?{urlencode({'token': token(secret, partner_id, kind, now)})}"


def read(secret: bytes, value: str | None, now: datetime) -> Unsubscribe | None:
    """What a valid, unexpired link turns off; None for anything else."""
    if not value or len(value) > MAX_TOKEN_LENGTH:
        return None
    parts = value.split(".")
    if len(parts) != 4 or parts[1] not in KINDS or not parts[2].isascii() or not parts[2].isdigit():
        return None
    partner_id, kind, expires, signature = parts
    if int(expires) < now.timestamp():
        return None
    if not hmac.compare_digest(_signed(secret, int(expires), partner_id, kind), signature):
        return None
    return Unsubscribe(partner_id, kind)
