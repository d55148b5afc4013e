"""Lifecycle emails a change queues: written to the outbox with the change, sent after it."""

from __future__ import annotations

from dataclasses import dataclass

TRIAL_EXPIRING = "trial_expiring"
KINDS: tuple[str, ...] = (TRIAL_EXPIRING,)

CUSTOMER = "customer"
PARTNER = "partner"


@dataclass(frozen=True)
class Notice:
    kind: str  # one of KINDS: names the email's templates
    audience: str  # CUSTOMER or PARTNER: who it is written for
    to: str
