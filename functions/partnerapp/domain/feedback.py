"""What SES reports after a send: a recipient's hard bounce or complaint (pure rules).

Only these two stop further emails to an address. A transient bounce (mailbox full, a
greylisting server) is SES's to retry, and it does; an undetermined one is not proof enough
to stop writing to a customer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from partnerapp.domain.licenses import INVITATION_PENDING, INVITATION_SENT

INVITATION_BOUNCED = "bounced"
INVITATION_COMPLAINED = "complained"

# The statuses each outcome may replace: an accepted invitation stays accepted, a failed
# one was never sent, and a complaint outranks a bounce (never the other way round).
REPLACES: dict[str, tuple[str, ...]] = {
    INVITATION_BOUNCED: (INVITATION_PENDING, INVITATION_SENT),
    INVITATION_COMPLAINED: (INVITATION_PENDING, INVITATION_SENT, INVITATION_BOUNCED),
}

# Message tags the mailer sets on every invitation (SES returns them in its events).
LICENSE_TAG = "license_id"
INVITATION_TAG = "invitation_seq"


@dataclass(frozen=True)
class RecipientFeedback:
    outcome: str  # INVITATION_BOUNCED or INVITATION_COMPLAINED
    recipients: tuple[str, ...]  # normalized addresses
    license_id: int | None  # from the message's tags; None for emails that are no invitation
    seq: int | None


NOTICE_TAG = "notice"


def invitation_tags(license_id: int, seq: int) -> dict[str, str]:
    return {LICENSE_TAG: str(license_id), INVITATION_TAG: str(seq)}


def notice_tags(license_id: int, kind: str) -> dict[str, str]:
    """A lifecycle email's tags: no invitation to mark, so a bounce only suppresses the address."""
    return {LICENSE_TAG: str(license_id), NOTICE_TAG: kind}


def parse_ses_event(message: Mapping[str, Any]) -> RecipientFeedback | None:
    """A hard bounce or complaint from an SES event-publishing (or notification) message;
    None for every other event, which changes nothing."""
    kind = message.get("eventType") or message.get("notificationType")
    if kind == "Bounce":
        bounce = message.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return None
        outcome, listed = INVITATION_BOUNCED, bounce.get("bouncedRecipients") or []
    elif kind == "Complaint":
        outcome, listed = (
            INVITATION_COMPLAINED,
            (message.get("complaint") or {}).get("complainedRecipients") or [],
        )
    else:
        return None
    recipients = tuple(
        dict.fromkeys(filter(None, (normalize_address(r.get("emailAddress")) for r in listed)))
    )
    if not recipients:
        return None
    tags = (message.get("mail") or {}).get("tags") or {}
    license_id, seq = _int_tag(tags, LICENSE_TAG), _int_tag(tags, INVITATION_TAG)
    if license_id is None or seq is None:
        license_id = seq = None
    return RecipientFeedback(outcome, recipients, license_id, seq)


def normalize_address(value: object) -> str | None:
    """`Ann <Ann@Acme.example>` and `ann@acme.example` are one address, as at sign-up."""
    if not isinstance(value, str):
        return None
    address = parseaddr(value)[1].strip().lower()
    return address if "@" in address else None


def _int_tag(tags: Mapping[str, Any], name: str) -> int | None:
    values = tags.get(name)
    value = values[0] if isinstance(values, list) and values else values
    return int(value) if isinstance(value, str) and value.isdigit() else None
