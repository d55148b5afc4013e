"""`make bench`: the partner API measured on the local stack, printed as a table.

Runs moto as a server on a free port (as `make serve` does) and calls the API handler through
the local gateway, exactly as the dev server does. One run gives: create, get and list latency
(p50/p99) and throughput with 1 and 8 concurrent clients; list latency with 50 and 5,000
licenses for the partner; DynamoDB calls per create, get and list page; the API handler's
import time against `import boto3`; the cold path split into the handler's import, the init
SnapStart snapshots and the first answer after a restore; the kept counts' reads at 50, 5,000
and 50,000 licenses and their cost under 8 creating clients (bench_aggregates); and the
weight of the form page.
Figures are from this machine, which is shared and noisy: compare runs, not absolute numbers.
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnerapp_infra.quality.bench_calls import Api, BenchFailed, DynamoCall, Row, observed_dynamodb_calls

IMPORT_RUNS = 7
REQUESTS = 200
LIST_REQUESTS = 100
# A page of the list (our addition to the Text API, whose list answers every license of its
# window at once): what a partner's dashboard or script pages through.
LIST_PAGE = "/v2/partners/solutions/licenses?limit=15"
TOKEN = "pat_bench-token"  # noqa: S105 - the local emulator's demo partner  # nosec B105


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
    mean_ms: float

    @classmethod
    def of(cls, samples_ms: list[float], elapsed_seconds: float) -> Timing:
        """From each request's milliseconds and the wall time of them all."""
        return cls(
            _percentile(samples_ms, 0.5),
            _percentile(samples_ms, 0.99),
            len(samples_ms) / elapsed_seconds,
            statistics.fmean(samples_ms),
        )

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
    return Timing.of(samples, elapsed)


def import_seconds(module: str, runs: int = IMPORT_RUNS) -> float:
    """Median wall time to import `module` in a fresh interpreter (what a cold start pays)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    samples = []
    for _ in range(runs):
        output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                env={**os.environ, "POWERTOOLS_TRACE_DISABLED": "true"})  # fmt: skip
        samples.append(float(output.stdout.strip()))
    return statistics.median(samples)


# One cold path in a fresh interpreter, as Lambda runs it under SnapStart: the handler's
# import, the init (the before-snapshot hooks, which `prime`), then in the restored
# environment the after-restore hooks and the first request. With INIT=0 the hooks are not
# run: the first request after the bare import, an on-demand cold start without SnapStart.
_COLD_PATH = """
import json, os, time
from partnerapp_infra.local.apigw import HttpRequest
from partnerapp_infra.local.gateway import LocalGateway
gateway = LocalGateway()
started = time.perf_counter()
import partnerapp.handlers.api
import snapshot_restore_py as hooks
imported = time.perf_counter()
if os.environ["INIT"] == "1":
    for hook, args, kwargs in reversed(hooks.get_before_snapshot()):
        hook(*args, **kwargs)
initialised = time.perf_counter()
if os.environ["INIT"] == "1":
    for hook, args, kwargs in hooks.get_after_restore():
        hook(*args, **kwargs)
auth = [("authorization", "Bearer " + os.environ["TOKEN"])]
answer = gateway.handle(HttpRequest("GET", "/v2/partners", "", auth))
assert answer.status == 200, answer.body
answered = time.perf_counter()
print(json.dumps([imported - started, initialised - imported, answered - initialised]))
"""


@dataclass(frozen=True)
class ColdPath:
    import_seconds: float
    init_seconds: float
    first_answer_seconds: float


def cold_path(endpoint: str, init: bool) -> ColdPath:
    """Medians over fresh interpreters of the cold path's three parts (`_COLD_PATH`)."""
    samples = []
    for _ in range(IMPORT_RUNS):
        env = {**os.environ, "AWS_ENDPOINT_URL": endpoint, "TOKEN": TOKEN, "INIT": "1" if init else "0"}
        output = subprocess.run(
            [sys.executable, "-c", _COLD_PATH], capture_output=True, text=True, check=True, env=env
        )
        samples.append(json.loads(output.stdout.strip().splitlines()[-1]))  # after the handler's logs
    return ColdPath(*(statistics.median(part) for part in zip(*samples, strict=True)))


def cold_path_rows(endpoint: str) -> list[Row]:
    snapstart, on_demand = cold_path(endpoint, init=True), cold_path(endpoint, init=False)
    return [
        ("cold path 1: import partnerapp.handlers.api", f"{snapstart.import_seconds * 1000:.1f} ms"),
        (
            "cold path 2: init (before-snapshot hook, once per version)",
            f"{snapstart.init_seconds * 1000:.1f} ms",
        ),
        (
            "cold path 3: first answer after a restore (restore hook + GET /v2/partners)",
            f"{snapstart.first_answer_seconds * 1000:.1f} ms",
        ),
        (
            "for comparison: first answer after the bare import (no init, no SnapStart)",
            f"{on_demand.first_answer_seconds * 1000:.1f} ms",
        ),
    ]


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
    from partnerapp_infra.local.apigw import HttpRequest

    raw_path, _, query = path.partition("?")
    headers = [("authorization", f"Bearer {TOKEN}"), ("content-type", "application/json")]
    return HttpRequest(method, raw_path, query, headers, json.dumps(body).encode() if body else b"")


def timed_in(pool: Any, requests: list[Any], expect: int = 200) -> tuple[Timing, list[Any]]:
    """Latency percentiles (the handler's own time per request) and throughput (requests over
    the wall time of the whole batch) of `requests` spread over the pool's environments."""
    started = time.perf_counter()
    answers = pool.handle_all(requests)
    elapsed = time.perf_counter() - started
    wrong = [answer for answer, _ in answers if answer.status != expect]
    if wrong:  # a bench whose requests fail measures nothing: stop, and say how many and why
        first = wrong[0]
        raise BenchFailed(
            f"{len(wrong)} of {len(answers)} requests did not answer {expect} "
            f"(first: {first.status} {first.body[:200]!r})"
        )
    samples = [seconds * 1000 for _, seconds in answers]
    timing = Timing.of(samples, elapsed)
    return timing, [json.loads(answer.body) for answer, _ in answers]


def measure_requests(api: Api, partner_id: str) -> list[Row]:
    """Create, get and list with 1 and with 8 clients, each client a Lambda execution
    environment of its own (a worker process), all against the one emulator; and what the
    kept counts cost while the 8 create."""
    from partnerapp_infra.local.environments import EnvironmentPool
    from partnerapp_infra.quality.bench_aggregates import counter_load, kept_items

    create_url = "/v2/partners/solutions/licenses?product=livechat"
    rows: list[Row] = []
    ids: list[int] = []
    for clients in (1, 8):
        with EnvironmentPool(clients, dict(os.environ), quiet=True) as pool:
            first = 10_000 * clients  # each round creates fresh customers
            creates = [_request("POST", create_url, _create_body(first + n)) for n in range(REQUESTS)]
            counts_before, started = kept_items(partner_id), time.perf_counter()
            timing, created = timed_in(pool, creates, expect=201)
            if clients == 8:
                load = counter_load(partner_id, counts_before, time.perf_counter() - started, REQUESTS)
            ids = [int(item["license"]) for item in created]  # strings of digits, as in the Text API
            rows.append((f"create license, {clients} client(s)", timing.cells()))
            gets = [_request("GET", f"/v2/partners/solutions/licenses/livechat/{i}") for i in ids]
            rows.append((f"get license, {clients} client(s)", timed_in(pool, gets)[0].cells()))
            lists = [_request("GET", LIST_PAGE)] * REQUESTS
            rows.append((f"list first page, {clients} client(s)", timed_in(pool, lists)[0].cells()))
    # This process's first request notes the token's day of use (once a day) and claims a
    # batch of the partner's request budget (see the budget row): the rows below are what
    # every request costs once those are done.
    api.call("GET", "/v2/partners")
    with observed_dynamodb_calls() as calls:
        api.call("POST", create_url, _create_body(99_999), expect=201)
    rows.append(("DynamoDB calls per create (US, new client)", _summarize(calls)))
    with observed_dynamodb_calls() as calls:
        api.call("POST", create_url, _create_body(99_998), expect=201)
    rows.append(("DynamoDB calls per create (EU, new client)", _summarize(calls)))
    key = [("idempotency-key", "bench-keyed-create")]
    with observed_dynamodb_calls() as calls:
        api.call("POST", create_url, _create_body(99_997), expect=201, headers=key)
    rows.append(("DynamoDB calls per create (US, with an Idempotency-Key)", _summarize(calls)))
    with observed_dynamodb_calls() as calls:
        api.call("GET", f"/v2/partners/solutions/licenses/livechat/{ids[0]}")
    rows.append(("DynamoDB calls per get", _summarize(calls)))
    with observed_dynamodb_calls() as calls:
        api.call("GET", LIST_PAGE)
    rows.append(("DynamoDB calls per list page", _summarize(calls)))
    rows.append(budget_claims())
    rows += load
    bare_get = timed(_raw_get_item(ids[0]), REQUESTS)
    rows.append(("one DynamoDB GetItem alone, for comparison", bare_get.cells()))
    return rows


def budget_claims(limit: int = 600, requests: int = 600) -> Row:
    """Writes of the request budget over a minute of requests at the default budget, in one
    execution environment (its own limiter, as each environment has)."""
    from dataclasses import replace

    from partnerapp.domain.timestamps import utc_now
    from partnerapp.settings import get_settings
    from partnerapp.store.rate_limits import RateLimiter

    limiter = RateLimiter(replace(get_settings(), rate_limit_per_minute=limit))
    minute = utc_now().replace(second=0, microsecond=0)
    with observed_dynamodb_calls() as calls:
        served = sum(limiter.allow("bench-budget", minute) is None for _ in range(requests))
    if served != limit:
        raise BenchFailed(f"the budget of {limit} served {served} of {requests} requests")
    return (f"request budget writes per {requests} requests (budget {limit}/min)", _summarize(calls))


def _raw_get_item(license_id: int) -> Callable[[int], object]:
    """A bare GetItem of a license on the emulator: the floor under every API call."""
    from partnerapp.settings import get_settings
    from partnerapp.store import keys
    from partnerapp.store.licenses import RegionalTables

    located = RegionalTables(get_settings()).locate_license(license_id)
    assert located is not None, "the API made a license id that names no data region"
    db, table = located
    key = {"pk": {"S": keys.license_pk(license_id)}, "sk": {"S": keys.LICENSE_SK}}
    return lambda _: db.get_item(TableName=table, Key=key)


def _summarize(observed: list[DynamoCall]) -> str:
    calls = [call.operation for call in observed]
    counts = {name: calls.count(name) for name in dict.fromkeys(calls)}
    return f"{len(calls)} ({', '.join(f'{n} {name}' for name, n in counts.items())})"


def _lister(api: Api) -> Callable[[int], object]:
    return lambda _: api.call("GET", LIST_PAGE)


def seed_licenses(partner_id: str, count: int, first_id: int) -> None:
    """`count` trial licenses with their history, half in each data region, written in
    batches. (The API writes each in a transaction of its own: thousands of them, one at a
    time through the one emulator, would make the seeding, not the listing, the long part.)"""
    from partnerapp.domain.history import CREATED, HistoryEntry
    from partnerapp.domain.licenses import NewLicense, new_license_id, start_trial
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.settings import get_settings
    from partnerapp.store import records
    from partnerapp.store.licenses import RegionalTables

    tables = RegionalTables(get_settings())
    for start in range(0, count, 12):  # BatchWriteItem takes 25 items: 12 licenses and histories
        writes: dict[tuple[Any, str], list[dict[str, Any]]] = {}
        for n in range(start, min(start + 12, count)):
            request = NewLicense("livechat", "Seeded Customer", f"s{n}@example.com", "partner",
                                 "us-south1" if n % 2 else "eu-west3")  # fmt: skip
            item = start_trial(
                partner_id, request, new_license_id(first_id + n, request.data_center), utc_now()
            )
            created = HistoryEntry(item.created_at, "bench", CREATED)
            db, table = tables.locate(item.data_center)
            writes.setdefault((db, table), []).extend(
                {"PutRequest": {"Item": records.item(values)}}
                for values in (
                    records.license_values(item),
                    records.history_values(item, item.version, 0, created),
                )
            )
        for (db, table), requests in writes.items():
            db.batch_write_item(RequestItems={table: requests})


def measure_list_scaling() -> list[Row]:
    """List latency for a partner with 50 and one with 5,000 licenses: the listing's cost must
    not grow with the partner's total. Both partners are seeded before either is measured, so
    both lists run on the same tables (moto's Query walks its whole index in memory, which
    would otherwise be measured instead)."""
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.settings import get_settings
    from partnerapp.store.partners import PartnerRepository

    partners = PartnerRepository(get_settings())
    tokens: dict[int, str] = {}
    for seeding, size in enumerate((50, 5000), start=1):
        partner = partners.create(f"scale{size}@bench.example", f"Scale {size}", utc_now())
        tokens[size] = partners.issue_token(partner, "bench", utc_now())[1]
        # Below 10,000,000, where the API's random ids start: seeded ids never meet them.
        seed_licenses(partner.partner_id, size, first_id=seeding * 1_000_000)
    rows: list[Row] = []
    timings: list[float] = []
    own_ms: list[float] = []  # mean time per page outside DynamoDB calls
    read: list[int] = []
    for size, token in tokens.items():
        with observed_dynamodb_calls() as calls:
            timing = timed(_lister(Api(token)), LIST_REQUESTS)
        emulator_ms = sum(call.seconds for call in calls) * 1000 / LIST_REQUESTS
        timings.append(timing.p50_ms)
        own_ms.append(timing.mean_ms - emulator_ms)
        read.append(sum(call.scanned for call in calls if call.operation == "Query") // LIST_REQUESTS)
        rows.append((f"list first page, partner with {size} licenses", timing.cells()))
    rows += [
        ("list 5,000 / list 50 (target <= 1.5x)", f"{timings[1] / timings[0]:.2f}x"),
        ("list 5,000 / list 50, outside DynamoDB calls", f"{own_ms[1] / own_ms[0]:.2f}x"),
        ("items the list page's Queries read, 50 / 5,000 licenses", f"{read[0]} / {read[1]}"),
    ]
    return rows


FORM_PAGE = "guides/setting-up-licenses.html"  # the guide with the create-license form


def form_page_weight() -> list[Row]:
    """Bytes of the page carrying the create-license form, plus the CSS and JS it loads."""
    import re
    import tempfile

    from partnerapp_infra.site import builder as site_builder

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        site_builder.build(out)
        html = (out / FORM_PAGE).read_text()
        refs = sorted(set(re.findall(r'(?:src|href)="(/[^"?#]+\.(?:css|js))"', html)))
        total = len(html.encode()) + sum((out / ref.lstrip("/")).stat().st_size for ref in refs)
    return [("form page + its CSS and JS (target < 60 KB)", f"{total / 1024:.1f} KB ({len(refs)} assets)")]


def main() -> None:
    from moto.server import ThreadedMotoServer

    from partnerapp_infra.local import emulator as local_stack
    from partnerapp_infra.local.demo import seed_demo_partner
    from partnerapp_infra.quality.bench_aggregates import measure_aggregates

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
            demo_id, _ = seed_demo_partner(TOKEN)
            rows = measure_requests(Api(TOKEN), demo_id) + measure_list_scaling() + measure_aggregates()
        boto3_import = import_seconds("boto3")
        handler_import = import_seconds("partnerapp.handlers.api")
        rows += [
            ("import boto3", f"{boto3_import * 1000:.1f} ms"),
            ("import partnerapp.handlers.api", f"{handler_import * 1000:.1f} ms"),
            ("API handler import / boto3 import (target <= 1.5x)", f"{handler_import / boto3_import:.2f}x"),
            *cold_path_rows(endpoint),
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
    try:
        main()
    except BenchFailed as failure:
        print(f"bench FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
