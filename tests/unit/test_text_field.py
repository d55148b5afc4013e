"""The one text field type (issue 22): every code point domain.text refuses is a 400 naming
the field, anything else is kept as typed, and the OpenAPI pattern says the same."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from partnerapp.domain import text
from partnerapp.schemas.fields import EmailAddress, Text
from partnerapp.schemas.licenses import load_new_license

# One code point of every refused kind, from both ends of each range.
REFUSED = [
    *"\x00\x09\x0a\x1f\x7f\x80\x85\x9f",
    *"\u2028\u2029\u202a\u202e\u2066\u2069",
    *"\ud800\udbff\udc00\udfff",
    *"\ufdd0\ufdef\ufffe\uffff\U0001fffe\U0010ffff",
]
# Near misses that are ordinary text: NBSP, soft hyphen, marks, joiners, U+FFFD, emoji.
KEPT = [*"\xa0\xad\u200e\u200f\u061c\u200d\ufffd\ufdcf\ufdf0\ufffd", "\U0001f600"]
# Spaces of every kind, trimmed or refused around a value: Python's `\s` and JSON Schema's differ.
SPACES = [*" \t\n\x0b\x0c\r\x1c\x1f\x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"]
_specials = st.sampled_from([*REFUSED, *KEPT, *SPACES])
_any = st.characters(max_codepoint=0xFFFF) | _specials


@given(st.sampled_from(REFUSED), st.text(st.characters(min_codepoint=0x41, max_codepoint=0x5A), min_size=5))
def test_every_refused_code_point_is_named_in_a_400(char: str, name: str) -> None:
    # When a client name holds a refused code point anywhere but its ends
    body = {
        "client_name": name[:2] + char + name[2:],
        "client_email": "o@acme.example",
        "payment_origin": "client",
    }
    try:
        load_new_license("livechat", body)
    except ValidationError as error:
        # Then the 400 names client_name and the code point
        (message,) = error.normalized_messages()["client_name"]
        assert f"U+{ord(char):04X} at position 3" in message
        return
    raise AssertionError(f"accepted U+{ord(char):04X}")


def test_near_misses_are_kept_as_typed() -> None:
    for char in KEPT:
        name = f"Acme{char}Corp"
        body = {"client_name": name, "client_email": "o@acme.example", "payment_origin": "client"}
        assert load_new_license("livechat", body).client_name == name


@given(st.text(_any, max_size=12))
@settings(max_examples=400, deadline=None)
def test_the_documented_pattern_accepts_exactly_what_the_field_accepts(value: str) -> None:
    field = Text(min_length=3, max_length=12)
    try:
        field.deserialize(value)
        accepted = True
    except ValidationError:
        accepted = False
    # (The pattern cannot name surrogates nor the noncharacters beyond the BMP: leave them out.)
    unnamed = [
        c for c in value if text.FORBIDDEN.match(c) and (ord(c) > 0xFFFF or text.unpaired_surrogate(c))
    ]
    if not unnamed:
        assert accepted == bool(re.search(field.metadata["pattern"], value)), repr(value)


def test_an_address_is_refused_for_any_refused_code_point() -> None:
    for char in REFUSED:
        try:
            EmailAddress().deserialize(f"ann{char}@acme.example")
        except ValidationError:
            continue
        raise AssertionError(f"accepted U+{ord(char):04X} in an address")


def test_stored_text_is_shown_with_replacement_characters_and_headers_stay_one_line() -> None:
    stored = "A\x85B\u2028C\u202eD\ud800E\tF\nG"
    assert text.for_display(stored) == "A\ufffdB\ufffdC\ufffdD\ufffdE\tF\nG"
    assert text.for_header(stored) == "A\ufffdB\ufffdC\ufffdD\ufffdE\ufffdF\ufffdG"
