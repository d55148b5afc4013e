"""The account pages the API renders for the signed-in partner: API tokens (list, create,
revoke) and the profile with its opt-ins."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from marshmallow import Schema

from partnerapp.domain.errors import Conflict
from partnerapp.domain.partners import (
    MONTHLY_SUMMARY,
    NEWSLETTER,
    NOTIFICATIONS,
    OPT_INS,
    WEEKLY_SUMMARY,
    ApiToken,
    Partner,
)
from partnerapp.schemas.partners import CreateTokenSchema
from partnerapp.store.partners import PROFILE_FIELDS
from partnerapp.web import forms, messages, pages, rules

OPT_IN_CHOICES = [
    (
        WEEKLY_SUMMARY,
        "Weekly reseller summary",
        "Mondays: trials started, trials ending within 7 days, conversions and seats used.",
    ),
    (MONTHLY_SUMMARY, "Monthly summary", "On the 1st: last month's commission and savings per product."),
    (NOTIFICATIONS, "Notifications", "Within the hour: a trial converted, an invitation bounced."),
    (
        NEWSLETTER,
        "Newsletter",
        "Kept with your profile as the Text API does; this help center sends no newsletter.",
    ),
]
# The form's labels, for the error summary (the schema's names are the fields' names).
forms.LABELS.update(
    {
        "label": "Label",
        "first_name": "First name",
        "last_name": "Last name",
        "contact_name": "Contact name",
        "contact_email": "Contact email",
        "version": "Profile",
    }
)


def schema_errors(schema: Schema, found: dict[str, Any], typed: dict[str, Any]) -> dict[str, list[str]]:
    """A schema's refusal (marshmallow's messages) as the form shows it: by field, in the
    words web.messages gives every form, with or without JavaScript."""
    errors = forms.field_errors(found)
    shown = {name: str(value) for name, value in typed.items() if isinstance(value, str)}
    return messages.friendly_errors(errors, shown, rules.schema_rules(schema), forms.label_of)


def token_label_rule() -> dict[str, Any]:
    """The label's limits as the API's schema states them (the hint and the input use them)."""
    return rules.field_rules(CreateTokenSchema().fields["label"])


def token_label_hint() -> str:
    rule = token_label_rule()
    limits = f"{rule['min_length']} to {rule['max_length']} characters"
    return f"What uses the token, such as “CRM sync”: {limits}."


def token_refusal(refused: Conflict, label: str) -> dict[str, list[str]]:
    """Why the store refused a token, at the label field (the only one the form has)."""
    if "label" in refused.fields:
        taken = f"You already have a token labelled “{label.strip()}” (in any case): choose another label."
        return {"label": [taken]}
    return {"label": [refused.message]}


def tokens_page(
    partner: Partner,
    tokens: list[ApiToken],
    site_url: str,
    *,
    errors: dict[str, list[str]] | None = None,
    values: dict[str, str] | None = None,
    created: dict[str, str] | None = None,
    notice: str | None = None,
) -> str:
    return pages.render(
        "tokens.html.j2",
        title="API tokens",
        description="Create and revoke the API tokens your scripts use.",
        current="/web/tokens",
        partner=partner,
        tokens=tokens,
        errors=errors or {},
        values=values or {},
        created=created,
        notice=notice,
        site_url=site_url,
        label_rule=token_label_rule(),
        label_hint=token_label_hint(),
    )


def revoke_page(partner: Partner, token: ApiToken) -> str:
    return pages.render(
        "token_revoke.html.j2",
        title=f"Revoke the token {token.label}",
        description="Confirm revoking an API token.",
        current="/web/tokens",
        partner=partner,
        token=token,
    )


def profile_values(partner: Partner) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(partner, name) for name in PROFILE_FIELDS}
    values.update({name: partner.opted_in(name) for name in OPT_INS})
    return values


def required_profile_fields(partner: Partner) -> tuple[str, ...]:
    """The profile's text fields the form requires: those the profile has a value for. A
    field it never had (an account made with names empty) may stay empty, so saving an opt-in
    alone works; one it has cannot be emptied, and whatever is typed is checked."""
    return tuple(name for name in PROFILE_FIELDS if getattr(partner, name))


def optional_profile_fields(partner: Partner) -> tuple[str, ...]:
    """What the schema loads as `partial` for this partner's form (see required_profile_fields)."""
    required = required_profile_fields(partner)
    return tuple(name for name in PROFILE_FIELDS if name not in required)


def profile_page(
    partner: Partner,
    values: dict[str, Any],
    *,
    errors: dict[str, list[str]] | None = None,
    notice: str | None = None,
) -> str:
    return pages.render(
        "profile.html.j2",
        title="Your profile",
        description="Your partner profile and the emails you want.",
        current="/web/profile",
        partner=partner,
        values=values,
        errors=errors or {},
        notice=notice,
        version=partner.version,
        opt_ins=OPT_IN_CHOICES,
        required=required_profile_fields(partner),
    )


def profile_submission(encoded: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    """(the body for UpdateProfileSchema, what to show again, the version posted).

    A checkbox left unticked is not posted at all, so each opt-in is false unless it is; a
    blank text field is left out, so the schema names it as missing."""
    typed: dict[str, str] = {}
    for name, value in parse_qsl(encoded, keep_blank_values=True):
        typed.setdefault(name, value)
    body: dict[str, Any] = {n: typed[n] for n in PROFILE_FIELDS if typed.get(n, "").strip()}
    body.update({name: typed.get(name) == "true" for name in OPT_INS})
    shown: dict[str, Any] = {n: typed.get(n, "") for n in PROFILE_FIELDS}
    shown.update({name: body[name] for name in OPT_INS})
    return body, shown, typed.get("version", "")
