"""AWS clients, created once per process and region (never per request), with the timeouts
and retries of partnerapp.sdk_config, from the session of partnerapp.sdk_session (a
SnapStart restore drops both: `reset`, registered in partnerapp.per_environment).
"""

from __future__ import annotations

import functools
from typing import Any

from partnerapp import per_environment, sdk_config, sdk_session
from partnerapp.sdk_session import session as session  # clients.session(): the same one
from partnerapp.settings import get_settings


@functools.cache
def dynamodb(region: str) -> Any:
    return session().client("dynamodb", region_name=region, config=sdk_config.dynamodb_config(_local()))


@functools.cache
def sesv2(region: str) -> Any:
    return session().client("sesv2", region_name=region, config=sdk_config.ses_config(_local()))


def _local() -> bool:
    return get_settings().local


@per_environment.register
def reset() -> None:
    """Forget the session and its clients: a restored environment (or a test's fresh emulator)
    gets new ones, with credentials and connections of its own."""
    dynamodb.cache_clear()
    sesv2.cache_clear()
    sdk_session.reset()
