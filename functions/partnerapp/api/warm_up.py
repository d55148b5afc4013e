"""The API function's init: everything a first request would do, done before any request.

`prime` imports what the routes import lazily, reads the settings and the secrets, builds the
SDK clients of every region the API reaches, the routes' dependencies and the idempotency
layer, and compiles the pages' and emails' templates. It makes no DynamoDB call and touches
no partner's data: what it leaves behind is code, configuration and empty clients, the same
for every partner. Under SnapStart it runs once per published version, before the snapshot
(partnerapp.handlers.snapstart), so no partner's request pays for it.

`reconnect` is what a restored environment builds again at once, after forgetting what it must
not share (partnerapp.per_environment): its SDK clients, from a fresh session (credentials,
connections). It calls no AWS service and the services' models stay loaded, so it costs
milliseconds. The rest (the dependencies, which read secrets; the secrets themselves) is
rebuilt by the first request that needs it: a restore hook that fails on a passing Secrets
Manager error would fail the restore, where a request answers 503 and is retried.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import datetime

# What the API's routes reach, lazily, on some first request. (Not partnerapp.handlers: the
# other functions' entry points are not the API's.)
PACKAGES = ("api", "domain", "mail", "schemas", "services", "store", "web")


def prime() -> None:
    """Everything a first request would do, without a DynamoDB call or any partner's data."""
    import_route_modules()
    _read_secrets()
    reconnect()
    _build_dependencies()
    _compile_templates()
    # datetime.strptime imports the standard library's parser at its first use.
    datetime.strptime("2026-01-01", "%Y-%m-%d")


def import_route_modules() -> None:
    """Import every module of `PACKAGES`: the routes' lazy imports and the libraries they pull
    in (marshmallow's schemas, powertools' idempotency and parameters, Jinja)."""
    for package in PACKAGES:
        root = importlib.import_module(f"partnerapp.{package}")
        for found in pkgutil.walk_packages(root.__path__, f"{root.__name__}."):
            importlib.import_module(found.name)


def _read_secrets() -> None:
    # What the edge check, the token hashes and the billing events' signatures read first.
    from partnerapp.settings import get_settings

    settings = get_settings()
    settings.origin_verify_values()
    settings.keyed_hash_secret  # noqa: B018 - a property that reads the secret
    settings.billing_events_secrets  # noqa: B018 - a property that reads the secret


def reconnect() -> None:
    """The SDK clients of every region the API reaches: DynamoDB in the home and each data
    region, SES at home (the sign-in links). No call to an AWS service: a client is a
    configured object (its credentials resolved) that connects at its first call."""
    from partnerapp.settings import get_settings
    from partnerapp.store import clients

    settings = get_settings()
    for region in sorted({settings.home_region, *(t.aws_region for t in settings.license_tables.values())}):
        clients.dynamodb(region)
    clients.sesv2(settings.home_region)


def _build_dependencies() -> None:
    # The routes' repositories and services, and the idempotency layer, on those clients.
    from partnerapp.api import idempotency
    from partnerapp.api.dependencies import dependencies

    dependencies()
    idempotency.prepare()


def _compile_templates() -> None:
    # Jinja compiles a template at its first use and keeps it: compile them all now.
    from partnerapp.mail.render import _environment as mail_templates
    from partnerapp.web import pages

    for environment in (pages.environment(), mail_templates()):
        for name in environment.list_templates():
            environment.get_template(name)
