"""The field messages a person reads, with JavaScript or without: one source.

The create-license form's script gets TEXTS in the rules document (#license-rules) and fills
them the same way (`{name}` replaced by the rule's value). The server's forms put the same
texts in place of the validators' own wording ("Longer than maximum length 100."), chosen by
which of the field's rules the message is about; a message about anything else (a rule of
the domain, a forbidden character) is kept as it is.
"""

from __future__ import annotations

import re
from typing import Any

TEXTS = {
    "required": "Enter {label}.",
    "choose": "Choose {label}.",
    "email": "Enter a valid email address, like name@example.com.",
    "whole_number": "Enter a whole number from {min} to {max}.",
    "min_length": "Use at least {min_length} characters.",
    "max_length": "Use at most {max_length} characters.",
    "choice": "Choose one of the options.",
    "invited_twice": "This person is already invited to the license.",
}
# marshmallow's messages (and schemas.fields.Text's), by the rule each is about.
_VALIDATOR_WORDING = (
    (re.compile(r"^(Missing data for required field|Field may not be null)"), "required"),
    (re.compile(r"^Not a valid email address"), "email"),
    (re.compile(r"^Longer than maximum length"), "max_length"),
    (re.compile(r"^Shorter than minimum length"), "min_length"),
    (re.compile(r"^Length must be between"), "length"),
    (re.compile(r"^Must be one of"), "choice"),
    (re.compile(r"^(Not a valid integer|Must be (greater|less) than or equal to)"), "whole_number"),
)


def fill(key: str, **values: Any) -> str:
    """TEXTS[key] with its `{name}`s filled (the script's `say` does the same)."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m[1], m[0])), TEXTS[key])


def _key(message: str, typed: str, rule: dict[str, Any]) -> str | None:
    key = next((k for pattern, k in _VALIDATOR_WORDING if pattern.match(message)), None)
    if key == "length":  # trimmed too short or too long: the typed value tells which
        key = "min_length" if len(typed.strip()) < rule.get("min_length", 0) else "max_length"
    if key == "min_length" and not typed.strip():
        key = "required"
    if key == "required" and rule.get("choices"):
        key = "choose"
    if key == "whole_number" and "max" not in rule:
        return None  # no range to state: the validator's words say more
    return key


def friendly(message: str, typed: str, rule: dict[str, Any] | None, label: str) -> str:
    """The message a person reads for a validator's `message` about a field with `rule`."""
    key = _key(message, typed, rule or {}) if rule else None
    return fill(key, label=label.lower(), **(rule or {})) if key else message


def friendly_errors(
    errors: dict[str, list[str]],
    typed: dict[str, str],
    rules: dict[str, dict[str, Any]],
    label_of: Any,
) -> dict[str, list[str]]:
    """Each field's messages as a person reads them, duplicates dropped (order kept)."""
    shown: dict[str, list[str]] = {}
    for name, texts in errors.items():
        for text in texts:
            said = friendly(text, typed.get(name, ""), rules.get(name), label_of(name))
            if said not in shown.setdefault(name, []):
                shown[name].append(said)
    return shown
