"""One way in: the API answers only requests that came through CloudFront.

CloudFront adds a secret header (`X-Origin-Verify`) to every request it sends the API; the
HTTP API's own execute-api URL is public, so a request without the header went around the
edge (its WAF, its security headers) and is refused with 403. The value lives in Secrets
Manager and is read at run time (`runtime_secrets`): during a rotation both the current and
the previous value are accepted, so CloudFront can switch without a failed request.

Outside local mode a missing secret id refuses everything (closed, not open); in local mode
the check is off unless `ORIGIN_VERIFY_SECRET_ID` is configured.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from aws_lambda_powertools import Logger

ORIGIN_HEADER = "x-origin-verify"

logger = Logger(child=True)


def refusal(event: dict[str, Any]) -> dict[str, Any] | None:
    """The 403 answer for a request that did not come through CloudFront; None to serve it."""
    from partnerapp.settings import get_settings

    settings = get_settings()
    if settings.origin_verify_secret_id is None:
        return None if settings.local else _refuse(event, "unconfigured")
    sent = _header(event, ORIGIN_HEADER)
    if sent is None:
        return _refuse(event, "missing")
    if not _matches(sent.encode(), settings.origin_verify_values()):
        return _refuse(event, "wrong")
    return None


def _header(event: dict[str, Any], name: str) -> str | None:
    # Payload 2.0 lower-cases header names; a repeated header arrives comma-joined (no match).
    headers = event.get("headers") or {}
    return next((value for key, value in headers.items() if key.lower() == name), None)


def _matches(sent: bytes, accepted: tuple[bytes, ...]) -> bool:
    # Constant time per value, and every value compared: timing tells nothing of either.
    matched = False
    for value in accepted:
        matched |= hmac.compare_digest(sent, value)
    return matched


def _refuse(event: dict[str, Any], reason: str) -> dict[str, Any]:
    # The route key, never the raw path (it may hold an email) nor any header's value.
    logger.warning(
        "request refused: it did not come through the edge",
        extra={"route": str(event.get("routeKey", ""))[:200], "origin_header": reason},
    )
    body = {"type": "forbidden", "message": "This API is served only on its site's domain."}
    return {
        "statusCode": 403,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"error": body}),
        "isBase64Encoded": False,
    }
