"""Partner accounts and the labelled API tokens they automate with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Partner:
    partner_id: str
    login: str
    contact_name: str
    contact_email: str
    created_at: datetime


@dataclass(frozen=True)
class ApiToken:
    """A token as stored: its id and label, never the secret (only its digest, in the store)."""

    token_id: str
    partner_id: str
    label: str
    created_at: datetime
    hint: str = ""  # the secret's first characters, to tell tokens apart in a list
