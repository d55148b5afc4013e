"""Changes a partner makes to a license, as pure rules: each returns the changed license and
the history entries to record with it, or raises the rule that says no."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from partnerapp import catalog
from partnerapp.domain import history
from partnerapp.domain.errors import Conflict, InvalidValue, NotFound, RuleViolation
from partnerapp.domain.history import HistoryEntry
from partnerapp.domain.licenses import (
    INVITATION_ACCEPTED,
    INVITATION_PENDING,
    Invitation,
    License,
    Operator,
    Subscription,
)
from partnerapp.domain.notices import Notice
from partnerapp.domain.payments import Payment

MAX_OPERATORS_PER_LICENSE = 20


@dataclass(frozen=True)
class Outcome:
    """A license after a change, what to record about it, and what to send."""

    license: License
    entries: tuple[HistoryEntry, ...]
    invitations: tuple[Invitation, ...] = ()  # new or re-queued invitation emails
    result: Any = None  # what the caller answers beyond the license (per-operator codes...)
    extra: dict[str, Any] = field(default_factory=dict)
    notices: tuple[Notice, ...] = ()  # lifecycle emails, queued in the outbox with the change
    payments: tuple[Payment, ...] = ()  # recorded once each (by payment id) with the change
    # An invitation accepted by its link, as it was read: the write is conditional on that
    # link still being the current one, so a link works once and a resend voids it.
    accepted: Invitation | None = None


def _entry(now: datetime, actor: str, action: str, **details: Any) -> HistoryEntry:
    return HistoryEntry(at=now, actor=actor, action=action, details=details)


def update_details(item: License, changes: dict[str, Any], actor: str, now: datetime) -> Outcome:
    changed = {k: v for k, v in changes.items() if getattr(item, k) != v}
    if not changed:
        return Outcome(item, ())
    before = {k: getattr(item, k) for k in changed}
    return Outcome(
        replace(item, **changed), (_entry(now, actor, history.UPDATED, before=before, after=changed),)
    )


def _require_partner_managed_invites(item: License) -> None:
    if not catalog.can_invite_operators(item.product, item.payment_origin):
        product = catalog.PRODUCTS[item.product]
        reason = (
            f"{product.name} licenses cannot invite additional users"
            if not product.partner_managed_invites
            else "only a partner-managed subscription can invite additional users"
        )
        raise RuleViolation(reason, {"operators": [reason]})


def add_operators(item: License, operators: list[Operator], actor: str, now: datetime) -> Outcome:
    """Invite each operator once; the result lists `{"operator", "status_code"}` per operator."""
    _require_partner_managed_invites(item)
    invited = {i.email for i in item.invitations}
    next_seq = max((i.seq for i in item.invitations), default=0) + 1
    results: list[dict[str, Any]] = []
    new: list[Invitation] = []
    for operator in operators:
        if operator.email in invited:
            results.append({"operator": operator.email, "status_code": 409})
        elif len(item.operator_invitations) + len(new) >= MAX_OPERATORS_PER_LICENSE:
            results.append({"operator": operator.email, "status_code": 403})
        else:
            new.append(Invitation(seq=next_seq, email=operator.email, role=operator.role))
            invited.add(operator.email)
            next_seq += 1
            results.append({"operator": operator.email, "status_code": 201})
    entries = tuple(_entry(now, actor, history.INVITED, email=i.email, role=i.role) for i in new)
    changed = replace(item, invitations=item.invitations + tuple(new))
    return Outcome(changed, entries, tuple(new), results)


def resend_invitation(item: License, email: str, actor: str, now: datetime) -> Outcome:
    found = next((i for i in item.operator_invitations if i.email == email), None)
    if found is None:
        raise NotFound("No invitation for this operator.")
    _require_partner_managed_invites(item)
    if found.status == INVITATION_ACCEPTED:
        raise Conflict("This invitation was already accepted.", {"email": ["Already accepted."]})
    again = replace(found, status=INVITATION_PENDING, attempts=0, last_error=None, sent_at=None)
    invitations = tuple(again if i.seq == found.seq else i for i in item.invitations)
    entry = _entry(now, actor, history.RESENT, email=email)
    return Outcome(replace(item, invitations=invitations), (entry,), (again,))


def customize_offer(
    item: License, extra_discount: int | None, extend_days: int | None, actor: str, now: datetime
) -> Outcome:
    if not catalog.can_customize_offer(item.product, item.payment_origin):
        reason = "only partner-managed LiveChat licenses can have their offer customized"
        raise RuleViolation(reason, {"_offer": [reason]})
    changed, entries = item, []
    if extra_discount is not None and extra_discount != item.extra_discount_percent:
        changed = replace(changed, extra_discount_percent=extra_discount)
        entries.append(
            _entry(
                now,
                actor,
                history.OFFER_CHANGED,
                before=item.extra_discount_percent,
                extra_discount_percent=extra_discount,
            )
        )
    if extend_days:
        changed, entry = _extend_trial(changed, extend_days, actor, now)
        entries.append(entry)
    return Outcome(changed, tuple(entries))


def _trial_cap(item: License) -> datetime:
    return item.created_at + timedelta(days=catalog.MAX_TRIAL_DAYS_WITH_EXTENSIONS)


def trial_days_left(item: License) -> int:
    """Whole days the trial may still be extended by (0 once the cap is reached)."""
    return max((_trial_cap(item) - item.trial_ends_at).days, 0)


def _extend_trial(item: License, days: int, actor: str, now: datetime) -> tuple[License, HistoryEntry]:
    if item.status != "trial":
        reason = "only a license in trial can have its trial extended"
        raise RuleViolation(reason, {"extend_trial_days": [reason]})
    new_end = item.trial_ends_at + timedelta(days=days)
    if new_end > _trial_cap(item):
        cap_days = catalog.MAX_TRIAL_DAYS_WITH_EXTENSIONS
        left = trial_days_left(item)
        reason = f"a trial may last at most {cap_days} days from creation; {left} more days allowed"
        raise RuleViolation(reason, {"extend_trial_days": [reason]})
    entry = _entry(now, actor, history.TRIAL_EXTENDED, days=days, before=item.trial_ends_at, after=new_end)
    return replace(item, trial_ends_at=new_end), entry


def _require_partner_managed(item: License) -> None:
    if not catalog.partner_manages(item.payment_origin):
        reason = "the customer manages this subscription"
        raise RuleViolation(reason, {"payment_origin": [reason]})


def create_subscription(
    item: License, plan: str, cycle: str, seats: int, actor: str, now: datetime, card_on_file: bool = False
) -> Outcome:
    """`card_on_file`: the caller gave a payment-method token (the API's `token`); nothing here
    charges it, so only the fact is kept: the license shows `cc_added`."""
    _require_partner_managed(item)
    if item.subscription is not None and item.subscription.ends_at is None:
        raise Conflict("This license already has a subscription.", {"subscription": ["Already exists."]})
    if item.status == "expired":
        raise RuleViolation("An expired license cannot be subscribed.", {"status": ["expired"]})
    subscription = Subscription(plan=plan, billing_cycle=cycle, seats=seats, started_at=now)
    entries = [_entry(now, actor, history.SUBSCRIPTION_CREATED, plan=plan, billing_cycle=cycle, seats=seats)]
    changed = replace(item, subscription=subscription, cc_added=item.cc_added or card_on_file)
    if item.status == "trial":
        changed = replace(changed, status="paid", paid=True, conversion_timestamp=now)
        entries.append(_entry(now, actor, history.CONVERTED, payment_origin=item.payment_origin))
    return Outcome(changed, tuple(entries))


def _active_subscription(item: License) -> Subscription:
    _require_partner_managed(item)
    if item.subscription is None or item.subscription.ends_at is not None:
        raise Conflict("This license has no active subscription.", {"subscription": ["None exists."]})
    return item.subscription


def change_subscription(item: License, changes: dict[str, Any], actor: str, now: datetime) -> Outcome:
    current = _active_subscription(item)
    updated = replace(current, **changes)
    if updated == current:
        return Outcome(item, ())
    entry = _entry(
        now,
        actor,
        history.SUBSCRIPTION_CHANGED,
        before={k: getattr(current, k) for k in changes},
        after=changes,
    )
    return Outcome(replace(item, subscription=updated), (entry,))


def close_subscription(item: License, expire: bool, actor: str, now: datetime) -> Outcome:
    """`expire=True` ends it now (the license expires at once); False ends it when the current
    billing cycle does."""
    current = _active_subscription(item)
    ends_at = now if expire else cycle_end(current, now)
    changed = replace(item, subscription=replace(current, ends_at=ends_at))
    entries = [_entry(now, actor, history.SUBSCRIPTION_CLOSED, expire=expire, ends_at=ends_at)]
    if expire:
        changed = replace(changed, status="expired", expired_at=now)
        entries.append(_entry(now, actor, history.EXPIRED, reason="subscription_closed", ended_at=now))
    return Outcome(changed, tuple(entries))


def update_billing(item: License, actor: str, now: datetime) -> Outcome:
    """A new payment-method token for a partner-managed license. No card is charged here, so
    the token itself is not kept: the license records that a payment method is on file."""
    _require_partner_managed(item)
    entry = _entry(now, actor, history.BILLING_UPDATED)
    return Outcome(replace(item, cc_added=True), (entry,))


def _with_owner(
    item: License, new_owner: str, now: datetime, actor: str
) -> tuple[License, list[HistoryEntry]]:
    """`new_owner` (the email of one of the license's people) becomes its owner. The customer
    record (`client_email`, one license per customer and product) stays as it was."""
    if new_owner == item.owner:
        return item, []
    if all(i.email != new_owner for i in item.invitations):
        reason = "must be the email of one of this license's users"
        raise InvalidValue(f"new_owner {reason}.", {"new_owner": [reason.capitalize() + "."]})
    entry = _entry(now, actor, history.OWNER_CHANGED, before=item.owner, after=new_owner)
    return replace(item, owner_email=new_owner), [entry]


def transfer_to_client(item: License, actor: str, now: datetime, new_owner: str | None = None) -> Outcome:
    """Hand the payment management to the customer: irreversible; the discount stops and the
    commission starts. A partner subscription ends with it (the customer subscribes anew).
    `new_owner`, when given, becomes the license's owner (see `_with_owner`)."""
    _require_partner_managed(item)
    changed, entries = _with_owner(item, new_owner, now, actor) if new_owner else (item, [])
    changed = replace(changed, payment_origin="client", extra_discount_percent=0)
    if item.subscription is not None and item.subscription.ends_at is None:
        changed = replace(changed, subscription=replace(item.subscription, ends_at=now))
    entries.append(_entry(now, actor, history.TRANSFERRED, before="partner", after="client"))
    return Outcome(changed, tuple(entries))


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later, clamped to the month's last day (Jan 31 + 1 = Feb 28)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def cycle_starts(subscription: Subscription, until: datetime) -> list[datetime]:
    """Start of every billing cycle that has begun by `until` (and before the subscription ended)."""
    months = catalog.BILLING_CYCLES[subscription.billing_cycle]
    end = min(until, subscription.ends_at) if subscription.ends_at else until
    starts, n = [], 0
    while (start := add_months(subscription.started_at, months * n)) <= end:
        if subscription.ends_at and start >= subscription.ends_at:
            break
        starts.append(start)
        n += 1
    return starts


def cycle_end(subscription: Subscription, now: datetime) -> datetime:
    months = catalog.BILLING_CYCLES[subscription.billing_cycle]
    starts = cycle_starts(subscription, now)
    last = starts[-1] if starts else subscription.started_at
    return add_months(last, months)
