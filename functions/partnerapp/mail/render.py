"""Render an invitation or sign-in email (subject, text and HTML) from the templates beside
this module. Every template extends one layout per part (_layout.html.j2, _layout.txt.j2), and
each part says the same: the text part is the HTML part's words and links."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from partnerapp import catalog
from partnerapp.domain.addresses import as_stored
from partnerapp.domain.licenses import Invitation, License
from partnerapp.domain.text import shown
from partnerapp.domain.timestamps import to_wire


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    # Extra headers, such as List-Unsubscribe (EmailMessage refuses CR/LF in their values).
    headers: tuple[tuple[str, str], ...] = ()


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("partnerapp.mail", "templates"),
        # Names come from partners: the HTML part is autoescaped; the text part is plain
        # text, never rendered as HTML, so it is left as typed.
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Text stored before the door checked it: no control character reaches a part.
        finalize=shown,
    )


def from_partner(item: License) -> dict[str, str | None]:
    """Who set the trial up, for a customer's email: the templates name them when known."""
    return {"partner_name": item.partner_name, "reply_to": item.partner_email}


def reply_to_partner(item: License) -> tuple[tuple[str, str], ...]:
    """Replies to a customer's email reach the partner, not the program's sending address.
    None when the license predates keeping the partner's address: replies then go to From."""
    return (("Reply-To", as_stored(item.partner_email)),) if item.partner_email else ()


def render_invitation(item: License, invitation: Invitation, accept_url: str) -> Email:
    """`accept_url` is this email's own single-use link (see services.invitation_links)."""
    product = catalog.PRODUCTS[item.product]
    context = {
        "product_name": product.name,
        "client_name": item.client_name,
        "organization_name": item.organization_name,
        "is_client": invitation.is_client,
        "role": invitation.role,
        "trial_ends": to_wire(item.trial_ends_at),
        "data_center": catalog.DATA_CENTERS[item.data_center].label,
        "partner_managed": catalog.partner_manages(item.payment_origin),
        "accept_url": accept_url,
        "link_days": catalog.INVITATION_LINK_DAYS,
        "license_id": item.license_id,
        **from_partner(item),
    }
    subject = (
        f"Your {product.name} trial is ready"
        if invitation.is_client
        else f"You are invited to {product.name} as {invitation.role}"
    )
    env = _environment()
    return Email(
        to=invitation.email,
        subject=subject,
        text=env.get_template("invitation.txt.j2").render(context),
        html=env.get_template("invitation.html.j2").render(context),
        headers=reply_to_partner(item),
    )


def render_sign_in(to: str, contact_name: str, link: str, minutes: int) -> Email:
    """The one-time sign-in link a partner asked for on the help center's sign-in page."""
    context = {"contact_name": contact_name, "link": link, "minutes": minutes}
    env = _environment()
    return Email(
        to=to,
        subject="Your sign-in link for the partner help center",
        text=env.get_template("sign_in.txt.j2").render(context),
        html=env.get_template("sign_in.html.j2").render(context),
    )
