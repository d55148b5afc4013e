"""What time does to a license, as pure rules: the reminder before a trial ends, the end of the
trial, the invoices of a partner subscription and the end of one that was closed.

`next_check_at` says when the scheduled job should look at a license again (the store keeps
it in a sparse index, so the job Queries what is due instead of reading every license);
`trial_action` and `subscription_step` say what is due at `now`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from partnerapp import catalog
from partnerapp.domain import history
from partnerapp.domain.history import HistoryEntry
from partnerapp.domain.licenses import License
from partnerapp.domain.management import Outcome, add_months
from partnerapp.domain.notices import CUSTOMER, PARTNER, TRIAL_EXPIRING, Notice

TRIAL_ENDED = "trial_ended"
SUBSCRIPTION_ENDED = "subscription_ended"


def reminder_at(item: License) -> datetime:
    return item.trial_ends_at - timedelta(days=catalog.TRIAL_REMINDER_DAYS)


def next_invoice_at(item: License) -> datetime | None:
    """Start of the first cycle of the partner subscription that is not invoiced yet."""
    subscription = item.subscription
    if subscription is None or not catalog.partner_manages(item.payment_origin):
        return None
    months = catalog.BILLING_CYCLES[subscription.billing_cycle]
    start = add_months(subscription.started_at, months * item.invoices_issued)
    if subscription.ends_at is not None and start >= subscription.ends_at:
        return None
    return start


def subscription_ends_at(item: License) -> datetime | None:
    """When a closed partner subscription ends the license (`end_of_cycle`)."""
    subscription = item.subscription
    if item.status != "paid" or subscription is None or not catalog.partner_manages(item.payment_origin):
        return None
    return subscription.ends_at


def next_check_at(item: License) -> datetime | None:
    """The next moment something is due on this license; None when nothing ever will be."""
    if item.status == "trial":
        if item.trial_reminder_sent_at is None:
            return min(reminder_at(item), item.trial_ends_at)
        return item.trial_ends_at
    if item.status == "paid":
        moments = [m for m in (next_invoice_at(item), subscription_ends_at(item)) if m is not None]
        return min(moments, default=None)
    return None


REMIND = "remind"
EXPIRE = "expire"


def trial_action(item: License, now: datetime) -> str | None:
    """EXPIRE a trial that has ended, REMIND of its end once, or None when nothing is due.

    A trial found already over gets no reminder: it would announce an end that is past."""
    if item.status != "trial":
        return None
    if now >= item.trial_ends_at:
        return EXPIRE
    if now >= reminder_at(item) and item.trial_reminder_sent_at is None:
        return REMIND
    return None


def subscription_step(item: License, now: datetime) -> Outcome | None:
    ends_at = subscription_ends_at(item)
    if ends_at is None or now < ends_at:
        return None
    return expire(item, now, ends_at, SUBSCRIPTION_ENDED)


def remind(item: License, now: datetime, partner_email: str | None) -> Outcome:
    notices = [Notice(TRIAL_EXPIRING, CUSTOMER, item.client_email)]
    if partner_email:
        notices.append(Notice(TRIAL_EXPIRING, PARTNER, partner_email))
    entry = HistoryEntry(now, history.SYSTEM, history.TRIAL_EXPIRING, {"trial_ends_at": item.trial_ends_at})
    return Outcome(replace(item, trial_reminder_sent_at=now), (entry,), notices=tuple(notices))


def expire(item: License, now: datetime, ended_at: datetime, reason: str) -> Outcome:
    entry = HistoryEntry(now, history.SYSTEM, history.EXPIRED, {"reason": reason, "ended_at": ended_at})
    return Outcome(replace(item, status="expired", expired_at=ended_at), (entry,))
