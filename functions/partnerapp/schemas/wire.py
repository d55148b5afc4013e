"""Loading a request body with its schema, whichever encoding the caller used.

The Text API's examples send some bodies as URL-encoded forms, where every value is a string.
Our schemas are strict about JSON types (a JSON string is not a number), so a form's values are
converted by the type of the schema field they fill, before the schema validates them: the
same rules then apply to both encodings, and a value that does not convert is named."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # marshmallow loads with the first request that needs it, not at cold start
    from marshmallow import Schema, fields

_ASCII_INTEGER = re.compile(r"^[+-]?[0-9]+$")  # never str.isdigit(): "²" is a digit to it
# What the OpenAPI document's boolean is in a form (and what the docs' examples send): the
# words alone, so a form and the document agree on what is refused.
_BOOLEANS = {"true": True, "false": False}


class FormBody(dict[str, str]):
    """A URL-encoded body's fields: a dict whose values are all strings."""


def _converted(field: fields.Field[Any], value: str) -> Any:
    from marshmallow import fields

    if isinstance(field, fields.Integer) and _ASCII_INTEGER.match(value):
        return int(value)
    if isinstance(field, fields.Boolean) and value in _BOOLEANS:
        return _BOOLEANS[value]
    return value  # left as sent: the field refuses it with its own message


def _whole(field: fields.Field[Any], value: Any) -> Any:
    """A JSON number with a zero fraction (`2.0`) is the integer it equals, as JSON Schema
    says (the OpenAPI document's `integer`); `2.5` is left for the field to refuse."""
    from marshmallow import fields

    if isinstance(field, fields.Integer) and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def typed(schema: Schema, body: Any) -> Any:
    """`body` as the schema should see it: a form's values typed by their fields, a JSON
    body's whole floats made integers where an integer is asked for."""
    by_key = {field.data_key or name: field for name, field in schema.fields.items()}
    if not isinstance(body, FormBody):
        if not isinstance(body, dict):
            return body
        return {key: _whole(by_key[key], value) if key in by_key else value for key, value in body.items()}
    return {key: _converted(by_key[key], value) if key in by_key else value for key, value in body.items()}


def load_body(schema: Schema, body: Any) -> Any:
    return schema.load(typed(schema, body))
