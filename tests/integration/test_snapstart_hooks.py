"""SnapStart's runtime hooks, run for real: registered by the API handler's import, the
before-snapshot hook doing a first request's work without touching DynamoDB, and the
after-restore hook giving each restored environment its own random state, SDK session,
clients and secrets, after which the API still answers."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from typing import Any

import pytest
import snapshot_restore_py

from partnerapp import per_environment, runtime_secrets
from partnerapp.api import dependencies
from partnerapp.settings import get_settings
from partnerapp.store import clients
from tests.conftest import ApiClient, PartnerAccount


def handler_imported() -> None:
    """The API handler imported, which registers the hooks as Lambda's import of it does.
    Here, not when the tests are collected: the handler's module-level metrics read their
    namespace from the environment the `aws` fixture gives them."""
    import partnerapp.handlers.api  # noqa: F401


def before_snapshot() -> None:
    """As Lambda runs the hooks when it takes a version's snapshot: last registered first."""
    handler_imported()
    for hook, args, kwargs in reversed(snapshot_restore_py.get_before_snapshot()):
        hook(*args, **kwargs)


def after_restore() -> None:
    """As Lambda runs them in an environment it resumed from the snapshot: in order."""
    handler_imported()
    for hook, args, kwargs in snapshot_restore_py.get_after_restore():
        hook(*args, **kwargs)


@pytest.fixture(scope="module")
def probe() -> dict[str, Any]:
    """A SnapStart life in a fresh interpreter (tests/integration/snapstart_probe.py)."""
    ran = subprocess.run(
        [sys.executable, "-m", "tests.integration.snapstart_probe"],
        capture_output=True,
        text=True,
        check=True,
    )
    report: dict[str, Any] = json.loads(ran.stdout.strip().splitlines()[-1])  # after the handler's logs
    return report


def test_importing_the_api_handler_registers_both_hooks_with_the_runtime(probe: dict[str, Any]) -> None:
    assert probe["before_snapshot"] == ["partnerapp.handlers.snapstart.before_snapshot"]
    assert probe["after_restore"] == ["partnerapp.handlers.snapstart.after_restore"]


def test_the_init_does_what_first_requests_would_without_dynamodb(probe: dict[str, Any]) -> None:
    # The routes' lazily imported libraries are loaded before the snapshot ...
    assert {
        "marshmallow",
        "aws_lambda_powertools.utilities.idempotency",
        "aws_lambda_powertools.utilities.parameters",
        "partnerapp.schemas.licenses",
        "partnerapp.services.licensing",
    } <= set(probe["before_snapshot_loaded"])
    # ... the secrets read (the keyed hash's and the billing events'; the local stack has no
    # origin check), and no DynamoDB call made: no partner's data is in the snapshot.
    assert probe["before_snapshot_calls"] == ["secretsmanager:GetSecretValue"] * 2
    # The restore itself calls nothing; the first requests after it import nothing more,
    # read the secrets again (the snapshot's are dropped), and answer.
    assert probe["after_restore_calls"] == []
    assert probe["statuses"] == [200, 201, 200, 401]
    assert probe["requests_loaded"] == []
    assert probe["requests_calls"].count("secretsmanager:GetSecretValue") >= 1


def test_a_restored_environment_has_its_own_random_state_session_clients_and_secrets(
    api: ApiClient, partner: PartnerAccount
) -> None:
    before_snapshot()
    home = get_settings().home_region
    snapshot = {
        "session": clients.session(),
        "credentials": clients.session().get_credentials(),
        "client": clients.dynamodb(home),
        "dependencies": dependencies.dependencies(),
        "secrets": runtime_secrets._provider(),
    }
    random.seed(20261202)  # what every environment resumed from one snapshot would start from
    copied = random.getstate()

    after_restore()

    assert random.getstate() != copied
    assert clients.session() is not snapshot["session"]
    assert clients.session().get_credentials() is not snapshot["credentials"]
    assert clients.dynamodb(home) is not snapshot["client"]  # rebuilt by the hook, from the new session
    assert clients.dynamodb.cache_info().currsize == len(
        {home, *(t.aws_region for t in get_settings().license_tables.values())}
    )
    assert runtime_secrets._provider.cache_info().currsize == 0  # read again at first use
    answer = api.get("/v2/partners", token=partner.token)
    assert answer.status == 200 and answer.json()["partner_id"] == partner.partner_id
    assert dependencies.dependencies() is not snapshot["dependencies"]
    assert runtime_secrets._provider() is not snapshot["secrets"]


def test_state_a_module_registers_is_forgotten_in_each_restored_environment(
    aws: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(per_environment, "_forgetters", list(per_environment.registered()))
    allowances = {"partner-1": 40}  # say, requests a partner may still make from this environment
    per_environment.register(allowances.clear)
    after_restore()
    assert allowances == {}
