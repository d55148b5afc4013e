"""The history of a license: every change, who made it, when, and what it was."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Actions, as they appear in `GET .../history`.
CREATED = "created"
UPDATED = "updated"
INVITED = "invited"
RESENT = "resent"
OFFER_CHANGED = "offer_changed"
TRIAL_EXTENDED = "trial_extended"
SUBSCRIPTION_CREATED = "subscription_created"
SUBSCRIPTION_CHANGED = "subscription_changed"
SUBSCRIPTION_CLOSED = "subscription_closed"
TRANSFERRED = "transferred"
EXPIRED = "expired"
CONVERTED = "converted"
TRIAL_EXPIRING = "trial_expiring"  # the reminder before the trial ends was sent
INVITATION_ACCEPTED = "invitation_accepted"
PAYMENT_RECORDED = "payment_recorded"
BILLING_UPDATED = "billing_updated"  # a payment-method token was given (none is kept)
OWNER_CHANGED = "owner_changed"  # a transfer named another of the license's people

SYSTEM = "system"  # the scheduled lifecycle job
BILLING = "billing"  # the billing system's events


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str  # "partner:<id>" or "system"
    action: str
    details: dict[str, Any] = field(default_factory=dict)


def partner_actor(partner_id: str) -> str:
    return f"partner:{partner_id}"
