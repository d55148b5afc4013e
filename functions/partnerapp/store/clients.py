"""AWS clients, created once per process and region (never per request)."""

from __future__ import annotations

import functools
from typing import Any

import boto3
from botocore.config import Config

# Short timeouts and the SDK's adaptive retries: a slow dependency fails fast and is
# retried by the caller's own policy (outbox, stream) instead of holding a request.
_CONFIG = Config(
    connect_timeout=2,
    read_timeout=5,
    retries={"max_attempts": 4, "mode": "adaptive"},
)


@functools.cache
def dynamodb(region: str) -> Any:
    return boto3.client("dynamodb", region_name=region, config=_CONFIG)


@functools.cache
def sesv2(region: str) -> Any:
    return boto3.client("sesv2", region_name=region, config=_CONFIG)


def reset() -> None:
    """Forget cached clients (tests start each case against a fresh emulator)."""
    dynamodb.cache_clear()
    sesv2.cache_clear()
