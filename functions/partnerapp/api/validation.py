"""Load a request with a marshmallow schema, turning its errors into the API's 400."""

from __future__ import annotations

from typing import Any

from partnerapp.api.errors import validation


def load(schema: Any, data: Any) -> Any:
    """The body loaded by `schema` (JSON or a form), or a 400 naming every failing field."""
    from marshmallow import ValidationError

    from partnerapp.schemas.wire import load_body

    if not isinstance(data, dict):
        raise validation({"_schema": ["The body must be a JSON object."]})
    try:
        return load_body(schema(), data)
    except ValidationError as error:
        raise validation(error.normalized_messages()) from None
