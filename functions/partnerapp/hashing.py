"""Hashes for secrets and for keys that must not reveal who they are about."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def secret_digest(secret: str) -> str:
    """Digest of a high-entropy secret (API token, one-time link): what we store instead."""
    return hashlib.sha256(secret.encode()).hexdigest()


def keyed_digest(key: bytes, *parts: str) -> str:
    """HMAC of personal data, for keys kept outside the data's region (uniqueness guards)."""
    message = "\x1f".join(parts).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def new_token(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"
