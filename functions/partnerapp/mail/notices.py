"""Render a lifecycle email (the trial reminder) for the customer or the partner."""

from __future__ import annotations

from partnerapp import catalog
from partnerapp.domain.licenses import License
from partnerapp.domain.notices import CUSTOMER, KINDS
from partnerapp.domain.timestamps import to_wire

# One Jinja environment for every email: the same autoescaping and strictness.
from partnerapp.mail.render import Email, _environment, from_partner, reply_to_partner


def render_notice(item: License, kind: str, audience: str, to: str, site_url: str) -> Email:
    if kind not in KINDS:
        raise ValueError(f"unknown notice kind {kind!r}")
    product = catalog.PRODUCTS[item.product]
    ends = to_wire(item.trial_ends_at)
    context = {
        "product_name": product.name,
        "product_code": item.product,
        "client_name": item.client_name,
        "license_id": item.license_id,
        "trial_ends": ends,
        "partner_managed": catalog.partner_manages(item.payment_origin),
        "commission_percent": catalog.PARTNER_COMMISSION_PERCENT,
        "site_url": site_url,
        **from_partner(item),
    }
    if audience == CUSTOMER:
        subject = f"Your {product.name} trial ends on {ends[:10]}"
    else:
        subject = (
            f"Trial ending on {ends[:10]}: {item.client_name} ({product.name}, license {item.license_id})"
        )
    env = _environment()
    name = f"{kind}_{audience}"
    return Email(
        to=to,
        subject=subject,
        text=env.get_template(f"{name}.txt.j2").render(context),
        html=env.get_template(f"{name}.html.j2").render(context),
        # The customer's replies go to their partner; the partner's own copy needs none.
        headers=reply_to_partner(item) if audience == CUSTOMER else (),
    )
