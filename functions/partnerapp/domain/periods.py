"""The end of a license's current period, as the Text API's `end_timestamp` means it: the
trial's end, the end of the billing cycle paid for, or the moment it expired."""

from __future__ import annotations

from datetime import datetime

from partnerapp import catalog
from partnerapp.domain.licenses import License
from partnerapp.domain.management import cycle_end


def period_end(item: License, now: datetime) -> datetime:
    """A paid license's cycle is known here only for a partner-managed subscription; a
    customer pays the billing system, which reports payments but not the paid-until date, so
    such a license keeps its trial's end (docs/api.md says so)."""
    if item.status == "expired" and item.expired_at is not None:
        return item.expired_at
    subscription = item.subscription
    if item.status != "paid" or subscription is None or not catalog.partner_manages(item.payment_origin):
        return item.trial_ends_at
    # A closed subscription ends at its cycle's end (or at once): that is its last period.
    return subscription.ends_at or cycle_end(subscription, now)
