"""The AWS SDK session this process's clients and the secrets' provider come from.

One session of this module's own (not boto3's default one), so a SnapStart restore can drop
the session, its cached credentials and its clients' connections at once (`reset`, registered
in partnerapp.per_environment), and the next client comes from a fresh session. The
services' models, the part of a client that costs most to build, are read once per process
and shared by every session: they are data, the same in every environment.

It reads no settings: `partnerapp.settings` reads secrets through `partnerapp.runtime_secrets`,
which takes its session from here, so imports run one way (settings -> runtime_secrets ->
sdk_session; store.clients -> settings and sdk_session).
"""

from __future__ import annotations

import functools
from typing import Any

import boto3
import botocore.session

from partnerapp import per_environment


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


@per_environment.register
def reset() -> None:
    """Forget the session: a restored environment gets credentials and connections of its own."""
    session.cache_clear()
