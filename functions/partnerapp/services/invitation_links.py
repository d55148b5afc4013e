"""The accept link in an invitation email: single use, expiring, stored only as a digest.

The token names its invitation (license id and sequence number, so the page reads one
partition) and carries 256 random bits; the invitation item keeps the SHA-256 of the whole
token. The mailer makes a new token for every email it sends, which voids the older ones.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from partnerapp import catalog
from partnerapp.hashing import secret_digest

ACCEPT_PATH = "/web/invitations/accept"
_TOKEN = re.compile(r"^(\d{1,18})\.(\d{1,3})\.([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class IssuedLink:
    token: str
    digest: str
    expires_at: datetime


def issue(license_id: int, seq: int, now: datetime) -> IssuedLink:
    token = f"{license_id}.{seq}.{secrets.token_urlsafe(32)}"
    return IssuedLink(token, secret_digest(token), now + timedelta(days=catalog.INVITATION_LINK_DAYS))


def parse(token: str | None) -> tuple[int, int] | None:
    """(license id, invitation seq) of a well-formed token; None for anything else."""
    found = _TOKEN.match(token or "")
    return (int(found[1]), int(found[2])) if found else None


def accept_url(site_url: str, token: str) -> str:
    return f"{site_url}{ACCEPT_PATH}?token={token}"
