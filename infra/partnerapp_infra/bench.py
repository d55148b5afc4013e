"""`make bench`: the partner API measured on the local stack, printed as a table.

Runs moto as a server on a free port (as `make serve` does) and calls the API handler through
the local gateway, exactly as the dev server does. One run gives: create, get and list latency
(p50/p99) and throughput with 1 and 8 concurrent clients; list latency with 50 and 5,000
licenses for the partner; DynamoDB calls per create, get and list page; the API handler's
import time against `import boto3`; and the weight of the form page. Figures are from this
machine, which is shared and noisy: compare runs, not absolute numbers.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

IMPORT_RUNS = 7
REQUESTS = 200
TOKEN = "pat_bench-token"  # noqa: S105 - the local emulator's demo partner
Row = tuple[str, str]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


@dataclass(frozen=True)
class Timing:
    p50_ms: float
    p99_ms: float
    per_second: float

    def cells(self) -> str:
        return f"p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, {self.per_second:.0f} req/s"


def timed(action: Callable[[int], object], count: int) -> Timing:
    """Latency percentiles and throughput of `count` calls made one after the other here."""
    samples = []
    started = time.perf_counter()
    for n in range(count):
        began = time.perf_counter()
        action(n)
        samples.append((time.perf_counter() - began) * 1000)
    elapsed = time.perf_counter() - started
    return Timing(_percentile(samples, 0.5), _percentile(samples, 0.99), count / elapsed)


def import_seconds(module: str, runs: int = IMPORT_RUNS) -> float:
    """Median wall time to import `module` in a fresh interpreter (what a cold start pays)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    samples = []
    for _ in range(runs):
        output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                env={**os.environ, "POWERTOOLS_TRACE_DISABLED": "true"})  # fmt: skip
        samples.append(float(output.stdout.strip()))
    return statistics.median(samples)


def cold_start_seconds(endpoint: str) -> float:
    """Median time, in a fresh interpreter, to import the API handler and answer one GET of
    the partner profile: what a cold start costs before the first answer."""
    code = (
        "import time; t = time.perf_counter()\n"
        "from partnerapp_infra.gateway import LocalGateway\n"
        "from partnerapp_infra.apigw import HttpRequest\n"
        "import partnerapp.handlers.api\n"
        f"auth = [('authorization', 'Bearer {TOKEN}')]\n"
        "answer = LocalGateway().handle(HttpRequest('GET', '/v2/partners', '', auth))\n"
        "assert answer.status == 200, answer.body\n"
        "print(time.perf_counter() - t)"
    )
    samples = []
    for _ in range(IMPORT_RUNS):
        output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                env={**os.environ, "AWS_ENDPOINT_URL": endpoint})  # fmt: skip
        samples.append(float(output.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


@contextlib.contextmanager
def counted_dynamodb_calls() -> Iterator[list[str]]:
    """The DynamoDB operations made inside the block, by name."""
    import botocore.client

    calls: list[str] = []
    original = botocore.client.BaseClient._make_api_call

    def counting(self: Any, operation: str, params: dict[str, Any]) -> Any:
        if self.meta.service_model.service_name == "dynamodb":
            calls.append(operation)
        return original(self, operation, params)

    botocore.client.BaseClient._make_api_call = counting
    try:
        yield calls
    finally:
        botocore.client.BaseClient._make_api_call = original


class Api:
    """The API handler behind the local gateway, called as one partner."""

    def __init__(self, token: str) -> None:
        from partnerapp_infra.gateway import LocalGateway

        self._gateway = LocalGateway()
        self._headers = [("authorization", f"Bearer {token}"), ("content-type", "application/json")]

    def call(self, method: str, path: str, body: Any = None, expect: int = 200) -> Any:
        from partnerapp_infra.apigw import HttpRequest

        raw_path, _, query = path.partition("?")
        data = json.dumps(body).encode() if body is not None else b""
        answer = self._gateway.handle(HttpRequest(method, raw_path, query, self._headers, data))
        if answer.status != expect:
            raise RuntimeError(f"{method} {path}: {answer.status} {answer.body[:200]!r}")
        return json.loads(answer.body)


def _create_body(n: int) -> dict[str, Any]:
    region = "us" if n % 2 else "eu"
    email = f"bench{n}@example.com"
    return {
        "client_name": "Bench Customer",
        "client_email": email,
        "payment_origin": "partner",
        "data_center": region,
    }


def _request(method: str, path: str, body: Any = None) -> Any:
    from partnerapp_infra.apigw import HttpRequest

    raw_path, _, query = path.partition("?")
    headers = [("authorization", f"Bearer {TOKEN}"), ("content-type", "application/json")]
    return HttpRequest(method, raw_path, query, headers, json.dumps(body).encode() if body else b"")


def timed_in(pool: Any, requests: list[Any], expect: int = 200) -> tuple[Timing, list[Any]]:
    """Latency percentiles (the handler's own time per request) and throughput (requests over
    the wall time of the whole batch) of `requests` spread over the pool's environments."""
    started = time.perf_counter()
    answers = pool.handle_all(requests)
    elapsed = time.perf_counter() - started
    for answer, _ in answers:
        if answer.status != expect:
            raise RuntimeError(f"{answer.status} {answer.body[:200]!r}")
    samples = [seconds * 1000 for _, seconds in answers]
    timing = Timing(_percentile(samples, 0.5), _percentile(samples, 0.99), len(requests) / elapsed)
    return timing, [json.loads(answer.body) for answer, _ in answers]


def measure_requests(api: Api) -> list[Row]:
    """Create, get and list with 1 and with 8 clients, each client a Lambda execution
    environment of its own (a worker process), all against the one emulator."""
    from partnerapp_infra.environments import EnvironmentPool

    create_url = "/v2/partners/solutions/licenses?product=livechat"
    rows: list[Row] = []
    ids: list[int] = []
    for clients in (1, 8):
        # The workers' JSON logs would bury the table too: warnings and errors only.
        quiet = {**os.environ, "POWERTOOLS_LOG_LEVEL": "WARNING", "POWERTOOLS_METRICS_DISABLED": "true"}
        with EnvironmentPool(clients, quiet) as pool:
            first = 10_000 * clients  # each round creates fresh customers
            creates = [_request("POST", create_url, _create_body(first + n)) for n in range(REQUESTS)]
            timing, created = timed_in(pool, creates, expect=201)
            ids = [item["license"] for item in created]
            rows.append((f"create license, {clients} client(s)", timing.cells()))
            gets = [_request("GET", f"/v2/partners/solutions/licenses/livechat/{i}") for i in ids]
            rows.append((f"get license, {clients} client(s)", timed_in(pool, gets)[0].cells()))
            lists = [_request("GET", "/v2/partners/solutions/licenses")] * REQUESTS
            rows.append((f"list first page, {clients} client(s)", timed_in(pool, lists)[0].cells()))
    with counted_dynamodb_calls() as calls:
        api.call("POST", create_url, _create_body(99_999), expect=201)
    rows.append(("DynamoDB calls per create", _summarize(calls)))
    with counted_dynamodb_calls() as calls:
        api.call("GET", f"/v2/partners/solutions/licenses/livechat/{ids[0]}")
    rows.append(("DynamoDB calls per get", _summarize(calls)))
    with counted_dynamodb_calls() as calls:
        api.call("GET", "/v2/partners/solutions/licenses")
    rows.append(("DynamoDB calls per list page", _summarize(calls)))
    return rows


def _summarize(calls: list[str]) -> str:
    counts = {name: calls.count(name) for name in dict.fromkeys(calls)}
    return f"{len(calls)} ({', '.join(f'{n} {name}' for name, n in counts.items())})"


def _lister(api: Api) -> Callable[[int], object]:
    return lambda _: api.call("GET", "/v2/partners/solutions/licenses")


def measure_list_scaling() -> list[Row]:
    """List latency for a partner with 50 and with 5,000 licenses (seeded straight into the
    store: the listing's cost must not grow with the partner's total)."""
    from partnerapp.domain.history import CREATED, HistoryEntry
    from partnerapp.domain.licenses import NewLicense, new_license_id, start_trial
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.settings import get_settings
    from partnerapp.store.licenses import LicenseRepository
    from partnerapp.store.partners import PartnerRepository

    settings = get_settings()
    partners, licenses = PartnerRepository(settings), LicenseRepository(settings)
    rows: list[Row] = []
    timings: list[float] = []
    for seeding, size in enumerate((50, 5000), start=1):
        partner = partners.create(f"scale{size}@bench.example", f"Scale {size}", utc_now())
        _, token = partners.issue_token(partner.partner_id, "bench", utc_now())
        for n in range(size):
            request = NewLicense("livechat", "Seeded Customer", f"s{n}@example.com", "partner",
                                 "us-south1" if n % 2 else "eu-west3")  # fmt: skip
            # Below 10,000,000, where the API's random ids start: seeded ids never meet them.
            license_id = new_license_id(seeding * 1_000_000 + n, request.data_center)
            item = start_trial(partner.partner_id, request, license_id, utc_now())
            licenses.insert(item, HistoryEntry(item.created_at, "bench", CREATED))
        timing = timed(_lister(Api(token)), 100)
        timings.append(timing.p50_ms)
        rows.append((f"list first page, partner with {size} licenses", timing.cells()))
    rows.append(("list 5,000 / list 50 (target <= 1.5x)", f"{timings[1] / timings[0]:.2f}x"))
    return rows


def form_page_weight() -> list[Row]:
    """Bytes of the page carrying the create-license form, plus the CSS and JS it loads."""
    import re
    import tempfile

    from partnerapp_infra import site_builder

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        site_builder.build(out)
        pages = [
            p for p in out.rglob("*.html") if "<form" in p.read_text() and "client_name" in p.read_text()
        ]
        if not pages:
            return [("form page weight", "no page with the create-license form was built")]
        html = pages[0].read_text()
        refs = re.findall(r'(?:src|href)="(/[^"?#]+\.(?:css|js))"', html)
        total = len(html.encode()) + sum((out / ref.lstrip("/")).stat().st_size for ref in refs)
    return [("form page + its CSS and JS (target < 60 KB)", f"{total / 1024:.1f} KB ({len(refs)} assets)")]


def main() -> None:
    from moto.server import ThreadedMotoServer

    from partnerapp_infra import local_stack
    from partnerapp_infra.demo import seed_demo_partner

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's request log
    port = _free_port()
    local_stack.serialize_emulated_dynamodb()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        os.environ.update(
            local_stack.fake_credentials(), AWS_ENDPOINT_URL=endpoint, RATE_LIMIT_PER_MINUTE="1000000"
        )
        # The functions' JSON logs and metrics would bury the table: they go nowhere here.
        with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
            local_stack.bootstrap("http://127.0.0.1:8000")
            seed_demo_partner(TOKEN)
            rows = measure_requests(Api(TOKEN)) + measure_list_scaling()
        boto3_import = import_seconds("boto3")
        handler_import = import_seconds("partnerapp.handlers.api")
        rows += [
            ("import boto3", f"{boto3_import * 1000:.1f} ms"),
            ("import partnerapp.handlers.api", f"{handler_import * 1000:.1f} ms"),
            ("API handler import / boto3 import (target <= 1.5x)", f"{handler_import / boto3_import:.2f}x"),
            (
                "cold start: import + first answer (GET /v2/partners)",
                f"{cold_start_seconds(endpoint) * 1000:.1f} ms",
            ),
        ]
    finally:
        server.stop()
    rows += form_page_weight()
    print_table(rows)


def print_table(rows: list[Row]) -> None:
    width = max(len(name) for name, _ in rows)
    print(f"| {'measure'.ljust(width)} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")


if __name__ == "__main__":
    main()
