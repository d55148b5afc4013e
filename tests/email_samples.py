"""One rendered email of every kind the system sends (and each kind's variants), for the tests
that hold every email to the same rules: text and HTML parts alike, valid HTML, 320 px."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from partnerapp import catalog
from partnerapp.domain.licenses import License, NewLicense, Operator, start_trial
from partnerapp.domain.notices import CUSTOMER, PARTNER, TRIAL_EXPIRING
from partnerapp.domain.partners import Partner
from partnerapp.domain.summaries import MONTHLY, NOTICES, WEEKLY
from partnerapp.mail.notices import render_notice
from partnerapp.mail.render import Email, render_invitation, render_sign_in
from partnerapp.mail.summaries import render_summary
from partnerapp.mail.withdrawals import render_withdrawal

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
SITE = "https://partners.example.com"
AGENCY = "Acme Agency"
AGENCY_ADDRESS = "hello@acme-agency.example"
ACCEPT = f"{SITE}/web/invitations/accept?token=123456781.0.secret"
UNSUBSCRIBE = f"{SITE}/web/unsubscribe?token=abc&kind=weekly"
PARTNER_ACCOUNT = Partner("p1", "agency@partner.example", "Agency One", "agency@partner.example", NOW)


def trial(product: str = "livechat", payment_origin: str = "partner", *, by_agency: bool = True) -> License:
    """A trial with the customer's invitation and, where the rules allow one, an agent's."""
    agents = (Operator("agent@globex.example", "agent"),)
    request = NewLicense(
        product,
        "Globex Corporation",
        "owner@globex.example",
        payment_origin,
        "us-south1",
        operators=agents if catalog.can_invite_operators(product, payment_origin) else (),
    )
    item = start_trial("p1", request, 123456781, NOW)
    if by_agency:
        item = replace(item, partner_name=AGENCY, partner_email=AGENCY_ADDRESS)
    return item


def invitations() -> dict[str, Email]:
    managed, own, anonymous = trial(), trial("chatbot", "client"), trial(by_agency=False)
    # Names without a space, wider than a phone: they must wrap, not widen the email.
    long_names = replace(managed, client_name="Globex" * 12, partner_name="AcmeAgency" * 8)
    return {
        "invitation_partner_managed": render_invitation(managed, managed.invitations[0], ACCEPT),
        "invitation_customer_managed": render_invitation(own, own.invitations[0], ACCEPT),
        "invitation_operator": render_invitation(managed, managed.invitations[1], ACCEPT),
        "invitation_no_partner_record": render_invitation(anonymous, anonymous.invitations[0], ACCEPT),
        "invitation_long_names": render_invitation(long_names, long_names.invitations[0], ACCEPT),
    }


def notices() -> dict[str, Email]:
    emails = {}
    for origin in ("partner", "client"):
        item = trial(payment_origin=origin)
        emails[f"trial_expiring_customer_{origin}"] = render_notice(
            item, TRIAL_EXPIRING, CUSTOMER, item.client_email, SITE
        )
        emails[f"trial_expiring_partner_{origin}"] = render_notice(
            item, TRIAL_EXPIRING, PARTNER, AGENCY_ADDRESS, SITE
        )
    return emails


WEEKLY_FIGURES = {
    "trials_started": 3,
    "conversions": 1,
    "seats_used": 7,
    "trials_ending_total": 2,
    "trials_ending_by_day": [{"day": "2026-12-01", "count": 2, "product": "livechat"}],
}
MONTHLY_FIGURES = {
    "total_cents": 3460,
    "commission_cents": 1000,
    "savings_cents": 2460,
    "products": {"livechat": {"commission_cents": 1000, "savings_cents": 2460}},
}
NOTICE_FIGURES = {
    "converted": [{"product": "livechat", "license_id": 123456781}],
    "bounced": [{"product": "chatbot", "license_id": 123456782, "role": "agent"}],
}


def summaries() -> dict[str, Email]:
    quiet_week = {**WEEKLY_FIGURES, "trials_ending_total": 0, "trials_ending_by_day": []}
    quiet_month = {**MONTHLY_FIGURES, "products": {}}
    cases = {
        "summary_weekly": (WEEKLY, "2026-W48", WEEKLY_FIGURES),
        "summary_weekly_quiet": (WEEKLY, "2026-W48", quiet_week),
        "summary_monthly": (MONTHLY, "2026-11", MONTHLY_FIGURES),
        "summary_monthly_quiet": (MONTHLY, "2026-11", quiet_month),
        "summary_notifications": (NOTICES, "2026-11-26T12", NOTICE_FIGURES),
    }
    return {
        name: render_summary(PARTNER_ACCOUNT, kind, period, figures, SITE, UNSUBSCRIBE)
        for name, (kind, period, figures) in cases.items()
    }


def withdrawals() -> dict[str, Email]:
    return {
        f"withdrawal_{status}": render_withdrawal(
            PARTNER_ACCOUNT,
            {"withdrawal_id": 4, "status": status, "amount_cents": 12500, "invoice_id": "INV-4"},
            SITE,
        )
        for status in ("pending", "paid", "rejected")
    }


def every_email() -> dict[str, Email]:
    sign_in = render_sign_in(
        "agency@partner.example", "Agency One", f"{SITE}/web/sign-in/confirm?token=abc", 15
    )
    return {**invitations(), "sign_in": sign_in, **notices(), **summaries(), **withdrawals()}


# What each template is the email of: every template must have a sample here.
TEMPLATES = {
    "invitation": "invitation_partner_managed",
    "sign_in": "sign_in",
    "trial_expiring_customer": "trial_expiring_customer_partner",
    "trial_expiring_partner": "trial_expiring_partner_partner",
    "summary_weekly": "summary_weekly",
    "summary_monthly": "summary_monthly",
    "summary_notifications": "summary_notifications",
    "withdrawal": "withdrawal_paid",
}
