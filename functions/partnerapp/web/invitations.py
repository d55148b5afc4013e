"""The pages an invited person sees: the invitation with its confirm button, the welcome with
what to do next, and why a link no longer works. Written for the customer and their team,
not for partners: no partner navigation, the help center's styles only."""

from __future__ import annotations

from typing import Any

from partnerapp import catalog
from partnerapp.domain.licenses import Invitation, License
from partnerapp.domain.timestamps import to_wire
from partnerapp.web import pages


def _view(item: License, invitation: Invitation) -> dict[str, Any]:
    return {
        "product_name": catalog.PRODUCTS[item.product].name,
        "client_name": item.client_name,
        "email": invitation.email,
        "role": "owner" if invitation.is_client else invitation.role,
        "is_client": invitation.is_client,
        "partner_managed": catalog.partner_manages(item.payment_origin),
        "trial": item.status == "trial",
        "trial_ends": to_wire(item.trial_ends_at),
        "data_region": catalog.DATA_CENTERS[item.data_center].label,
    }


def next_steps(item: License, invitation: Invitation) -> list[str]:
    view = _view(item, invitation)
    product = view["product_name"]
    steps = [f"Sign in to {product} with this email address: {invitation.email}."]
    if invitation.is_client and view["partner_managed"]:
        steps.append(
            f"Your partner manages the {product} subscription for you: there is nothing to pay here."
        )
    elif invitation.is_client:
        ends = f" before {view['trial_ends']} UTC" if view["trial"] else ""
        steps.append(f"Add a payment method and choose a plan{ends} to keep {product} after the trial.")
    if invitation.role == "administrator" or invitation.is_client:
        steps.append(f"Set up {product} for your team: your website, your channels, who answers what.")
    steps.append(f"Your data is kept in the {view['data_region']} data region.")
    return steps


def _render(**context: Any) -> str:
    return pages.environment().get_template("invitation.html.j2").render(**context)


def invitation_page(item: License, invitation: Invitation, token: str) -> str:
    return _render(state="open", token=token, **_view(item, invitation))


def accepted_page(item: License, invitation: Invitation, already: bool) -> str:
    return _render(state="already" if already else "accepted", steps=next_steps(item, invitation),
                   **_view(item, invitation))  # fmt: skip


PROBLEMS = {
    "not_valid": (
        "This invitation link does not work",
        "It may have been replaced by a newer invitation email: use the link in the most recent one, "
        "or ask whoever invited you to send the invitation again.",
    ),
    "expired": (
        "This invitation link has expired",
        f"Invitation links work for {catalog.INVITATION_LINK_DAYS} days. "
        "Ask whoever invited you to send the invitation again.",
    ),
    "ended": (
        "This license has ended",
        "The trial or subscription this invitation was for is over. Ask whoever invited you about it.",
    ),
}


def problem_page(problem: str) -> str:
    heading, text = PROBLEMS[problem]
    return _render(state="problem", heading=heading, text=text)
