"""Render the email a partner gets at each change of a withdrawal: requested, paid, rejected.
Transactional (no opt-in, no unsubscribe link): it is about the partner's own money."""

from __future__ import annotations

from typing import Any

from partnerapp.domain.partners import Partner
from partnerapp.domain.withdrawals import PAID, PENDING, REJECTED
from partnerapp.mail.render import Email, _environment
from partnerapp.mail.summaries import dollars

KIND = "withdrawal"  # the summary-mail kind its email items carry (store/summaries.mail_values)
SUBJECTS = {
    PENDING: "Withdrawal {number} requested: {amount}",
    PAID: "Withdrawal {number} paid: {amount}",
    REJECTED: "Withdrawal {number} rejected: {amount} is available again",
}


def render_withdrawal(partner: Partner, figures: dict[str, Any], site_url: str) -> Email:
    """`figures`: withdrawal_id, status, amount_cents, invoice_id, as stored on its email item."""
    amount = dollars(figures["amount_cents"])
    context = {
        "contact_name": partner.contact_name,
        "number": figures["withdrawal_id"],
        "status": figures["status"],
        "amount": amount,
        "invoice_id": figures["invoice_id"],
        "site_url": site_url,
    }
    env = _environment()
    return Email(
        to=partner.contact_email,
        subject=SUBJECTS[figures["status"]].format(number=figures["withdrawal_id"], amount=amount),
        text=env.get_template("withdrawal.txt.j2").render(context),
        html=env.get_template("withdrawal.html.j2").render(context),
    )
