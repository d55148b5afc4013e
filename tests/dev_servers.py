"""The dev server as a user starts it (`make serve`): a separate process with its own moto, on
free ports, for the tests that drive it over HTTP (site, fuzzing, the dev server itself)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from partnerapp_infra.paths import REPO_ROOT

START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class RunningDevServer:
    base: str  # the site and the API
    aws_endpoint: str  # its moto, for the admin CLI


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/v2/partners/status", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def dev_server(**variables: str) -> Iterator[RunningDevServer]:
    """Start `python -m partnerapp_infra.local.devserver` with `variables` added to this
    environment (never this process's AWS settings), and stop it afterwards."""
    port, aws_port = free_port(), free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    environment.update(PORT=str(port), LOCAL_AWS_PORT=str(aws_port), **variables)
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "partnerapp_infra.local.devserver"],
            cwd=REPO_ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        running = RunningDevServer(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{aws_port}")
        deadline = time.monotonic() + START_SECONDS
        while not _answers(running.base):
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                output.seek(0)
                pytest.fail("the dev server did not start:\n" + output.read().decode(errors="replace"))
            time.sleep(0.2)
        try:
            yield running
        finally:
            process.terminate()
            process.wait(timeout=10)
