"""A license's history in words for its page: who did what, when (UTC)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from partnerapp import catalog
from partnerapp.domain import history, invitations
from partnerapp.domain.history import HistoryEntry
from partnerapp.domain.timestamps import to_wire
from partnerapp.web.earnings import money

ACTORS = {
    history.SYSTEM: "Partner App (scheduled)",
    history.BILLING: "Billing system",
    invitations.INVITEE: "The invited person",
}


def _plan(details: dict[str, Any]) -> str:
    plan = catalog.PLANS.get(str(details.get("plan")))
    name = plan.name if plan else details.get("plan")
    return f"{name}, {details.get('billing_cycle')}, {details.get('seats')} seats"


def _changes(details: dict[str, Any]) -> str:
    before, after = details.get("before") or {}, details.get("after") or {}
    return "; ".join(
        f"{name.replace('_', ' ')} {before.get(name)} → {value}" for name, value in after.items()
    )


def _managed_by(origin: Any) -> str:
    return "you" if origin == "partner" else "the customer"


DESCRIPTIONS: dict[str, Callable[[dict[str, Any]], str]] = {
    history.CREATED: lambda d: f"Trial started, managed by {_managed_by(d.get('payment_origin'))}",
    history.UPDATED: lambda d: f"Details changed: {_changes(d)}",
    history.INVITED: lambda d: f"Invited {d.get('email')} ({d.get('role')})",
    history.RESENT: lambda d: f"Invitation sent again to {d.get('email')}",
    history.OFFER_CHANGED: lambda d: (
        f"Extra discount {d.get('before')}% → {d.get('extra_discount_percent')}%"
    ),
    history.TRIAL_EXTENDED: lambda d: (
        f"Trial extended by {d.get('days')} days: ends {d.get('after')} (was {d.get('before')})"
    ),
    history.SUBSCRIPTION_CREATED: lambda d: f"Subscription created: {_plan(d)}",
    history.SUBSCRIPTION_CHANGED: lambda d: f"Subscription changed: {_changes(d)}",
    history.SUBSCRIPTION_CLOSED: lambda d: f"Subscription closed: ends {d.get('ends_at')}",
    history.TRANSFERRED: lambda _: "Handed to the customer: they manage and pay the subscription now",
    history.OWNER_CHANGED: lambda d: f"Owner changed from {d.get('before')} to {d.get('after')}",
    history.BILLING_UPDATED: lambda _: "Payment method given (no card is charged here)",
    history.EXPIRED: lambda d: f"Expired ({str(d.get('reason', '')).replace('_', ' ')})",
    history.CONVERTED: lambda _: "Converted to a paid subscription",
    history.TRIAL_EXPIRING: lambda d: f"Reminder sent: the trial ends {d.get('trial_ends_at')}",
    history.INVITATION_ACCEPTED: lambda d: f"{d.get('email')} accepted the invitation (one seat)",
    history.PAYMENT_RECORDED: lambda d: (
        f"Customer paid {money(int(d.get('amount_cents', 0)))}; "
        f"your commission {money(int(d.get('commission_cents', 0)))}"
    ),
}


def actor_name(actor: str, partner_id: str) -> str:
    if actor == history.partner_actor(partner_id):
        return "You"
    return ACTORS.get(actor, actor)


def describe(entry: HistoryEntry) -> str:
    describe_one = DESCRIPTIONS.get(entry.action)
    if describe_one is None:  # an action added later still shows, plainly
        return entry.action.replace("_", " ").capitalize()
    return describe_one(entry.details)


def lines(entries: list[HistoryEntry], partner_id: str) -> list[dict[str, str]]:
    """Newest first: what changed last is what a partner looks for."""
    return [
        {
            "at": to_wire(entry.at),
            "action": entry.action,
            "who": actor_name(entry.actor, partner_id),
            "what": describe(entry),
        }
        for entry in reversed(entries)
    ]
