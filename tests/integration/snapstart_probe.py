"""A SnapStart life in a fresh interpreter, on the emulator: import the API handler, run the
runtime hooks as Lambda does (before the snapshot, then after a restore), serve first
requests; print, as JSON, what each step loaded and which AWS calls it made.

Run by tests/integration/test_snapstart_hooks.py as `python -m tests.integration.snapstart_probe`:
what a module imports can only be seen in a process that has not imported it yet."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from partnerapp_infra.local import emulator as local_stack

SITE_URL = "http://127.0.0.1:8000"


@contextmanager
def aws_calls() -> Iterator[list[str]]:
    """`service:Operation` of every SDK call made inside the block (moto answers them)."""
    import botocore.client

    made: list[str] = []
    original = botocore.client.BaseClient._make_api_call

    def recording(self: Any, operation: str, params: dict[str, Any]) -> Any:
        made.append(f"{self.meta.service_model.service_name}:{operation}")
        return original(self, operation, params)

    botocore.client.BaseClient._make_api_call = recording
    try:
        yield made
    finally:
        botocore.client.BaseClient._make_api_call = original


def first_requests(gateway: Any, token: str) -> list[int]:
    from partnerapp_infra.local.apigw import HttpRequest

    auth = [("authorization", f"Bearer {token}"), ("content-type", "application/json")]
    body = {
        "client_name": "Acme Corporation",
        "client_email": "owner@acme.example",
        "payment_origin": "partner",
    }
    requests = [
        HttpRequest("GET", "/v2/partners", "", auth),
        HttpRequest(
            "POST",
            "/v2/partners/solutions/licenses",
            "product=livechat",
            [*auth, ("idempotency-key", "first-create")],
            json.dumps(body).encode(),
        ),
        HttpRequest("GET", "/v2/partners/solutions/licenses", "", auth),
        HttpRequest("GET", "/web/licenses", "", []),  # a page, without a session
    ]
    return [gateway.handle(request).status for request in requests]


def main() -> None:
    from moto import mock_aws

    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.update({**local_stack.fake_credentials(), **local_stack.local_environment(SITE_URL)})
    with mock_aws():
        local_stack.bootstrap(SITE_URL)
        token = _partner_token()
        report: dict[str, Any] = {}
        import snapshot_restore_py

        import partnerapp.handlers.api  # noqa: F401 - what Lambda's init does first

        report["before_snapshot"] = [_name(hook) for hook, _, _ in snapshot_restore_py.get_before_snapshot()]
        report["after_restore"] = [_name(hook) for hook, _, _ in snapshot_restore_py.get_after_restore()]
        loaded = set(sys.modules)
        with aws_calls() as made:
            for hook, args, kwargs in reversed(snapshot_restore_py.get_before_snapshot()):
                hook(*args, **kwargs)  # Lambda runs them in the reverse order of registration
        report["before_snapshot_loaded"] = sorted(set(sys.modules) - loaded)
        report["before_snapshot_calls"] = made
        with aws_calls() as made:
            for hook, args, kwargs in snapshot_restore_py.get_after_restore():
                hook(*args, **kwargs)  # and these in the order of registration
        report["after_restore_calls"] = made
        gateway = _local_gateway()
        loaded = set(sys.modules)
        with aws_calls() as made:
            report["statuses"] = first_requests(gateway, token)
        report["requests_loaded"] = sorted(set(sys.modules) - loaded)
        report["requests_calls"] = made
    print(json.dumps(report))


def _local_gateway() -> Any:
    """The local API Gateway, and the emulator's stream support (moto loads it at the first
    write to a table with a stream): loaded before the measured requests, not by them."""
    import boto3

    from partnerapp_infra.aws import template
    from partnerapp_infra.local.gateway import LocalGateway

    for region in sorted(set(local_stack.DATA_REGIONS.values())):
        db = boto3.client("dynamodb", region_name=region)
        key = {"pk": {"S": "probe"}, "sk": {"S": "probe"}}
        db.put_item(TableName=template.parameter_default("LicensesTableName"), Item=key)
        db.delete_item(TableName=template.parameter_default("LicensesTableName"), Key=key)
    return LocalGateway()


def _partner_token() -> str:
    """A partner and its token, made before the handler is imported; then a cold process
    again (no settings, clients or dependencies cached)."""
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.settings import get_settings
    from partnerapp.store import clients
    from partnerapp.store.partners import PartnerRepository

    partners = PartnerRepository(get_settings())
    partner = partners.create("agency@partner.example", "Agency", utc_now())
    _, token = partners.issue_token(partner, "probe", utc_now())
    clients.reset()
    get_settings.cache_clear()
    return token


def _name(hook: Any) -> str:
    return f"{hook.__module__}.{hook.__qualname__}"


if __name__ == "__main__":
    main()
