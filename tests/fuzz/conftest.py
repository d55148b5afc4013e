"""The dev server as a partner's script meets it, for the schema-driven fuzz tests: a separate
process with its own moto, a partner token, and one real object of each kind to aim at."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.dev_servers import dev_server

TOKEN = "pat_fuzz-token-for-schemathesis"
# Far above what the fuzzing sends, so the limiter (tested in test_rate_limits.py) never
# answers 429 here.
RATE_LIMIT_PER_MINUTE = "1000000"


@dataclass
class FuzzServer:
    base: str
    token: str
    # Path parameter name -> the id of an object of the partner's that exists.
    ids: dict[str, str]

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


def _seed(server: FuzzServer) -> None:
    """A partner-managed LiveChat license with an invited agent, an organization and a
    webhook: the objects the operations with ids in their path act on."""
    status, created = server.call(
        "POST",
        "/v2/partners/solutions/licenses?product=livechat",
        {
            "client_name": "Fuzzed Customer",
            "client_email": "owner@fuzzed.example",
            "payment_origin": "partner",
            "operators": [{"email": "agent@fuzzed.example", "role": "agent"}],
        },
    )
    assert status == 201, created
    status, organization = server.call(
        "POST",
        "/v2/partners/solutions/organizations",
        {
            "organization_name": "Fuzzed Organization",
            "client_name": "Fuzzed Customer Ltd",
            "client_email": "org@fuzzed.example",
        },
    )
    assert status == 201, organization
    status, webhook = server.call(
        "POST", "/v2/partners/webhooks", {"url": "http://127.0.0.1:9/fuzz", "events": ["license.created"]}
    )
    assert status == 201, webhook
    status, token = server.call("POST", "/v2/partners/tokens", {"label": "to revoke"})
    assert status == 201, token
    status, tokens = server.call("GET", "/v2/partners/tokens")
    assert status == 200, tokens
    own = next(t["id"] for t in tokens["result"] if t["token"] == server.token[:8] + "...")
    server.ids.update(
        product="livechat",
        license_id=str(created["license"]),
        email="agent@fuzzed.example",
        organization_id=str(organization["id"]),
        webhook_id=str(webhook["id"]),
        token_id=str(token["id"]),
        own_token_id=str(own),
    )


@pytest.fixture(scope="session")
def fuzz_server() -> Iterator[FuzzServer]:
    with dev_server(PARTNERAPP_DEMO_TOKEN=TOKEN, RATE_LIMIT_PER_MINUTE=RATE_LIMIT_PER_MINUTE) as running:
        server = FuzzServer(running.base, TOKEN, {})
        _seed(server)
        yield server
