"""The license page's forms on the wire: each form's fields loaded by the API's own schema
and turned into the same domain change the API route makes, or errors named by the form's
fields (and, for what is about no one field, by the page section the form is in)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from marshmallow import Schema, ValidationError

from partnerapp.domain import management
from partnerapp.domain.addresses import as_stored
from partnerapp.domain.errors import Conflict, DomainError
from partnerapp.domain.licenses import License, Operator
from partnerapp.schemas import management as schemas
from partnerapp.schemas.licenses import OperatorSchema
from partnerapp.web import forms, messages, rules
from partnerapp.web.license_view import sentence

Change = Callable[[License, datetime], management.Outcome]
STALE = (
    "The license changed since this page was shown (another tab, a double click or a scheduled "
    "update): check it as it is now and try again."
)
CONFIRM_TRANSFER = "Tick the box to confirm: the transfer cannot be undone."
# Why add_operators refused one operator, by the status code the API would answer for it.
REFUSED_OPERATOR = {
    409: "Already invited to this license.",
    403: f"A license can have at most {management.MAX_OPERATORS_PER_LICENSE} invited users.",
}


class InvalidForm(Exception):
    """The form cannot be applied as typed: messages per field (or section)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("invalid form")
        self.errors = errors


@dataclass(frozen=True)
class Posted:
    """A form as posted: the first value of each field, and its invited-user rows."""

    values: dict[str, str]
    submission: forms.Submission = field(repr=False)

    @classmethod
    def parse(cls, encoded: str) -> Posted:
        values: dict[str, str] = {}
        for name, value in parse_qsl(encoded, keep_blank_values=True):
            values.setdefault(name, value.strip())
        return cls(values, forms.from_form(encoded))


@dataclass(frozen=True)
class Action:
    name: str  # the notice shown once it is done
    section: str  # the page section its form is in
    fields: tuple[str, ...]
    build: Callable[[Posted, str], Change]  # (form, actor) -> the domain change

    def errors(self, messages: Any, posted: Posted) -> dict[str, list[str]]:
        """Messages keyed by the form's own fields; anything else goes to the section."""
        named: dict[str, list[str]] = {}
        for key, texts in forms.field_errors(messages, posted.submission).items():
            own = key in self.fields or key.startswith("operators-")
            named.setdefault(key if own else self.section, []).extend(texts)
        return named

    def typed(self, posted: Posted) -> dict[str, str]:
        return {k: v for k, v in posted.values.items() if k in self.fields}


def _whole_number(text: str) -> int | str:
    """Digits become a number; anything else stays text for the schema to refuse by name."""
    return int(text) if text.isdigit() and len(text) < 7 else text


def _load(schema: type[Schema], body: dict[str, Any]) -> dict[str, Any]:
    try:
        return schema().load(body)  # type: ignore[no-any-return]
    except ValidationError as error:
        raise InvalidForm(_friendly(schema, body, error.normalized_messages())) from None


def _friendly(schema: type[Schema], body: dict[str, Any], found: Any) -> dict[str, list[str]]:
    """The schema's messages in the words every form uses (web.messages), by form field."""
    document = {
        "fields": rules.schema_rules(schema()),
        "operator_fields": rules.schema_rules(OperatorSchema()),
        "products": {},
    }
    errors = forms.field_errors(found)
    typed = forms.typed_values(forms.Submission(product="", body=body, honeypot_filled=False))
    return messages.friendly_errors(
        errors, typed, forms.rules_by_field(document, list(errors)), forms.label_of
    )


def _numbers(posted: Posted, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: _whole_number(posted.values[n]) for n in names if posted.values.get(n)}


def _invite(posted: Posted, actor: str) -> Change:
    if not posted.submission.body.get("operators"):
        raise InvalidForm({"operators-0-email": ["Enter the email of at least one user."]})
    data = _load(schemas.OperatorsSchema, {"operators": posted.submission.body.get("operators", [])})
    operators = [Operator(o["email"], o["role"]) for o in data["operators"]]
    rows = posted.submission.operator_row_of

    def invite(item: License, now: datetime) -> management.Outcome:
        outcome = management.add_operators(item, operators, actor, now)
        # A form is all or nothing: a refused row is marked and no one is invited.
        refused = {
            f"operators-{rows[n]}-email": [REFUSED_OPERATOR[r["status_code"]]]
            for n, r in enumerate(outcome.result)
            if r["status_code"] in REFUSED_OPERATOR
        }
        if refused:
            raise Conflict("Some users cannot be invited.", refused)
        return outcome

    return invite


def _resend(posted: Posted, actor: str) -> Change:
    email = as_stored(posted.values.get("email", ""))
    return lambda item, now: management.resend_invitation(item, email, actor, now)


def _extend_trial(posted: Posted, actor: str) -> Change:
    if not posted.values.get("extend_trial_days"):
        raise InvalidForm({"extend_trial_days": ["Enter a number of days."]})
    days = _load(schemas.OfferSchema, _numbers(posted, ("extend_trial_days",)))["extend_trial_days"]
    return lambda item, now: management.customize_offer(item, None, days, actor, now)


def _discount(posted: Posted, actor: str) -> Change:
    if not posted.values.get("extra_discount_percent"):
        raise InvalidForm({"extra_discount_percent": ["Enter a percentage, 0 for none."]})
    data = _load(schemas.OfferSchema, _numbers(posted, ("extra_discount_percent",)))
    return lambda item, now: management.customize_offer(
        item, data["extra_discount_percent"], None, actor, now
    )


def _subscription_body(posted: Posted) -> dict[str, Any]:
    body: dict[str, Any] = {n: posted.values[n] for n in ("plan", "billing_cycle") if posted.values.get(n)}
    return body | _numbers(posted, ("seats",))


def _create_subscription(posted: Posted, actor: str) -> Change:
    data = _load(schemas.SubscriptionSchema, _subscription_body(posted))
    return lambda item, now: management.create_subscription(
        item, data["plan"], data["billing_cycle"], data["seats"], actor, now
    )


def _change_subscription(posted: Posted, actor: str) -> Change:
    changes = _load(schemas.SubscriptionChangeSchema, _subscription_body(posted))
    return lambda item, now: management.change_subscription(item, changes, actor, now)


EXPIRE_CHOICES = {"true": True, "false": False}  # the API's `expire`: at once, or at the cycle's end


def _close_subscription(posted: Posted, actor: str) -> Change:
    # The signed-in session is the proof here; the API's `password` check is for tokens.
    chosen = posted.values.get("expire") or "false"
    if chosen not in EXPIRE_CHOICES:
        raise InvalidForm({"expire": ["Choose when the subscription ends."]})
    return lambda item, now: management.close_subscription(item, EXPIRE_CHOICES[chosen], actor, now)


def _transfer(posted: Posted, actor: str) -> Change:
    if posted.values.get("confirm") != "yes":
        raise InvalidForm({"confirm": [CONFIRM_TRANSFER]})
    # The form's select starts at the current owner; a post without it keeps that owner.
    chosen = posted.values.get("new_owner")
    new_owner = _load(schemas.TransferSchema, {"new_owner": chosen})["new_owner"] if chosen else None
    return lambda item, now: management.transfer_to_client(item, actor, now, new_owner)


SUBSCRIPTION_FIELDS = ("plan", "billing_cycle", "seats")
ACTIONS = {
    action.name: action
    for action in (
        Action("invited", "invite", (), _invite),  # its rows are `operators-<row>-email|role`
        Action("resent", "invitations", (), _resend),
        Action("trial_extended", "trial", ("extend_trial_days",), _extend_trial),
        Action("offer_changed", "discount", ("extra_discount_percent",), _discount),
        Action("subscription_created", "subscription", SUBSCRIPTION_FIELDS, _create_subscription),
        Action("subscription_changed", "subscription", SUBSCRIPTION_FIELDS, _change_subscription),
        Action("subscription_closed", "subscription", ("expire",), _close_subscription),
        Action("transferred", "transfer", ("confirm", "new_owner"), _transfer),
    )
}


def unless_stale(change: Change, version: str) -> Change:
    """Apply `change` only to the license as the page showed it (its `version`): a double
    click or a page left open while something else changed the license changes nothing."""

    def apply(item: License, now: datetime) -> management.Outcome:
        if str(item.version) != version:
            raise Conflict(STALE)
        return change(item, now)

    return apply


def refused(action: Action, error: DomainError, posted: Posted) -> dict[str, list[str]]:
    """A rule's refusal, next to the field it names or at the top of the form's section."""
    named = action.errors(error.fields or {"_schema": [error.message]}, posted)
    return {key: [sentence(text) for text in texts] for key, texts in named.items()}
