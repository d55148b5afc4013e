"""`make bench`: latency of the API on the local stack and the API handler's import cost.

Runs moto as a server on a free port (as `make serve` does), calls the API handler through
the local gateway, and prints a table. Figures are medians of one run on this machine.
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

IMPORT_RUNS = 7
REQUESTS = 200


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def import_seconds(module: str, runs: int = IMPORT_RUNS) -> float:
    """Median wall time to import `module` in a fresh interpreter (what a cold start pays)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    samples = []
    for _ in range(runs):
        output = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "POWERTOOLS_TRACE_DISABLED": "true"},
        )
        samples.append(float(output.stdout.strip()))
    return statistics.median(samples)


def median_ms(action: Callable[[int], object], count: int = REQUESTS) -> float:
    samples = []
    for n in range(count):
        started = time.perf_counter()
        action(n)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def cold_start_seconds(endpoint: str, token: str) -> float:
    """Median time, in a fresh interpreter, to import the API handler and answer one GET
    of the partner profile: what a cold start costs before the first answer."""
    code = (
        "import time; t = time.perf_counter()\n"
        "from partnerapp_infra.gateway import LocalGateway\n"
        "from partnerapp_infra.apigw import HttpRequest\n"
        "import partnerapp.handlers.api\n"
        f"auth = [('authorization', 'Bearer {token}')]\n"
        "answer = LocalGateway().handle(HttpRequest('GET', '/v2/partners', '', auth))\n"
        "assert answer.status == 200, answer.body\n"
        "print(time.perf_counter() - t)"
    )
    samples = []
    for _ in range(IMPORT_RUNS):
        output = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "AWS_ENDPOINT_URL": endpoint},
        )
        samples.append(float(output.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


def main() -> None:
    import logging

    from moto.server import ThreadedMotoServer

    from partnerapp_infra import local_stack

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's request log

    port = _free_port()
    local_stack.serialize_emulated_dynamodb()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        os.environ.update(local_stack.fake_credentials(), AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}")
        # The functions' JSON logs and metrics would bury the table: they go nowhere here.
        with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
            local_stack.bootstrap("http://127.0.0.1:8000")
            rows = _measure()
        boto3_import = import_seconds("boto3")
        handler_import = import_seconds("partnerapp.handlers.api")
        cold = cold_start_seconds(f"http://127.0.0.1:{port}", "pat_bench-token")
    finally:
        server.stop()
    rows += [
        ("import boto3", f"{boto3_import * 1000:.1f} ms"),
        ("import partnerapp.handlers.api", f"{handler_import * 1000:.1f} ms"),
        ("API handler import / boto3 import", f"{handler_import / boto3_import:.2f}x (target <= 1.5x)"),
        ("cold start: import + first answer (GET /v2/partners)", f"{cold * 1000:.1f} ms"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'measure'.ljust(width)} | value")
    print(f"{'-' * width}-|-{'-' * 30}")
    for name, value in rows:
        print(f"{name.ljust(width)} | {value}")


def _measure() -> list[tuple[str, str]]:
    import json

    import boto3

    from partnerapp_infra.apigw import HttpRequest
    from partnerapp_infra.demo import seed_demo_partner
    from partnerapp_infra.gateway import LocalGateway

    _, token = seed_demo_partner("pat_bench-token")
    gateway = LocalGateway()
    headers = [("authorization", f"Bearer {token}"), ("content-type", "application/json")]
    created: list[int] = []

    def create(n: int) -> None:
        body = {
            "client_name": "Bench Customer",
            "client_email": f"bench{n}@example.com",
            "payment_origin": "partner",
        }
        answer = gateway.handle(
            HttpRequest(
                "POST",
                "/v2/partners/solutions/licenses",
                "product=livechat",
                headers,
                json.dumps(body).encode(),
            )
        )
        assert answer.status == 201, answer.body
        created.append(json.loads(answer.body)["license"])

    def get(n: int) -> None:
        answer = gateway.handle(
            HttpRequest("GET", f"/v2/partners/solutions/licenses/livechat/{created[n]}", "", headers)
        )
        assert answer.status == 200

    client = boto3.client("dynamodb", region_name=local_stack_region())

    def get_item(n: int) -> None:
        client.get_item(
            TableName="partnerapp-licenses",
            Key={"pk": {"S": f"LICENSE#{created[n]}"}, "sk": {"S": "LICENSE"}},
        )

    return [
        (f"create license, median of {REQUESTS}", f"{median_ms(create):.1f} ms"),
        (f"get license, median of {REQUESTS}", f"{median_ms(get):.1f} ms"),
        (f"DynamoDB GetItem alone, median of {REQUESTS}", f"{median_ms(get_item):.1f} ms"),
    ]


def local_stack_region() -> str:
    from partnerapp_infra import local_stack

    return local_stack.DATA_REGIONS["us-south1"]


if __name__ == "__main__":
    main()
