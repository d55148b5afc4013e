"""Field types shared by the schemas: every string is trimmed, length-capped and single-line."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields, validate

from partnerapp import catalog

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
MAX_EMAIL_LENGTH = 254


class Text(fields.String):
    """A trimmed, single-line string of bounded length (no CR/LF: it may reach an email header)."""

    def __init__(self, *, min_length: int = 1, max_length: int = 100, **kwargs: Any) -> None:
        super().__init__(validate=validate.Length(min=min_length, max=max_length), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if _CONTROL_CHARACTERS.search(text):
            raise ValidationError("Must not contain control characters or line breaks.")
        return text


class EmailAddress(fields.Email):
    """An email address, trimmed and lower-cased so one customer is one customer."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=validate.Length(max=MAX_EMAIL_LENGTH), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, str):
            if _CONTROL_CHARACTERS.search(value):
                raise ValidationError("Not a valid email address.")
            value = value.strip().lower()
        return str(super()._deserialize(value, attr, data, **kwargs))


class DataCenterCode(fields.String):
    """`us-south1` or `eu-west3`, also accepting the aliases `dal`/`us` and `fra`/`eu`."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        center = catalog.resolve_data_center(text)
        if center is None:
            choices = ", ".join(
                [code for code in catalog.DATA_CENTERS]
                + [alias for c in catalog.DATA_CENTERS.values() for alias in c.aliases]
            )
            raise ValidationError(f"Must be one of: {choices}.")
        return center.code
