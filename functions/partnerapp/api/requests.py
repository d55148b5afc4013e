"""Reading a request body: content type, size, JSON or a URL-encoded form, each refused with a
clear 4xx. The Text API's own examples send both (curl's `--data 'name=value'` is a form)."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qsl

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from partnerapp.api.errors import ApiError
from partnerapp.domain import text as text_rules
from partnerapp.schemas.wire import FormBody

MAX_BODY_BYTES = 64 * 1024
MAX_JSON_DEPTH = 32
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ApiError(
                400, "validation", f"The field {key!r} appears twice.", {key: ["Duplicated field."]}
            )
        result[key] = value
    return result


def _depth(value: Any, level: int = 1) -> int:
    if level > MAX_JSON_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level)
    return level


def raw_body(event: APIGatewayProxyEventV2, limit: int = MAX_BODY_BYTES) -> bytes:
    # Bytes, not powertools' decoded_body: a body that is not UTF-8 must be a 400, not a crash.
    body = event.body or ""
    data = base64.b64decode(body) if event.is_base64_encoded else body.encode()
    if len(data) > limit:
        raise ApiError(413, "payload_too_large", f"The body is larger than {limit // 1024} KB.")
    return data


def media_type(event: APIGatewayProxyEventV2) -> str:
    return (event.headers.get("content-type") or "").split(";")[0].strip().lower()


def json_body(event: APIGatewayProxyEventV2) -> Any:
    """The parsed body of a POST/PUT: JSON, or a URL-encoded form read as a flat object of
    strings (the schemas convert them as they convert JSON strings); 415 for anything else."""
    data = raw_body(event)
    kind = media_type(event)
    if kind == FORM:
        return form_fields(data)
    if kind != JSON:
        raise ApiError(415, "unsupported_media_type", f"Send the body as {JSON} or {FORM}.")
    try:
        parsed = json.loads(data, object_pairs_hook=_reject_duplicate_keys)
    except ApiError:
        raise
    except (ValueError, RecursionError):
        raise ApiError(
            400, "validation", "The body is not valid JSON.", {"_body": ["Not valid JSON."]}
        ) from None
    if _depth(parsed) > MAX_JSON_DEPTH:
        raise ApiError(400, "validation", "The body is nested too deeply.", {"_body": ["Nested too deeply."]})
    _refuse_surrogates(parsed)
    return parsed


def _surrogates(value: Any) -> Any:
    """Where `value` holds an unpaired surrogate, as marshmallow nests its errors; None if nowhere."""
    if isinstance(value, str):
        return [problem] if (problem := text_rules.unpaired_surrogate(value)) else None
    children = (
        value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    )
    found: dict[Any, Any] = {}
    for key, child in children:
        if isinstance(key, str) and text_rules.unpaired_surrogate(key):
            found["_body"] = ["A field name holds an unpaired surrogate."]
        elif (where := _surrogates(child)) is not None:
            found[key] = where
    return found or None


def _refuse_surrogates(parsed: Any) -> None:
    # JSON spells them (`"\ud800"`) and Python's json accepts them, but no UTF-8 encoder
    # does: refused here, by field, before any schema, store or email meets one.
    where = _surrogates(parsed)
    if where is not None:
        fields = where if isinstance(where, dict) else {"_body": where}
        raise ApiError(400, "validation", "A field holds an unpaired surrogate.", fields)


def form_fields(data: bytes) -> FormBody:
    """A URL-encoded form as a dict; a repeated field is refused as in JSON, never merged."""
    try:
        # Split as bytes (latin-1 maps each byte to one character), then each name and value
        # is read as UTF-8 on its own: a value that is not UTF-8 (`%ED%A0%80`, a surrogate's
        # bytes) is named by its field, as in JSON, rather than refusing the body whole.
        text = data.decode("latin-1")
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text), encoding="latin-1")
    except ValueError:
        raise ApiError(
            400, "validation", "The body is not a valid form.", {"_body": ["Not a valid form."]}
        ) from None
    return FormBody(_reject_duplicate_keys(_as_utf8(pairs)))


def _as_utf8(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    decoded, bad = [], {}
    for raw_name, raw_value in pairs:
        name, value = _utf8(raw_name), _utf8(raw_value)
        if name is None:
            bad["_body"] = ["A field name is not UTF-8 text."]
        elif value is None:
            bad[name] = ["Not UTF-8 text."]
        else:
            decoded.append((name, value))
    if bad:
        raise ApiError(400, "validation", "The form holds text that is not UTF-8.", bad)
    return decoded


def _utf8(raw: str) -> str | None:
    try:
        return raw.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return None


def no_body(event: APIGatewayProxyEventV2) -> None:
    """For the POSTs that take no body (resend, transfer, a webhook's test): an empty body or
    `{}` is fine; fields are refused by name, since nothing is accepted and then ignored."""
    if not raw_body(event).strip():
        return
    parsed = json_body(event)
    if parsed in (None, {}):
        return
    fields = (
        {str(name): ["Unknown field."] for name in parsed}
        if isinstance(parsed, dict)
        else {"_schema": ["This request takes no body."]}
    )
    raise ApiError(400, "validation", "This request takes no body.", fields)
