"""AWS clients, created once per process and region (never per request), with the timeouts
and retries of partnerapp.sdk_config.

Every client comes from one SDK session of this module's own (not boto3's default one), so a
SnapStart restore can drop the session, its cached credentials and its clients' connections
at once (`reset`, registered in partnerapp.per_environment), and the next client comes from a
fresh session. The services' models, the part of a client that costs most to build, are read
once per process and shared by every session: they are data, the same in every environment.
"""

from __future__ import annotations

import functools
from typing import Any

import boto3
import botocore.session

from partnerapp import per_environment, sdk_config
from partnerapp.settings import get_settings


@functools.cache
def _service_models() -> Any:
    # botocore's loader: the services' JSON models, read from disk at first use and kept.
    return botocore.session.get_session().get_component("data_loader")


@functools.cache
def session() -> boto3.session.Session:
    """This process's (this environment's) SDK session: credentials are resolved through it."""
    core = botocore.session.get_session()
    core.register_component("data_loader", _service_models())
    fresh = boto3.session.Session(botocore_session=core)
    # Each boto3 session appends its own data folder to the loader's search path: keep it once.
    paths = _service_models().search_paths
    paths[:] = list(dict.fromkeys(paths))
    return fresh


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
    session.cache_clear()
