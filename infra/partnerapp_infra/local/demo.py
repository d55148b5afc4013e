"""The demo partner the dev server seeds, so a fresh clone has someone to act as."""

from __future__ import annotations

from partnerapp.domain.timestamps import utc_now
from partnerapp.settings import get_settings
from partnerapp.store.partners import PartnerRepository

DEMO_LOGIN = "demo@partner.example"
DEMO_NAME = "Demo Partner"


def seed_demo_partner(token: str | None) -> tuple[str, str | None]:
    """(partner_id, token); the token is None when the given one was already issued."""
    partners = PartnerRepository(get_settings())
    partner = partners.find_by_login(DEMO_LOGIN) or partners.create(DEMO_LOGIN, DEMO_NAME, utc_now())
    if token and partners.partner_for_token(token) == partner.partner_id:
        return partner.partner_id, token
    _, secret = partners.issue_token(partner, "demo", utc_now(), secret=token)
    return partner.partner_id, secret
