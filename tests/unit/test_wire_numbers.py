"""A JSON body's numbers as the OpenAPI document's JSON Schema reads them: `2.0` is the
integer 2 where an integer is asked for (schemathesis found it refused); `2.5` is not."""

from __future__ import annotations

import pytest
from marshmallow import Schema, ValidationError, fields

from partnerapp.schemas.wire import FormBody, load_body


class Seats(Schema):
    seats = fields.Integer(strict=True, required=True)
    note = fields.Float()


def test_a_whole_float_is_the_integer_it_equals() -> None:
    loaded = load_body(Seats(), {"seats": 2.0, "note": 1.0})
    assert loaded == {"seats": 2, "note": 1.0} and isinstance(loaded["seats"], int)


@pytest.mark.parametrize("value", [2.5, "2", True, float("inf")])
def test_anything_else_stays_refused(value: object) -> None:
    with pytest.raises(ValidationError) as refused:
        load_body(Seats(), {"seats": value})
    assert "seats" in refused.value.messages


def test_a_form_is_still_typed_by_its_fields() -> None:
    assert load_body(Seats(), FormBody(seats="3")) == {"seats": 3}
