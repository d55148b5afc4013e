"""AWS clients, created once per process and region (never per request), with the timeouts
and retries of partnerapp.sdk_config."""

from __future__ import annotations

import functools
from typing import Any

import boto3

from partnerapp import sdk_config
from partnerapp.settings import get_settings


@functools.cache
def dynamodb(region: str) -> Any:
    return boto3.client("dynamodb", region_name=region, config=sdk_config.dynamodb_config(_local()))


@functools.cache
def sesv2(region: str) -> Any:
    return boto3.client("sesv2", region_name=region, config=sdk_config.ses_config(_local()))


def _local() -> bool:
    return get_settings().local


def reset() -> None:
    """Forget cached clients (tests start each case against a fresh emulator)."""
    dynamodb.cache_clear()
    sesv2.cache_clear()
