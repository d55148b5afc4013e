"""The create-license form on the wire: a browser's form-encoded or JSON submission turned
into the body the API's create schema loads, and the schema's errors turned back into the
names of the form's fields.

Field names: the schema's own (`client_name` ...), operators as `operators-<row>-email` and
`operators-<row>-role`, the product as `product`, and the honeypot `website`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from partnerapp import catalog

HONEYPOT = "website"
# Rows for invited users when the page has no JavaScript to add more.
BLANK_OPERATOR_ROWS = 3
MAX_OPERATOR_ROWS = 20
TEXT_FIELDS = (
    "client_name",
    "client_email",
    "payment_origin",
    "data_center",
    "identifier",
    "purchase_order",
    "organization_name",
)
LABELS = {
    "product": "Product",
    "payment_origin": "Who manages the subscription",
    "client_name": "Customer name",
    "client_email": "Customer email",
    "organization_name": "Organization name",
    "identifier": "Customer identifier",
    "purchase_order": "Purchase order",
    "data_center": "Data region",
    "trial_duration": "Trial length",
    "operators": "Invited users",
    "email": "Email",
    "role": "Role",
}
_OPERATOR_FIELD = re.compile(r"^operators-(\d{1,2})-(email|role)$")


@dataclass
class Submission:
    """One submission: what the schema loads, and what the partner typed (to show again)."""

    product: str
    body: dict[str, Any]
    honeypot_filled: bool
    values: dict[str, str] = field(default_factory=dict)
    operator_rows: list[dict[str, str]] = field(default_factory=list)
    # body["operators"][i] came from form row operator_row_of[i] (blank rows are skipped).
    operator_row_of: list[int] = field(default_factory=list)


def from_form(encoded: str) -> Submission:
    typed: dict[str, str] = {}
    for name, value in parse_qsl(encoded, keep_blank_values=True):
        typed.setdefault(name, value)  # the first of a repeated field counts
    body: dict[str, Any] = {name: typed[name].strip() for name in TEXT_FIELDS if typed.get(name, "").strip()}
    trial = typed.get("trial_duration", "").strip()
    if trial:
        body["trial_duration"] = int(trial) if trial.isdigit() and len(trial) < 6 else trial
    rows = _operator_rows(typed)
    filled = [index for index, row in enumerate(rows) if row["email"].strip()]
    if filled:
        body["operators"] = [{"email": rows[i]["email"].strip(), "role": rows[i]["role"]} for i in filled]
    return Submission(
        product=typed.get("product", ""),
        body=body,
        honeypot_filled=bool(typed.get(HONEYPOT, "").strip()),
        values={k: v for k, v in typed.items() if not k.startswith("operators-")},
        operator_rows=rows,
        operator_row_of=filled,
    )


def _operator_rows(typed: dict[str, str]) -> list[dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    for name, value in typed.items():
        match = _OPERATOR_FIELD.match(name)
        if match and int(match[1]) < MAX_OPERATOR_ROWS:
            found.setdefault(int(match[1]), {"email": "", "role": ""})[match[2]] = value
    last = max(found, default=-1)
    return [found.get(row, {"email": "", "role": ""}) for row in range(last + 1)]


def from_json(data: Any) -> Submission:
    """A JSON submission from the page's script: the schema's body plus product and honeypot."""
    body = dict(data) if isinstance(data, dict) else {}
    product = body.pop("product", "")
    honeypot = body.pop(HONEYPOT, "")
    submission = Submission(
        product=product if isinstance(product, str) else "",
        body=body if isinstance(data, dict) else data,
        honeypot_filled=bool(isinstance(honeypot, str) and honeypot.strip()),
    )
    return submission


def product_errors(product: str) -> dict[str, list[str]]:
    if catalog.product(product) is None:
        names = " or ".join(item.name for item in catalog.PRODUCTS.values())
        return {"product": [f"Choose {names}."]}
    return {}


def field_errors(messages: Any, submission: Submission | None = None) -> dict[str, list[str]]:
    """marshmallow's nested messages as `{form field name: [message, ...]}`.

    `{"operators": {0: {"email": [...]}}}` becomes `operators-<row>-email`, with the row the
    partner typed it in; anything not about one field lands under `_form`."""
    flat: dict[str, list[str]] = {}
    _flatten(messages, "", flat)
    if submission is None:
        return flat
    renamed: dict[str, list[str]] = {}
    for name, texts in flat.items():
        match = re.match(r"^operators-(\d+)-(.+)$", name)
        if match and int(match[1]) < len(submission.operator_row_of):
            name = f"operators-{submission.operator_row_of[int(match[1])]}-{match[2]}"
        renamed.setdefault(name, []).extend(texts)
    return renamed


def _flatten(messages: Any, prefix: str, into: dict[str, list[str]]) -> None:
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = str(key) if not prefix else f"{prefix}-{key}"
            if key == "_schema":
                name = prefix or "_form"
            _flatten(value, name, into)
    elif isinstance(messages, list | tuple):
        for value in messages:
            _flatten(value, prefix, into)
    else:
        into.setdefault(prefix or "_form", []).append(str(messages))


def typed_values(submission: Submission) -> dict[str, str]:
    """What the partner typed, by form field name (a form's values, or a script's JSON body),
    for the messages that depend on it (too short or too long)."""
    body = submission.body if isinstance(submission.body, dict) else {}
    typed = {k: str(v) for k, v in body.items() if isinstance(v, str | int)}
    typed.update(submission.values)
    sent = body.get("operators")
    rows = submission.operator_rows or (
        [o for o in sent if isinstance(o, dict)] if isinstance(sent, list) else []
    )
    for index, row in enumerate(rows):
        typed.update({f"operators-{index}-{k}": str(row.get(k) or "") for k in ("email", "role")})
    return typed


def rules_by_field(document: dict[str, Any], names: list[str]) -> dict[str, dict[str, Any]]:
    """Each named form field's rule in the form's rules document (web.rules.form_rules)."""
    found: dict[str, dict[str, Any]] = {"product": {"required": True, "choices": list(document["products"])}}
    for name in names:
        row = _OPERATOR_FIELD.match(name)
        rule = document["operator_fields"].get(row[2]) if row else document["fields"].get(name)
        if rule is not None:
            found[name] = rule
    return found


def label_of(name: str) -> str:
    """`operators-1-email` -> `Invited user 2: Email`; schema names -> their form label."""
    match = re.match(r"^operators-(\d+)-(\w+)$", name)
    if match:
        return f"Invited user {int(match[1]) + 1}: {LABELS.get(match[2], match[2])}"
    return LABELS.get(name, name.replace("_", " ").capitalize())


def blank_operator_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows to render: what was typed, padded with blank rows for a page without script."""
    padded = list(rows)
    while len(padded) < BLANK_OPERATOR_ROWS:
        padded.append({"email": "", "role": ""})
    return padded
