"""Partner accounts and the labelled API tokens they automate with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# The profile's opt-ins (`PUT /v2/partners/profile`), all off until the partner turns one on.
MONTHLY_SUMMARY = "send_monthly_summary"
WEEKLY_SUMMARY = "send_reseller_weekly_summary"
NOTIFICATIONS = "send_notifications"
# Kept and shown back as the Text API does; this help center sends no newsletter (docs/account.md).
NEWSLETTER = "send_newsletter"
OPT_INS = (MONTHLY_SUMMARY, WEEKLY_SUMMARY, NEWSLETTER, NOTIFICATIONS)


@dataclass(frozen=True)
class Partner:
    partner_id: str
    login: str
    contact_name: str
    contact_email: str
    created_at: datetime
    first_name: str = ""
    last_name: str = ""
    opt_ins: frozenset[str] = field(default_factory=frozenset)  # the OPT_INS turned on
    version: int = 1  # of the profile item: every profile change is a versioned write
    # Tokens ever issued (counted on the profile item only): a profile change, which rewrites
    # each token's copy of the profile, checks that none was issued since it listed them.
    tokens_issued: int = 0

    def opted_in(self, name: str) -> bool:
        return name in self.opt_ins


@dataclass(frozen=True)
class ApiToken:
    """A token as stored: its id and label, never the secret (only its digest, in the store)."""

    token_id: str
    partner_id: str
    label: str
    created_at: datetime
    last_used_on: str | None = None  # YYYY-MM-DD: kept to the day, so a token costs one write a day
    hint: str = ""  # the secret's first characters, to tell tokens apart in a list
