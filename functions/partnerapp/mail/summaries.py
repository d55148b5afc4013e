"""Render the summaries a partner opts into (weekly, monthly, notifications), each with its
one-click unsubscribe link in the body and in the List-Unsubscribe headers (RFC 8058)."""

from __future__ import annotations

from typing import Any

from partnerapp import catalog
from partnerapp.domain.partners import Partner
from partnerapp.domain.summaries import MONTHLY, NOTICES, WEEKLY
from partnerapp.mail.render import Email, _environment

SUBJECTS = {
    WEEKLY: "Your weekly reseller summary, week {period}",
    MONTHLY: "Your monthly summary, {period}",
    NOTICES: "Your licenses: {what}",
}
WHAT = {WEEKLY: "weekly reseller summary", MONTHLY: "monthly summary", NOTICES: "notifications"}


def dollars(cents: int) -> str:
    whole, rest = divmod(cents, 100)
    return f"${whole:,}.{rest:02d}"


def _notice_subject(figures: dict[str, Any]) -> str:
    parts = []
    if figures.get("converted"):
        parts.append(f"{len(figures['converted'])} trial(s) converted")
    if figures.get("bounced"):
        parts.append(f"{len(figures['bounced'])} invitation(s) bounced")
    return ", ".join(parts)


def render_summary(
    partner: Partner, kind: str, period: str, figures: dict[str, Any], site_url: str, unsubscribe_url: str
) -> Email:
    subject = SUBJECTS[kind].format(period=period, what=_notice_subject(figures))
    context = {
        "contact_name": partner.contact_name,
        "period": period,
        "figures": figures,
        "site_url": site_url,
        "unsubscribe_url": unsubscribe_url,
        "what": WHAT[kind],
        "product_names": {code: p.name for code, p in catalog.PRODUCTS.items()},
        "dollars": dollars,
    }
    env = _environment()
    return Email(
        to=partner.contact_email,
        subject=subject,
        text=env.get_template(f"summary_{kind}.txt.j2").render(context),
        html=env.get_template(f"summary_{kind}.html.j2").render(context),
        headers=(
            ("List-Unsubscribe", f"<{unsubscribe_url}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ),
    )
