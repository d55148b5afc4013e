"""The license page: details, invitations, offer, subscription, transfer and history, with
each action's form where the rules allow it and the rule's reason where they do not.

What is allowed is asked of the domain itself: each change is tried on the license as read
(the rules are pure functions; nothing is written), so the page and the API cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from partnerapp import catalog
from partnerapp.domain import management
from partnerapp.domain.errors import DomainError
from partnerapp.domain.history import HistoryEntry, partner_actor
from partnerapp.domain.licenses import License
from partnerapp.domain.partners import Partner
from partnerapp.domain.timestamps import to_wire
from partnerapp.web import forms, license_history, pages
from partnerapp.web.earnings import money
from partnerapp.web.license_list import STATUS_NAMES

Attempt = Callable[[License, datetime], Any]  # a rule of domain.management, tried on a license

# What each field and section is called in the error summary.
LABELS = {
    "invite": "Invite users",
    "invitations": "Invitations",
    "trial": "Trial extension",
    "extend_trial_days": "Extend the trial by",
    "discount": "Extra discount",
    "extra_discount_percent": "Extra discount",
    "subscription": "Subscription",
    "plan": "Plan",
    "billing_cycle": "Billing cycle",
    "seats": "Seats",
    "expire": "When the subscription ends",
    "transfer": "Transfer to the customer",
    "confirm": "Confirm the transfer",
    "_form": "This license",
}

MANAGED_BY = {
    True: "You (partner-managed): you pay the invoices; the customer does not see the subscription.",
    False: "The customer (customer-managed): they see and pay the subscription.",
}

# After an action, the page says what happened (the redirect names it; nothing else is carried).
NOTICES: dict[str, Callable[[License], str]] = {
    "created": lambda item: "License created. The customer gets an invitation email within a minute.",
    "invited": lambda item: "Invitations queued: each invited user gets an email within a minute.",
    "resent": lambda item: "Invitation queued again: a new email goes out within a minute.",
    "trial_extended": lambda item: f"Trial extended: it now ends {to_wire(item.trial_ends_at)} UTC.",
    "offer_changed": lambda item: (
        f"Offer saved: your discount on this license is now {item.discount_percent}%."
    ),
    "subscription_created": lambda item: "Subscription created.",
    "subscription_changed": lambda item: "Subscription changed.",
    "subscription_closed": lambda item: "Subscription closed.",
    "transferred": lambda item: "Transferred: the customer manages and pays the subscription from now on.",
    "unchanged": lambda item: "Nothing changed: the license already had those values.",
}


@dataclass
class Problem:
    """What went wrong with an action: messages per field or section, and what was typed."""

    errors: dict[str, list[str]]
    values: dict[str, str] = field(default_factory=dict)
    operator_rows: list[dict[str, str]] = field(default_factory=list)


def sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def refusal(change: Attempt, item: License, now: datetime) -> str | None:
    """Why the rules refuse `change` on `item` as it is, or None when they allow it."""
    try:
        change(item, now)
    except DomainError as error:
        return sentence(error.message)
    return None


def permissions(item: License, actor: str, now: datetime) -> dict[str, str | None]:
    """Each action of the page: None where allowed, else the rule's reason."""
    first_plan, first_cycle = next(iter(catalog.PLANS)), next(iter(catalog.BILLING_CYCLES))
    checks: dict[str, Attempt] = {
        "invite": lambda i, n: management.add_operators(i, [], actor, n),
        "offer": lambda i, n: management.customize_offer(i, None, None, actor, n),
        "extend_trial": lambda i, n: management.customize_offer(i, None, 1, actor, n),
        "create_subscription": lambda i, n: management.create_subscription(
            i, first_plan, first_cycle, 1, actor, n
        ),
        "change_subscription": lambda i, n: management.change_subscription(i, {}, actor, n),
        "transfer": lambda i, n: management.transfer_to_client(i, actor, n, i.owner),
    }
    return {name: refusal(check, item, now) for name, check in checks.items()}


def _resendable(item: License, email: str, actor: str, now: datetime) -> bool:
    def resend(lic: License, at: datetime) -> Any:
        return management.resend_invitation(lic, email, actor, at)

    return refusal(resend, item, now) is None


def _invitations(item: License, actor: str, now: datetime) -> list[dict[str, Any]]:
    # The customer's own invitation has no resend in the API either: only invited users'.
    return [
        {
            "email": invite.email,
            "role": "owner (customer)" if invite.is_client else invite.role,
            "status": invite.status,
            "resendable": not invite.is_client and _resendable(item, invite.email, actor, now),
        }
        for invite in item.invitations
    ]


def _subscription(item: License) -> dict[str, Any] | None:
    # A customer-managed subscription is the customer's: the partner is shown none of it.
    if item.subscription is None or not catalog.partner_manages(item.payment_origin):
        return None
    sub = item.subscription
    period = "month" if sub.billing_cycle == "monthly" else "year"
    return {
        "plan": sub.plan,
        "plan_name": catalog.PLANS[sub.plan].name,
        "billing_cycle": sub.billing_cycle,
        "seats": sub.seats,
        "price": f"{money(catalog.plan_price_cents(sub.plan, sub.billing_cycle))} per seat per {period}",
        "started": to_wire(sub.started_at),
        "ends": to_wire(sub.ends_at) if sub.ends_at else None,
    }


def _details(item: License) -> dict[str, Any]:
    partner_managed = catalog.partner_manages(item.payment_origin)
    return {
        "license_id": item.license_id,
        "product": item.product,
        "product_name": catalog.PRODUCTS[item.product].name,
        "status": STATUS_NAMES.get(item.status, item.status),
        "status_code": item.status,
        "client_name": item.client_name,
        "client_email": item.client_email,
        "owner": item.owner,
        "organization_name": item.organization_name,
        "identifier": item.identifier,
        "purchase_order": item.purchase_order,
        "partner_managed": partner_managed,
        "managed_by": MANAGED_BY[partner_managed],
        "earnings": f"{item.discount_percent}% discount on every invoice, for the life of the license"
        if partner_managed
        else f"{item.commission_percent}% recurring commission on the customer's payments",
        "data_region": catalog.DATA_CENTERS[item.data_center].label,
        "created": to_wire(item.created_at),
        "trial_ends": to_wire(item.trial_ends_at),
        "converted": to_wire(item.conversion_timestamp) if item.conversion_timestamp else None,
        "seats_used": item.seats_used,
        # The users the partner invited (not the customer): "they get an email too" only if any.
        "invited_users": sum(1 for invite in item.invitations if not invite.is_client),
        "extra_discount_percent": item.extra_discount_percent,
        "version": item.version,
    }


def _summary(errors: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The error summary's links: each to the field (or section) its message is about."""
    return [
        (f"#{name}", f"{LABELS.get(name) or forms.label_of(name)}: {' '.join(messages)}")
        for name, messages in errors.items()
    ]


def license_page(
    partner: Partner,
    item: License,
    entries: list[HistoryEntry],
    now: datetime,
    *,
    notice: str | None = None,
    problem: Problem | None = None,
) -> str:
    actor = partner_actor(partner.partner_id)
    problem = problem or Problem({})
    show_notice = NOTICES.get(notice or "")
    return (
        pages.environment()
        .get_template("license.html.j2")
        .render(
            title=f"{catalog.PRODUCTS[item.product].name} license {item.license_id}",
            description="A license: details, invitations, offer, subscription and history.",
            current="",
            partner=partner,
            item=_details(item),
            notice=show_notice(item) if show_notice else None,
            next_steps=notice == "created",
            allowed=permissions(item, actor, now),
            days_left=management.trial_days_left(item),
            max_trial_days=catalog.MAX_TRIAL_DAYS_WITH_EXTENSIONS,
            max_extra_discount=catalog.MAX_EXTRA_DISCOUNT_PERCENT,
            base_discount=catalog.PARTNER_DISCOUNT_PERCENT,
            commission_percent=catalog.PARTNER_COMMISSION_PERCENT,
            invitations=_invitations(item, actor, now),
            subscription=_subscription(item),
            plans=[(code, plan.name) for code, plan in catalog.PLANS.items()],
            # Who may own the license after a transfer: its people (the docs' `new_owner`).
            people=[(i.email, i.email) for i in item.invitations],
            cycles=[(cycle, cycle.capitalize()) for cycle in catalog.BILLING_CYCLES],
            roles=catalog.OPERATOR_ROLES,
            history=license_history.lines(entries, partner.partner_id),
            errors=problem.errors,
            summary=_summary(problem.errors),
            values=problem.values,
            operator_rows=forms.blank_operator_rows(problem.operator_rows),
        )
    )
