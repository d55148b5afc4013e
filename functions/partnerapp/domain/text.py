"""What text may hold: the code points that cannot travel through HTML, email headers, CSV and
JSON are refused where text comes in, and replaced wherever text stored before goes out."""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

# The last two code points of planes 1 to 16 (noncharacters): the only ones beyond the BMP.
_PLANE_ENDS = "".join(rf"\U{plane:04X}FFFE\U{plane:04X}FFFF" for plane in range(1, 17))
# Each kind: its name in a message, and its code points as a regular-expression class body.
_KINDS: tuple[tuple[str, str], ...] = (
    # C0, DEL and C1: U+0085 (NEL) is a line break to Python's email package, the rest are
    # "forbidden code points" in HTML.
    ("a control character", r"\x00-\x1f\x7f-\x9f"),
    # Line breaks to email headers (str.splitlines), invisible everywhere else.
    ("a line or paragraph separator", r"\u2028\u2029"),
    # Embeddings, overrides and isolates reorder the text around them: `\u202eevil` shows
    # as `live`, in a page or an email's Subject alike.
    ("a bidirectional override", r"\u202a-\u202e\u2066-\u2069"),
    # Half of a UTF-16 pair: JSON's `"\ud800"` parses, and no UTF-8 encoder takes it.
    ("an unpaired surrogate", r"\ud800-\udfff"),
    # Code points Unicode promises never to assign: U+FDD0..U+FDEF and the last two of each plane.
    (
        "a noncharacter",
        r"\ufdd0-\ufdef\ufffe\uffff" + _PLANE_ENDS,
    ),
)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_KIND_PATTERNS = tuple((name, re.compile(f"[{body}]")) for name, body in _KINDS)
FORBIDDEN = re.compile("[" + "".join(body for _, body in _KINDS) + "]")
# The same class as a JSON Schema pattern can state it: within the BMP, and without the
# surrogates, which JSON Schema validators' regular expressions (Rust's, for one) cannot name.
DOCUMENTED_CLASS = "".join(body for _, body in _KINDS).replace(_PLANE_ENDS, "").replace(r"\ud800-\udfff", "")
# Output keeps the whitespace controls HTML and plain text allow (tab, line feed, carriage
# return); everything else forbidden is shown as U+FFFD.
_UNSHOWABLE = re.compile(r"(?![\t\n\r])" + FORBIDDEN.pattern)


def unpaired_surrogate(text: str) -> str | None:
    """The message for the first half of a UTF-16 pair in `text`, which no encoder can write."""
    found = _SURROGATE.search(text)
    return None if found is None else _message("an unpaired surrogate", found)


def problem(text: str) -> str | None:
    """Why `text` cannot be stored, naming the first offending code point; None if it can."""
    found = FORBIDDEN.search(text)
    if found is None:
        return None
    kind = next(name for name, pattern in _KIND_PATTERNS if pattern.match(found.group()))
    return _message(kind, found)


def _message(kind: str, found: re.Match[str]) -> str:
    return f"Must not contain {kind} (U+{ord(found.group()):04X} at position {found.start() + 1})."


def for_display(text: str) -> str:
    """Text stored before the door checked it, safe to show: each forbidden code point but
    tab and line breaks becomes U+FFFD (so a page validates and nothing is reordered)."""
    return _UNSHOWABLE.sub(REPLACEMENT, text)


def shown(value: object) -> object:
    """A Jinja `finalize` hook: every string a template prints goes through for_display;
    Markup stays Markup (its own markup is ours), other values are printed as they are."""
    if not isinstance(value, str):
        return value
    cleaned = for_display(value)
    if cleaned == value:
        return value
    # A str subclass (markupsafe's Markup) keeps its type, and so its escaping state.
    return cleaned if type(value) is str else type(value)(cleaned)


def for_header(text: str) -> str:
    """Text for an email header, which must stay one line: every forbidden code point,
    line breaks included, becomes U+FFFD, so building the message never raises."""
    return FORBIDDEN.sub(REPLACEMENT, text)
