"""The Text Partner API v2 conformance suite: each test sends one of the public docs' example
requests unchanged, with the real `curl`, to the dev server started as `make serve` starts it.

Only the docs' host (`https://api.livechatinc.com`) becomes the dev server's base URL and the
docs' placeholders (`<YOUR_API_TOKEN>`, `<LICENSE_ID>`, ...) become real values; method, path,
query, headers, body and its encoding are the docs' own."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from partnerapp_infra.paths import REPO_ROOT
from tests.dev_servers import RunningDevServer, dev_server

pytestmark = pytest.mark.devserver

DOCS_HOST = "https://api.livechatinc.com"
PLACEHOLDER = re.compile(r"<[A-Z_]+>")
CLI_CREATE_PARTNER = [sys.executable, "-m", "partnerapp_infra.cli.main", "partners", "create"]


@dataclass(frozen=True)
class CurlAnswer:
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Partner:
    login: str
    partner_id: str
    token: str


class CompatServer:
    def __init__(self, running: RunningDevServer) -> None:
        self.base = running.base
        self.aws_endpoint = running.aws_endpoint

    def new_partner(self, name: str = "Compat Agency") -> Partner:
        """A fresh partner made with the admin CLI, as an operator would: one per test, so
        tests never see each other's licenses."""
        login = f"compat-{uuid.uuid4().hex[:10]}@partner.example"
        environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        environment["AWS_ENDPOINT_URL"] = self.aws_endpoint
        done = subprocess.run(
            [*CLI_CREATE_PARTNER, "--name", name, "--email", login],
            env=environment,
            capture_output=True,
            check=True,
            cwd=REPO_ROOT,
            text=True,
        )
        created = json.loads(done.stdout)
        return Partner(login, created["partner_id"], created["token"])

    def curl(self, example: str, token: str | None = None, **values: str) -> CurlAnswer:
        """Run the docs' example `curl ...` command: `token` replaces `<YOUR_API_TOKEN>`, each
        of `values` its `<NAME>` placeholder (`license_id` for `<LICENSE_ID>`)."""
        command = example.replace("\\\n", " ").replace(DOCS_HOST, self.base)
        if token is not None:
            values["your_api_token"] = token
        for name, value in values.items():
            command = command.replace(f"<{name.upper()}>", value)
        left = PLACEHOLDER.findall(command)
        assert not left, f"placeholders without a value: {left}"
        arguments = shlex.split(command)
        assert arguments[0] == "curl", command
        with tempfile.TemporaryDirectory() as folder:
            headers_file, body_file = Path(folder, "headers"), Path(folder, "body")
            done = subprocess.run(
                [
                    "curl",
                    "--silent",
                    "--show-error",
                    "--globoff",  # the docs' JSON in queries is literal, not a curl URL pattern
                    "--dump-header",
                    str(headers_file),
                    "--output",
                    str(body_file),
                    "--write-out",
                    "%{http_code}",
                    *arguments[1:],
                ],
                capture_output=True,
                text=True,
                timeout=30,
            )
            assert done.returncode == 0, done.stderr
            return CurlAnswer(int(done.stdout), _headers(headers_file.read_text()), body_file.read_bytes())

    def read(self, path: str, token: str) -> CurlAnswer:
        """A second look through the API, to see a change take effect."""
        return self.curl(
            f"curl --request GET --url '{self.base}{path}' --header 'Authorization: Bearer {token}'"
        )


def _headers(dump: str) -> dict[str, str]:
    # The last response's block: curl writes one per response it read.
    block = dump.strip().split("\r\n\r\n")[-1]
    found: dict[str, str] = {}
    for line in block.splitlines()[1:]:
        name, _, value = line.partition(":")
        found[name.strip().lower()] = value.strip()
    return found


@pytest.fixture(scope="session")
def compat_server() -> Iterator[CompatServer]:
    with dev_server() as running:
        yield CompatServer(running)


@pytest.fixture
def partner(compat_server: CompatServer) -> Partner:
    return compat_server.new_partner()
