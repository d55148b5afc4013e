"""Secrets read at run time from Secrets Manager, never from the function's configuration.

The environment names a secret (its id); the value is fetched with powertools' parameters
utility at first use and cached for `max_age` seconds, so a rotation reaches every warm
function within that age and a cold start pays for one GetSecretValue per secret it uses
(under SnapStart: the init reads them, and each restored environment again at first use).

A secret's string is either the value itself, or JSON `{"current": ..., "previous": ...}`
while it is being rotated: checks accept either value (a caller still sending the old one
keeps working), anything we sign or hash with uses `current`.

This module imports boto3 (through powertools): import it only where a secret is needed. It
reads no settings (partnerapp.settings reads secrets through it), and its session is
partnerapp.sdk_session's, the one every client shares.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeGuard

from aws_lambda_powertools.utilities.parameters import GetParameterError, SecretsProvider
from aws_lambda_powertools.utilities.parameters.base import ExpirableValue
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from partnerapp import per_environment, sdk_session

# Five minutes: a rotation takes effect within them, and a warm function asks Secrets
# Manager about once per five minutes per secret.
DEFAULT_MAX_AGE_SECONDS = 300
MIN_LENGTH = 32

_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 4, "mode": "adaptive"})


class SecretError(RuntimeError):
    """A secret is missing, unreadable or too short: the function cannot do that job.
    Its message names the secret id, never a value."""


@dataclass(frozen=True)
class SecretVersions:
    current: bytes
    previous: bytes | None = None

    @property
    def accepted(self) -> tuple[bytes, ...]:
        """The values a check accepts: the current one and, during a rotation, the previous."""
        return (self.current,) if self.previous is None else (self.current, self.previous)


class _ClockedSecretsProvider(SecretsProvider):
    """Powertools' provider, whose cache reads the time from `now` (tests move it forward
    to see a rotation arrive, instead of waiting out the cache age)."""

    def __init__(self, now: Callable[[], datetime], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._now = now

    def has_not_expired_in_cache(self, key: tuple[Any, ...]) -> bool:
        return key in self.store and self.store[key].ttl >= self._now()

    def add_to_cache(self, key: tuple[Any, ...], value: Any, max_age: int) -> None:
        if max_age > 0:
            self.store[key] = ExpirableValue(value, self._now() + timedelta(seconds=max_age))


def _system_now() -> datetime:
    return datetime.now()


# The cache's clock; tests replace it (see `use_clock`).
_clock: Callable[[], datetime] = _system_now


@functools.cache
def _provider() -> _ClockedSecretsProvider:
    # Created once per process, at the first secret asked for (not at import: cold start), from
    # the session every client shares (a SnapStart restore replaces both: `reset`).
    session = sdk_session.session()
    return _ClockedSecretsProvider(now=lambda: _clock(), boto_config=_CONFIG, boto3_session=session)


def versions(secret_id: str, max_age: int = DEFAULT_MAX_AGE_SECONDS) -> SecretVersions:
    """The secret's values, from the cache while younger than `max_age` seconds."""
    try:
        raw = _provider().get(secret_id, max_age=max_age)
    except GetParameterError as error:
        sdk_error = error.__context__  # powertools wraps whatever the SDK raised
        if _is_passing(sdk_error):
            # Throttled or unreachable: "not now", which callers answer with 503 or a retry.
            raise sdk_error from None
        # Powertools' message holds only the SDK's error (the id, never a value).
        raise SecretError(f"secret {secret_id} cannot be read") from None
    if not isinstance(raw, (str, bytes)):
        raise SecretError(f"secret {secret_id} is not a string")
    return parse(secret_id, raw)


def _is_passing(error: BaseException | None) -> TypeGuard[Exception]:
    if isinstance(error, BotoCoreError):  # network: connect or read timeout, connection lost
        return True
    return (
        isinstance(error, ClientError)
        and error.response.get("Error", {}).get("Code") == "ThrottlingException"
    )


@functools.lru_cache(maxsize=16)
def parse(secret_id: str, raw: str | bytes) -> SecretVersions:
    """A plain value, or `{"current": ..., "previous": ...}` during a rotation."""
    text = raw.decode() if isinstance(raw, bytes) else raw
    current, previous = text, None
    if text.lstrip().startswith("{"):
        try:
            document = json.loads(text)
        except ValueError:
            raise SecretError(f"secret {secret_id} is neither a value nor JSON") from None
        current, previous = document.get("current"), document.get("previous") or None
    for value in (current, previous):
        if value is not None and (not isinstance(value, str) or len(value) < MIN_LENGTH):
            raise SecretError(f"secret {secret_id} must hold values of at least {MIN_LENGTH} characters")
    if current is None:
        raise SecretError(f"secret {secret_id} has no current value")
    return SecretVersions(current.encode(), previous.encode() if previous else None)


def use_clock(now: Callable[[], datetime]) -> None:
    """Read the cache's time from `now` (tests); `reset` restores the system clock."""
    global _clock
    _clock = now


@per_environment.register
def reset() -> None:
    """Forget cached values, the client and any test clock (a cold start).

    A SnapStart restore calls it too: the values read before the snapshot are as old as the
    snapshot (which outlives the cache's age by days), and the client's credentials and
    connections are the snapshot's. The first request that needs a secret reads it again,
    with a client of the restored environment's own session."""
    global _clock
    _clock = _system_now
    _provider.cache_clear()
    parse.cache_clear()
