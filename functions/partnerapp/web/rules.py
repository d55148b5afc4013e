"""The rules the create-license form follows in the browser, taken from the server's own
sources: the catalog (what each product allows) and the create schema (each field's limits).

The page gets this document as data, so the client-side checks mirror the server's without
a second copy of any rule; the server stays the authority.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from partnerapp import catalog
from partnerapp.schemas.licenses import CreateLicenseSchema, OperatorSchema
from partnerapp.web import messages


def _kind(field: fields.Field[Any]) -> str:
    if isinstance(field, fields.Email):
        return "email"
    if isinstance(field, fields.Integer):
        return "integer"
    if isinstance(field, fields.List):
        return "list"
    return "text"


def field_rules(field: fields.Field[Any]) -> dict[str, Any]:
    """What one marshmallow field accepts: its kind, whether required, and its validators' limits."""
    rule: dict[str, Any] = {"kind": _kind(field), "required": field.required}
    for validator in field.validators:
        if isinstance(validator, validate.Length):
            rule.update(
                {k: v for k, v in (("min_length", validator.min), ("max_length", validator.max)) if v}
            )
        elif isinstance(validator, validate.Range):
            rule.update({k: v for k, v in (("min", validator.min), ("max", validator.max)) if v is not None})
        elif isinstance(validator, validate.OneOf):
            rule["choices"] = list(validator.choices)
    return rule


def schema_rules(schema: Schema) -> dict[str, dict[str, Any]]:
    return {name: field_rules(field) for name, field in schema.fields.items()}


# The create-license form's steps, in order, as the guide's procedures number them. A step
# that `requires` a capability is in a product's procedure only if the product has it.
FORM_STEPS: tuple[dict[str, str | None], ...] = (
    {"key": "product", "title": "Choose the product", "requires": None},
    {"key": "payment", "title": "Who manages the subscription", "requires": None},
    {"key": "basics", "title": "Basic information", "requires": None},
    {"key": "invite", "title": "Invite users", "requires": "invites"},
    {"key": "review", "title": "Create the license", "requires": None},
)


def procedures(document: dict[str, Any]) -> dict[str, list[str]]:
    """Per product, the keys of the steps its procedure has ("Creating a ChatBot account"
    has no invite step: no ChatBot license may invite users)."""
    return {
        code: [
            str(step["key"])
            for step in FORM_STEPS
            if step["requires"] is None or any(product[str(step["requires"])].values())
        ]
        for code, product in document["products"].items()
    }


def form_rules() -> dict[str, Any]:
    """The catalog's rules plus the limits of every field of the create request."""
    document = catalog.rules_document()
    document["steps"] = {str(step["key"]): {"title": step["title"]} for step in FORM_STEPS}
    document["step_order"] = [str(step["key"]) for step in FORM_STEPS]
    document["procedures"] = procedures(document)
    license_fields = schema_rules(CreateLicenseSchema())
    document["fields"] = license_fields
    document["operator_fields"] = schema_rules(OperatorSchema())
    document["max_operators"] = license_fields["operators"].get("max_length")
    # The field messages, from the one source the server's form errors use too.
    document["messages"] = dict(messages.TEXTS)
    return document
