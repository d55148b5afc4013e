"""Field types shared by the schemas: every string is trimmed, length-capped and single-line,
with nothing that cannot travel through HTML, email headers, CSV and JSON (domain.text)."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate

from partnerapp import catalog
from partnerapp.domain import text as text_rules
from partnerapp.domain.addresses import NotAnAddress, normalise_email

MAX_EMAIL_LENGTH = 254
# The document states domain.text's rule as far as a JSON Schema pattern can (the surrogates
# and the 32 noncharacters beyond the BMP have no spelling every dialect reads; the API
# refuses them all the same).
_FORBIDDEN = text_rules.DOCUMENTED_CLASS
# What is trimmed around a value: Python's whitespace but the controls among it (U+001C to
# U+001F, NEL), which are refused instead. Spelled out, not `\s`, which means one set in
# Python and another in the JSON Schema (ECMA-262) dialect of the document's patterns.
_SPACE_CLASS = r"\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACE = (
    "\t\n\x0b\x0c\r \xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)


def trimmed(value: str) -> str:
    return value.strip(_SPACE)


def text_pattern(min_length: int, max_length: int) -> str:
    """What Text accepts, as a regular expression for the OpenAPI document: spaces around are
    trimmed, then min..max characters with none of the forbidden ones (min_length >= 1)."""
    allowed, edge = rf"[^{_FORBIDDEN}]", rf"[^{_FORBIDDEN}{_SPACE_CLASS}]"
    inner = rf"(?:{allowed}{{{max(min_length - 2, 0)},{max_length - 2}}}{edge})"
    return rf"^[{_SPACE_CLASS}]*{edge}{inner}{'?' if min_length <= 1 else ''}[{_SPACE_CLASS}]*$"


def refuse_forbidden(value: str) -> None:
    """A 400 for the field holding a code point domain.text refuses (its message names it)."""
    problem = text_rules.problem(value)
    if problem:
        raise ValidationError(problem)


class Text(fields.String):
    """The one field type for names, labels, identifiers and free text: trimmed, single-line,
    of bounded length, with none of the code points domain.text refuses (control characters,
    line and paragraph separators, bidi overrides, unpaired surrogates, noncharacters).

    At most max_length characters as sent, and min..max once trimmed: the document states the
    second rule as a pattern."""

    def __init__(self, *, min_length: int = 1, max_length: int = 100, **kwargs: Any) -> None:
        metadata = {"pattern": text_pattern(min_length, max_length), **kwargs.pop("metadata", {})}
        super().__init__(
            validate=validate.Length(min=min_length, max=max_length), metadata=metadata, **kwargs
        )
        self.max_length = max_length

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        raw = super()._deserialize(value, attr, data, **kwargs)
        if len(raw) > self.max_length:
            raise ValidationError(f"Longer than maximum length {self.max_length}.")
        # Trimmed first, as always: a line break around a name is whitespace, not part of it.
        text = trimmed(raw)
        refuse_forbidden(text)
        return text


class EmailAddress(fields.Email):
    """An email address as every rule, key and email uses it (domain.addresses): trimmed,
    lower case, its domain in ASCII, so `owner@bücher.example` and
    `owner@xn--bcher-kva.example` are one customer."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=validate.Length(max=MAX_EMAIL_LENGTH), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, str):
            if text_rules.FORBIDDEN.search(trimmed(value)):
                raise ValidationError("Not a valid email address.")
            try:
                value = normalise_email(value)
            except NotAnAddress as refused:
                raise ValidationError(f"Not a valid email address: {refused}") from None
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


class WireTime(fields.Field[Any]):
    """A moment in an answer as the Text API writes it: `YYYY-MM-DD HH:MM:SS`, UTC."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"}
        super().__init__(metadata={**metadata, **kwargs.pop("metadata", {})}, **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        from partnerapp.domain.timestamps import to_wire

        return None if value is None else to_wire(value)


class IsoTime(fields.String):
    """A datetime as ISO 8601 in UTC, `YYYY-MM-DDTHH:MM:SSZ` (the organization's created_at)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")


class IdString(fields.String):
    """A numeric id written as a JSON string, as the Text API writes license ids."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(value)


class Dollars(fields.Float):
    """Integer cents written as dollars (`4148` -> `41.48`), by domain.money's one rule."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> float | None:
        from partnerapp.domain.money import to_dollars

        return None if value is None else to_dollars(value)
