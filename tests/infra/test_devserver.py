"""The dev server as a user starts it: a separate process with its own moto, driven over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from partnerapp_infra.paths import REPO_ROOT
from tests.dev_servers import RunningDevServer, dev_server

pytestmark = pytest.mark.devserver


class Server:
    def __init__(self, running: RunningDevServer) -> None:
        self.base = running.base
        self.aws_endpoint = running.aws_endpoint

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with dev_server(PARTNERAPP_DEMO_TOKEN="pat_demo-token-for-tests") as running:
        yield Server(running)


def _wait_for_emails(server: Server, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        emails = server.call("GET", "/_dev/outbox.json")[1]
        if len(emails) >= count:
            return emails  # type: ignore[no-any-return]
        time.sleep(0.3)
    return server.call("GET", "/_dev/outbox.json")[1]  # type: ignore[no-any-return]


def test_demo_partner_token_from_the_environment_works(server: Server) -> None:
    status, profile = server.call("GET", "/v2/partners", token="pat_demo-token-for-tests")
    assert status == 200 and profile["login"] == "demo@partner.example"


def test_cli_partner_creates_a_license_and_the_invitations_arrive(server: Server) -> None:
    # Given a partner created by the admin CLI against the dev server's emulator
    environment = {**os.environ, "AWS_ENDPOINT_URL": server.aws_endpoint}
    environment.pop("PARTNERS_TABLE", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "partnerapp_infra.cli.main",
            "partners",
            "create",
            "--name",
            "Dev Agency",
            "--email",
            "dev@agency.example",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO_ROOT,
    )
    created = json.loads(result.stdout)
    assert set(created) == {"partner_id", "token"}
    # When they create a partner-managed LiveChat license with an invited agent
    status, body = server.call(
        "POST",
        "/v2/partners/solutions/licenses?product=livechat",
        token=created["token"],
        body={
            "client_name": "Dev Customer",
            "client_email": "owner@devcustomer.example",
            "payment_origin": "partner",
            "data_center": "eu-west3",
            "operators": [{"email": "agent@devcustomer.example", "role": "agent"}],
        },
    )
    assert status == 201, body
    # Then both invitations arrive in the local outbox within seconds
    emails = _wait_for_emails(server, 2)
    recipients = sorted(e["to"][0] for e in emails if "devcustomer" in e["to"][0])
    assert recipients == ["agent@devcustomer.example", "owner@devcustomer.example"]
    # The documented keys, and what the outbox page shows besides (headers, SES tags)
    assert all(set(e) == {"to", "subject", "text", "html", "sent_at", "headers", "tags"} for e in emails)
    assert all(e["tags"].get("license_id") == str(body["license"]) for e in emails)
    # And the license reads back with its invitations sent
    status, details = server.call(
        "GET", f"/v2/partners/solutions/licenses/livechat/{body['license']}", token=created["token"]
    )
    assert status == 200 and details["client_invitation_status"] == "sent"
    # And the outbox page lists them
    with urllib.request.urlopen(server.base + "/_dev/outbox", timeout=10) as page:
        assert "owner@devcustomer.example" in page.read().decode()


def test_cli_refuses_a_duplicate_login(server: Server) -> None:
    environment = {**os.environ, "AWS_ENDPOINT_URL": server.aws_endpoint}
    command = [
        sys.executable,
        "-m",
        "partnerapp_infra.cli.main",
        "partners",
        "create",
        "--name",
        "Twice",
        "--email",
        "twice@agency.example",
    ]
    assert (
        subprocess.run(command, env=environment, capture_output=True, check=False, cwd=REPO_ROOT).returncode
        == 0
    )
    again = subprocess.run(
        command, env=environment, capture_output=True, text=True, check=False, cwd=REPO_ROOT
    )
    assert again.returncode == 1 and "already exists" in again.stderr


def test_unknown_route_over_http(server: Server) -> None:
    assert server.call("GET", "/v2/partners/nowhere")[0] == 404


def test_the_feedback_budget_is_the_connections_address_not_the_forwarded_for_it_claims(
    server: Server,
) -> None:
    from urllib.parse import urlencode

    from partnerapp.services.article_feedback import POSTS_PER_CLIENT_MINUTE

    def vote(claimed: str) -> int:
        fields = {"article": "setting-up-licenses", "answer": "yes", "website": ""}
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": server.base,
            "Accept": "application/json",
            "X-Forwarded-For": claimed,
        }
        request = urllib.request.Request(
            server.base + "/web/article-feedback", data=urlencode(fields).encode(), headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    # Given one connection's address claiming a new X-Forwarded-For with every post (all
    # in one minute of the budget: not in a minute's last seconds)
    into_minute = time.time() % 60
    if into_minute > 55:
        time.sleep(60 - into_minute + 0.5)
    statuses = [vote(f"192.0.2.{n}") for n in range(1, POSTS_PER_CLIENT_MINUTE + 3)]
    # Then the dev server, like API Gateway, hands the handler the socket's address: one budget
    assert statuses == [200] * POSTS_PER_CLIENT_MINUTE + [429] * 2
