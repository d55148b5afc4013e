"""Leads: a prospect a Solution partner submits (Text API "Submit Lead"). Its contact data is
kept in one data region, chosen from the lead's `region`: a European country code (or `EU`)
is kept in the EU, anything else (or none) in the USA. An operator moves its status along
new -> contacted -> qualified -> won, and any open lead may be lost."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from partnerapp import catalog

NEW, CONTACTED, QUALIFIED, WON, LOST = "new", "contacted", "qualified", "won", "lost"
STATUSES = (NEW, CONTACTED, QUALIFIED, WON, LOST)
NEXT: dict[str, tuple[str, ...]] = {
    NEW: (CONTACTED, LOST),
    CONTACTED: (QUALIFIED, LOST),
    QUALIFIED: (WON, LOST),
    WON: (),
    LOST: (),
}
MONETIZATION_TYPES = ("flat_fee", "rev_share")
CREATED = "lead_was_created"
EU = "eu-west3"
# EEA countries and Switzerland: leads whose region names one are kept in the EU region.
EUROPEAN = frozenset(
    {
        "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
        "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip


def data_center_for(region: str | None) -> str:
    """Where a lead's contact data is kept, from its `region` (a country code)."""
    code = (region or "").strip().upper()
    return EU if code in EUROPEAN or code == "EU" else catalog.DEFAULT_DATA_CENTER


def status_change(status: str) -> str:
    """The history entry's name for a move to `status`, in the docs' style."""
    return f"lead_was_{status}"


@dataclass(frozen=True)
class Change:
    name: str
    created_at: datetime


@dataclass(frozen=True)
class Lead:
    lead_id: str
    partner_id: str
    data_center: str
    status: str
    updated_at: datetime
    details: dict[str, object]  # the submitted fields, as validated
    history: tuple[Change, ...] = field(default=())
