"""Changing a partner's profile: the API's PUT and the profile page, and the unsubscribe
link of a summary email, all through one versioned write."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from partnerapp.domain.errors import Conflict
from partnerapp.domain.partners import OPT_INS, Partner
from partnerapp.store.partners import PROFILE_FIELDS, PartnerRepository, ProfileConflict

ATTEMPTS = 5


def with_changes(partner: Partner, data: dict[str, Any]) -> Partner:
    """`partner` with the loaded fields applied; an opt-in left out keeps its value (the
    Text API documents them as optional)."""
    opt_ins = {name for name in OPT_INS if data.get(name, partner.opted_in(name))}
    fields = {name: data[name] for name in PROFILE_FIELDS if name in data}
    return replace(partner, opt_ins=frozenset(opt_ins), **fields)


def update_profile(
    partners: PartnerRepository, partner_id: str, data: dict[str, Any], now: datetime
) -> Partner:
    """Apply `data` (loaded by UpdateProfileSchema, or one opt-in turned off) to the profile
    as it is now, reading again after a concurrent change; returns the profile written."""
    for _ in range(ATTEMPTS):
        current = partners.get(partner_id)
        if current is None:
            raise Conflict("The partner account no longer exists.")
        wanted = with_changes(current, data)
        if _same(current, wanted):
            return current  # nothing to change, or our own earlier attempt already applied
        try:
            partners.update_profile(current, wanted, now)
        except ProfileConflict:
            continue
        return replace(wanted, version=current.version + 1)
    raise Conflict("The profile kept changing; try again.")


def _same(a: Partner, b: Partner) -> bool:
    return a.opt_ins == b.opt_ins and all(getattr(a, n) == getattr(b, n) for n in PROFILE_FIELDS)
