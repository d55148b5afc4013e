"""Key builders: every partition and sort key the tables use, named by access pattern.

Licenses table (one per data region)
  LICENSE#<id> / LICENSE            the license          (GetItem, or Query with its invitations)
  LICENSE#<id> / INVITE#<nn>        one invitation email (the outbox item for that email)
  GSI by_partner: PARTNER#<pid> / <created>#<id>        a partner's licenses, newest first
  GSI outbox: OUTBOX#<shard> / <next attempt at>        invitations waiting to be sent (sparse)

Partners table (home region)
  PARTNER#<pid> / PROFILE           the partner's profile
  LOGIN#<email> / LOGIN             a partner login is unique
  TOKEN#<sha256> / TOKEN            token lookup by its digest on every request
  PARTNER#<pid> / TOKEN#<id>        a partner's tokens, listed and revoked by id
  PARTNER#<pid> / CLIENT#<hmac>     one license per (client_email, product): a keyed hash, so
                                    no customer data leaves its region
"""

from __future__ import annotations

from datetime import datetime

OUTBOX_SHARDS = 4  # spreads the pending-invitations index over a few partitions


def license_pk(license_id: int) -> str:
    return f"LICENSE#{license_id}"


LICENSE_SK = "LICENSE"
INVITE_PREFIX = "INVITE#"


def invite_sk(seq: int) -> str:
    return f"{INVITE_PREFIX}{seq:02d}"


def partner_pk(partner_id: str) -> str:
    return f"PARTNER#{partner_id}"


def by_partner_sk(created_at: datetime, license_id: int) -> str:
    return f"{created_at.strftime('%Y%m%dT%H%M%S')}#{license_id}"


def outbox_shard(license_id: int) -> str:
    # The last digit names the region, so shard on the random part before it.
    return f"OUTBOX#{(license_id // 10) % OUTBOX_SHARDS}"


def outbox_shards() -> list[str]:
    return [f"OUTBOX#{n}" for n in range(OUTBOX_SHARDS)]


def outbox_due(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


PROFILE_SK = "PROFILE"


def login_pk(email: str) -> str:
    return f"LOGIN#{email.lower()}"


LOGIN_SK = "LOGIN"


def token_pk(digest: str) -> str:
    return f"TOKEN#{digest}"


TOKEN_SK = "TOKEN"  # noqa: S105 - a sort key, not a secret


def partner_token_sk(token_id: str) -> str:
    return f"TOKEN#{token_id}"


def client_guard_sk(digest: str) -> str:
    return f"CLIENT#{digest}"
