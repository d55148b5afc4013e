"""Key builders: every partition and sort key the tables use, named by access pattern.

Licenses table (one per data region)
  LICENSE#<id> / LICENSE              the license (Query begins_with LICENSE: with its invitations)
  LICENSE#<id> / LICENSE#INVITE#<nn>  one invitation email (the outbox item for that email)
  LICENSE#<id> / HISTORY#<at>#<nn>    one change, written in the change's transaction
  LICENSE#<id> / INVOICE#<nnnn>       one issued invoice of a partner-managed subscription
  ORG#<id> / ORG                      a customer organization (client data: regional)
  LEADS#<pid> / LEAD#<id>             a partner's lead, its contact data and history (the
                                      region its `region` names: domain/leads.py)
  GSI by_partner: PARTNER#<pid> / <created>#<id>          a partner's licenses, newest first
  GSI by_status: PARTNER#<pid>#STATUS#<s> / <created>#<id> the same, one status
  GSI by_organization: ORG#<id> / <created>#<id>           an organization's licenses
  GSI outbox: OUTBOX#<shard> / <next attempt at>          emails waiting to be sent (sparse)
  LICENSE#<id> / MAIL#<kind>#<audience>  a lifecycle email (trial reminder): an outbox item too
  LICENSE#<id> / PAYMENT#<event id>   a payment the billing system recorded, and its commission
  LICENSE#<id> / BILLINGEVENT#<event id>  a billing event applied (each is applied once)
  GSI lifecycle: LIFECYCLE#<shard> / <next check at>       licenses with something due: a trial
                                      reminder or end, an invoice, a subscription end (sparse)
  GSI events: EVENTS#<shard> / <at>#<id>#<version>#<n>     history entries that are webhook
                                      events, until dispatched to the home region (sparse)
  GSI earnings: PARTNER#<pid> / <at>#<id>#<kind>#<n>       invoices (savings) and payments
                                      (commission) of a partner's licenses, by date (sparse)
  EARNED#<pid> / COMMISSION#<shard>  the partner's commission of all time in this region, added
                                      to in each payment's transaction (store/commission_totals)
  GSI conversions: PARTNER#<pid> / <converted>#<id>       a partner's converted licenses, by
                                      conversion time (sparse, keys only: the trials chart)
  SUPPRESSED#<hmac> / SUPPRESSED      an address SES reported bounced or complained: a keyed
                                      hash, checked before every send from this region

Partners table (home region)
  PARTNER#<pid> / PROFILE           the partner's profile
  PARTNER#<pid> / PAYOUT            where the partner's commission is paid (Text API "billing")
  PARTNER#<pid> / COUPON#<n>        one coupon an operator made for the partner (store/coupons.py)
  PARTNER#<pid> / BALANCE           what withdrawals took, and the last withdrawal's number
  PARTNER#<pid> / WITHDRAWAL#<n>    one withdrawal (store/withdrawals.py); its emails are
                                    SUMMARY#withdrawal#<n>-<status> items, sent as summaries are
  LOGIN#<email> / LOGIN             a partner login is unique
  TOKEN#<sha256> / TOKEN            token lookup by its digest on every request
  PARTNER#<pid> / TOKEN#<id>        a partner's tokens, listed and revoked by id (a number)
  SEQUENCE#TOKEN / SEQUENCE         the last token number issued (one counter for all)
  PARTNER#<pid> / TOKENLABEL#<label>  a token label is unique among a partner's tokens
  PARTNER#<pid> / CLIENT#<hmac>     one license per (client_email, product): a keyed hash, so
                                    no customer data leaves its region
  PARTNER#<pid> / ORGCLIENT#<hmac>  the organization a client's licenses are grouped in
  PARTNER#<pid> / RATE#<minute>     requests counted against the partner's budget (TTL)
  SIGNIN#<sha256> / SIGNIN         a one-time sign-in link, by its digest (TTL expires_at)
  SESSION#<sha256> / SESSION       a browser session, by its digest (TTL expires_at)
  PARTNER#<pid> / SIGNINRATE#<n>   sign-in links sent in one 15-minute window (TTL expires_at)
  PARTNER#<pid> / WEBHOOK#<id>     a webhook endpoint: url, events, its secret (encrypted)
  WEBHOOK#<id> / DELIVERY#<order key>  one event delivered (or being) to it: the delivery log
                                   (TTL expires_at, 30 days); ids and enumerations only
  GSI webhook_pending: PENDING#<shard> / <webhook id>#<order key>  deliveries not finished,
                                   each endpoint's in the order their events happened (sparse)
  PARTNER#<pid> / SCHEDULE#<kind>  an opted-in summary (weekly, monthly, notifications): when
                                   the next is due; exists only while the partner is opted in
  PARTNER#<pid> / SUMMARY#<kind>#<period>  one summary email of one period: its figures and
                                   send state; its put is what makes it once per period
  GSI partner_due: <kind> or MAIL / <due at>  schedules due, and summary emails waiting to be
                                   sent (sparse: only those items carry due_kind)
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


def conversion_sk(converted_at: datetime, license_id: int) -> str:
    return f"{converted_at.strftime('%Y%m%dT%H%M%S')}#{license_id}"


def month_of(sort_key: str) -> str:
    """The YYYY-MM of a `by_partner` or `conversions` sort key (both start with the time)."""
    return f"{sort_key[:4]}-{sort_key[4:6]}"


def months_between(first: str, last: str) -> tuple[str, str]:
    """Sort-key bounds (BETWEEN) for every time from month `first` to month `last`, both
    YYYY-MM and included: "~" sorts after the digits and "#" that follow the month."""
    return first.replace("-", ""), last.replace("-", "") + "~"


def outbox_shard(license_id: int) -> str:
    # The last digit names the region, so shard on the random part before it.
    return f"OUTBOX#{(license_id // 10) % OUTBOX_SHARDS}"


def outbox_shards() -> list[str]:
    return [f"OUTBOX#{n}" for n in range(OUTBOX_SHARDS)]


def outbox_due(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


PROFILE_SK = "PROFILE"
PAYOUT_SK = "PAYOUT"
BALANCE_SK = "BALANCE"
WITHDRAWAL_PREFIX = "WITHDRAWAL#"
COUPON_PREFIX = "COUPON#"


def leads_pk(partner_id: str) -> str:
    return f"LEADS#{partner_id}"


LEAD_PREFIX = "LEAD#"


def lead_sk(lead_id: str) -> str:
    return f"{LEAD_PREFIX}{lead_id}"


def coupon_sk(number: int) -> str:
    return f"{COUPON_PREFIX}{number:08d}"


def withdrawal_sk(number: int) -> str:
    return f"{WITHDRAWAL_PREFIX}{number:08d}"


SUMMARY_MAIL = "MAIL"  # the partner_due partition of summary emails waiting to be sent


def schedule_sk(kind: str) -> str:
    return f"SCHEDULE#{kind}"


def summary_sk(kind: str, period: str) -> str:
    return f"SUMMARY#{kind}#{period}"


def due_at(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def login_pk(email: str) -> str:
    return f"LOGIN#{email.lower()}"


LOGIN_SK = "LOGIN"


def token_pk(digest: str) -> str:
    return f"TOKEN#{digest}"


TOKEN_SK = "TOKEN"  # noqa: S105 - a sort key, not a secret  # nosec B105


def partner_token_sk(token_id: str) -> str:
    return f"TOKEN#{token_id}"


TOKEN_SEQUENCE_PK = "SEQUENCE#TOKEN"  # noqa: S105 - a key, not a secret  # nosec B105
SEQUENCE_SK = "SEQUENCE"


def token_label_sk(label: str) -> str:
    return f"TOKENLABEL#{label.casefold()}"


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


def rate_window_sk(window_start: datetime) -> str:
    return f"RATE#{window_start.strftime('%Y%m%dT%H%M')}"


MAIL_PREFIX = "MAIL#"
PAYMENT_PREFIX = "PAYMENT#"
LIFECYCLE_SHARDS = 4
EVENT_SHARDS = 4
PENDING_SHARDS = 4


def mail_sk(kind: str, audience: str) -> str:
    return f"{MAIL_PREFIX}{kind}#{audience}"


def payment_sk(payment_id: str) -> str:
    return f"{PAYMENT_PREFIX}{payment_id}"


def billing_event_sk(event_id: str) -> str:
    return f"BILLINGEVENT#{event_id}"


def _shard_of(license_id: int, shards: int) -> int:
    # The last digit names the region, so shard on the random part before it.
    return (license_id // 10) % shards


def lifecycle_shard(license_id: int) -> str:
    return f"LIFECYCLE#{_shard_of(license_id, LIFECYCLE_SHARDS)}"


def lifecycle_shards() -> list[str]:
    return [f"LIFECYCLE#{n}" for n in range(LIFECYCLE_SHARDS)]


def events_shard(license_id: int) -> str:
    return f"EVENTS#{_shard_of(license_id, EVENT_SHARDS)}"


def events_shards() -> list[str]:
    return [f"EVENTS#{n}" for n in range(EVENT_SHARDS)]


def earnings_sk(at: datetime, license_id: int, kind: str, ref: str) -> str:
    return f"{at.strftime('%Y%m%dT%H%M%S')}#{license_id}#{kind}#{ref}"


def earned_pk(partner_id: str) -> str:
    return f"EARNED#{partner_id}"


COMMISSION_TOTAL_PREFIX = "COMMISSION#"


def commission_total_sk(shard: int) -> str:
    return f"{COMMISSION_TOTAL_PREFIX}{shard}"


def webhook_sk(webhook_id: str) -> str:
    return f"WEBHOOK#{webhook_id}"


WEBHOOK_PREFIX = "WEBHOOK#"


def webhook_pk(webhook_id: str) -> str:
    return f"WEBHOOK#{webhook_id}"


DELIVERY_PREFIX = "DELIVERY#"


def delivery_sk(order_key: str) -> str:
    return f"{DELIVERY_PREFIX}{order_key}"


def pending_shard(webhook_id: str) -> str:
    return f"PENDING#{sum(webhook_id.encode()) % PENDING_SHARDS}"


def pending_shards() -> list[str]:
    return [f"PENDING#{n}" for n in range(PENDING_SHARDS)]


# Webhook events whose hand-on raised: one partition, read once per dispatcher run (few items:
# a poison event is rare, and its record expires after the log's 30 days).
EVENT_RETRIES_PK = "EVENT_RETRIES"


def event_retry_sk(event_id: str) -> str:
    return f"EVENT#{event_id}"
