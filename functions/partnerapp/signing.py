"""Signed HTTP messages: HMAC-SHA256 over `<unix timestamp>.<body>`, sent in a header as
`t=<timestamp>,v1=<hex signature>`.

We sign webhook deliveries this way, and the billing system signs its events to us the same
way. The timestamp is inside what is signed, so a receiver that refuses old timestamps also
refuses a replayed message.
"""

from __future__ import annotations

import hashlib
import hmac

TOLERANCE_SECONDS = 300
SCHEME = "v1"


def signature(secret: bytes, timestamp: int, body: bytes) -> str:
    return hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: bytes, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},{SCHEME}={signature(secret, timestamp, body)}"


def parse_header(value: str) -> tuple[int, list[str]] | None:
    """The timestamp and the signatures (several while a secret is being rotated)."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in value.split(","):
        name, _, text = part.strip().partition("=")
        if name == "t" and text.isdigit() and len(text) <= 12:
            timestamp = int(text)
        elif name == SCHEME and text:
            signatures.append(text)
    if timestamp is None or not signatures:
        return None
    return timestamp, signatures


def verify(
    header: str | None, body: bytes, secret: bytes, now: int, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    """True if one of the header's signatures is ours and its timestamp is within `tolerance`
    seconds of `now` (either way: clocks drift)."""
    parsed = parse_header(header or "")
    if parsed is None:
        return False
    timestamp, signatures = parsed
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in signatures)
