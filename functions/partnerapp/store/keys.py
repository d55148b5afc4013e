"""Key builders: every partition and sort key the tables use, named by access pattern.

Licenses table (one per data region)
  LICENSE#<id> / LICENSE              the license (Query begins_with LICENSE: with its invitations)
  LICENSE#<id> / LICENSE#INVITE#<nn>  one invitation email (the outbox item for that email)
  LICENSE#<id> / HISTORY#<at>#<nn>    one change, written in the change's transaction
  LICENSE#<id> / INVOICE#<nnnn>       one issued invoice of a partner-managed subscription
  ORG#<id> / ORG                      a customer organization (client data: regional)
  GSI by_partner: PARTNER#<pid> / <created>#<id>          a partner's licenses, newest first
  GSI by_status: PARTNER#<pid>#STATUS#<s> / <created>#<id> the same, one status
  GSI by_organization: ORG#<id> / <created>#<id>           an organization's licenses
  GSI outbox: OUTBOX#<shard> / <next attempt at>          invitations waiting to be sent (sparse)
  SUPPRESSED#<hmac> / SUPPRESSED      an address SES reported bounced or complained: a keyed
                                      hash, checked before every send from this region

Partners table (home region)
  PARTNER#<pid> / PROFILE           the partner's profile
  LOGIN#<email> / LOGIN             a partner login is unique
  TOKEN#<sha256> / TOKEN            token lookup by its digest on every request
  PARTNER#<pid> / TOKEN#<id>        a partner's tokens, listed and revoked by id
  PARTNER#<pid> / CLIENT#<hmac>     one license per (client_email, product): a keyed hash, so
                                    no customer data leaves its region
  PARTNER#<pid> / ORGCLIENT#<hmac>  the organization a client's licenses are grouped in
  SIGNIN#<sha256> / SIGNIN         a one-time sign-in link, by its digest (TTL expires_at)
  SESSION#<sha256> / SESSION       a browser session, by its digest (TTL expires_at)
  PARTNER#<pid> / SIGNINRATE#<n>   sign-in links sent in one 15-minute window (TTL expires_at)
"""

from __future__ import annotations

from datetime import datetime

OUTBOX_SHARDS = 4  # spreads the pending-invitations index over a few partitions


def license_pk(license_id: int) -> str:
    return f"LICENSE#{license_id}"


LICENSE_SK = "LICENSE"
INVITE_PREFIX = "LICENSE#INVITE#"
HISTORY_PREFIX = "HISTORY#"
INVOICE_PREFIX = "INVOICE#"
ORG_SK = "ORG"


def invite_sk(seq: int) -> str:
    return f"{INVITE_PREFIX}{seq:02d}"


def history_sk(at: datetime, version: int, index: int) -> str:
    """Ordered by time; the license version written with it keeps two changes in one second apart."""
    return f"{HISTORY_PREFIX}{at.strftime('%Y%m%dT%H%M%S')}#{version:06d}#{index:02d}"


def invoice_sk(number: int) -> str:
    return f"{INVOICE_PREFIX}{number:04d}"


def by_status_pk(partner_id: str, status: str) -> str:
    return f"PARTNER#{partner_id}#STATUS#{status}"


def org_pk(organization_id: str) -> str:
    return f"ORG#{organization_id}"


def org_client_sk(digest: str) -> str:
    return f"ORGCLIENT#{digest}"


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


def sign_in_pk(digest: str) -> str:
    return f"SIGNIN#{digest}"


SIGN_IN_SK = "SIGNIN"


def session_pk(digest: str) -> str:
    return f"SESSION#{digest}"


SESSION_SK = "SESSION"


def sign_in_rate_sk(window: int) -> str:
    return f"SIGNINRATE#{window}"


def suppressed_pk(digest: str) -> str:
    return f"SUPPRESSED#{digest}"


SUPPRESSED_SK = "SUPPRESSED"
