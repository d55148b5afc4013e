"""`make soak`: a bounded load run on the local stack, with lost responses, that then checks
every license and email it asked for.

Eight API execution environments (worker processes, as `make bench` runs them) against moto
served on a loopback port, for SOAK_SECONDS (150 by default), in rounds of mixed requests:
creates of new customers, creates repeating a customer on purpose (a true 409), groups of
creates sharing one Idempotency-Key, reads, lists, invitations and updates. In every worker a
share of DynamoDB write attempts (LOST_RESPONSES, 10 %) is applied and then answered with a
read timeout, so the SDK retries them; the outbox sweep, run here between rounds, loses as
many. At the end it reads back, with GetItem and Query only (the partner's `by_partner`
index, each license, the emulator's sent mail), and prints:

  requests, lost responses injected, false conflicts (a 409 or 5xx where none was due),
  licenses lost (a 201 whose license is not there), licenses duplicated (a customer with two,
  or one key's requests answered with two), emails missing, emails doubled, kept counts that
  differ from a recount of the licenses (`partnerapp aggregates verify`)

and exits non-zero unless the last six are 0.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnerapp_infra.local.apigw import HttpRequest

CREATE = "/v2/partners/solutions/licenses?product=livechat"
ONE = "/v2/partners/solutions/licenses/livechat/{}"
CLIENTS = 8
ROUND = 48  # requests per round, spread over the clients
LOST_SHARE = "0.1"
IN_PROGRESS_RETRIES = 5


@dataclass(frozen=True)
class Expect:
    """What one request must answer, and what it promises if it does."""

    kind: str
    ok: tuple[int, ...]
    email: str | None = None  # a create's customer (must end with one license, one email)
    key_group: str | None = None  # creates sharing an Idempotency-Key
    invitee: str | None = None  # an invitation's address (must get one email)


@dataclass
class Tally:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    false_conflicts: int = 0
    in_progress_retried: int = 0  # keyed requests told "still in progress", sent again
    created: dict[str, set[int]] = field(default_factory=dict)  # customer -> license ids answered
    key_groups: dict[str, set[int]] = field(default_factory=dict)
    invitees: set[str] = field(default_factory=set)


class Workload:
    """The requests of each round; it remembers what earlier rounds created."""

    def __init__(self, token: str) -> None:
        self._token = token
        self._next = 0
        self.licenses: list[tuple[int, str]] = []  # (license id, customer) created so far

    def _request(self, method: str, path: str, body: Any = None, **headers: str) -> HttpRequest:
        raw_path, _, query = path.partition("?")
        all_headers = {
            "authorization": f"Bearer {self._token}",
            "content-type": "application/json",
            **headers,
        }
        data = json.dumps(body).encode() if body is not None else b""
        return HttpRequest(method, raw_path, query, list(all_headers.items()), data)

    def _customer(self) -> str:
        self._next += 1
        return f"soak{self._next}@customer.example"

    def _create(self, email: str) -> dict[str, Any]:
        center = "eu" if self._next % 2 else "us"
        return {"client_name": "Soak Customer", "client_email": email, "payment_origin": "partner",
                "data_center": center}  # fmt: skip

    def round(self, number: int) -> list[tuple[HttpRequest, Expect]]:
        batch: list[tuple[HttpRequest, Expect]] = []
        for _ in range(20):  # new customers
            email = self._customer()
            batch.append(
                (self._request("POST", CREATE, self._create(email)), Expect("create", (201,), email))
            )
        group = f"soak-key-{number}"  # one request sent six times with one key
        email = self._customer()
        shared = self._request("POST", CREATE, self._create(email), **{"idempotency-key": group})
        batch += [(shared, Expect("keyed create", (201,), email, key_group=group))] * 6
        known = self.licenses[-40:]
        for _, customer in known[:4]:  # a customer who has one: a true 409
            body = self._create(customer)
            batch.append((self._request("POST", CREATE, body), Expect("duplicate", (409,))))
        for license_id, _ in known[4:12]:
            batch.append((self._request("GET", ONE.format(license_id)), Expect("read", (200,))))
        batch += [(self._request("GET", "/v2/partners/solutions/licenses"), Expect("list", (200,)))] * 4
        for n, (license_id, _) in enumerate(known[12:18]):  # distinct licenses: no version race
            invitee = f"op{number}-{n}@customer.example"
            body = {"operators": [{"email": invitee, "role": "agent"}]}
            path = ONE.format(license_id) + "/operators"
            batch.append((self._request("POST", path, body), Expect("invite", (200,), invitee=invitee)))
        for n, (license_id, _) in enumerate(known[18:24]):
            body = {"client_name": f"Soak Customer {number}-{n}"}
            # The Text API's update answers 204 without a body
            batch.append((self._request("PUT", ONE.format(license_id), body), Expect("update", (204,))))
        return batch


def run_rounds(pool: Any, workload: Workload, seconds: float, sweep: Any) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    number = 0
    while time.monotonic() < deadline:
        number += 1
        batch = workload.round(number)
        answers = pool.handle_all([request for request, _ in batch])
        for _ in range(IN_PROGRESS_RETRIES):  # as a client does when told "retry in a moment"
            waiting = [n for n, (answer, _) in enumerate(answers) if _in_progress(answer.status, answer.body)]
            if not waiting:
                break
            tally.requests += len(waiting)
            tally.in_progress_retried += len(waiting)
            time.sleep(1)
            again = pool.handle_all([batch[n][0] for n in waiting])
            for n, answer in zip(waiting, again, strict=True):
                answers[n] = answer
        for (_, expect), (answer, _) in zip(batch, answers, strict=True):
            _count(tally, expect, answer.status, answer.body)
        workload.licenses += sorted(
            {(i, email) for email, ids in tally.created.items() for i in ids} - set(workload.licenses)
        )
        sweep()
    return tally


def _in_progress(status: int, body: bytes) -> bool:
    """The API's "a request with this Idempotency-Key is still in progress" (409, Retry-After):
    not a conflict, an invitation to send it again."""
    return status == 409 and b"still in progress" in body


def _count(tally: Tally, expect: Expect, status: int, body: bytes) -> None:
    tally.requests += 1
    tally.statuses[status] += 1
    if status not in expect.ok:
        tally.false_conflicts += 1
        print(f"  unexpected {status} for {expect.kind}: {body[:160]!r}", file=sys.stderr)
        return
    if expect.email is not None:
        license_id = int(json.loads(body)["license"])  # a string of digits, as in the Text API
        tally.created.setdefault(expect.email, set()).add(license_id)
        if expect.key_group is not None:
            tally.key_groups.setdefault(expect.key_group, set()).add(license_id)
    if expect.invitee is not None:
        tally.invitees.add(expect.invitee)


@dataclass(frozen=True)
class Findings:
    lost: int
    duplicated: int
    emails_missing: int
    emails_doubled: int
    counts_wrong: int  # kept counts that differ from a recount (`partnerapp aggregates verify`)


def check(partner_id: str, tally: Tally) -> Findings:
    """Read back what the run promised, with Query and GetItem only."""
    stored = _partner_licenses(partner_id)  # license id -> customer
    by_customer = Counter(stored.values())
    answered = {i: email for email, ids in tally.created.items() for i in ids}
    lost = sum(1 for license_id, email in answered.items() if stored.get(license_id) != email)
    duplicated = sum(n - 1 for n in by_customer.values() if n > 1)
    duplicated += sum(len(ids) - 1 for ids in tally.created.values() if len(ids) > 1)
    sent = Counter(to for to in _sent_recipients())
    expected = set(tally.created) | tally.invitees
    missing = sum(1 for address in expected if sent[address] == 0)
    doubled = sum(sent[address] - 1 for address in expected if sent[address] > 1)
    doubled += sum(n for address, n in sent.items() if address not in expected)  # never asked for
    return Findings(lost, duplicated, missing, doubled, _counts_wrong(partner_id))


def _counts_wrong(partner_id: str) -> int:
    from partnerapp.settings import get_settings
    from partnerapp_infra.cli import recount as aggregates

    differences = aggregates.verify(get_settings(), [partner_id]).differences
    for line in differences:
        print(f"soak: {line}", file=sys.stderr)
    return len(differences)


def _partner_licenses(partner_id: str) -> dict[int, str]:
    """Every license of the partner, in both data regions: a Query of its `by_partner` index."""
    from partnerapp.settings import get_settings
    from partnerapp.store import keys
    from partnerapp.store.licenses import RegionalTables

    tables = RegionalTables(get_settings())
    found: dict[int, str] = {}
    for center in tables.data_centers:
        db, table = tables.locate(center)
        request: dict[str, Any] = {
            "TableName": table,
            "IndexName": "by_partner",
            "KeyConditionExpression": "by_partner_pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": keys.partner_pk(partner_id)}},
            "ProjectionExpression": "license_id, client_email",
        }
        while True:
            page = db.query(**request)
            found.update({int(i["license_id"]["N"]): i["client_email"]["S"] for i in page["Items"]})
            if "LastEvaluatedKey" not in page:
                break
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return found


def _sent_recipients() -> list[str]:
    """Every address the emulated SES accepted mail for, from the emulator itself."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    from partnerapp_infra.local import emulator as local_stack

    addresses: list[str] = []
    for region in sorted(set(local_stack.DATA_REGIONS.values())):
        for message in ses_backends[DEFAULT_ACCOUNT_ID][region].sent_messages:
            # moto lists the To header and the SES destination both: each address once.
            addresses += dict.fromkeys(a.lower() for a in message.destinations or [])
    return addresses


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    from partnerapp_infra.quality.bench import _free_port

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def _sweeper(lost_log: Path) -> Any:
    """The outbox sweep, run here as its schedule would, losing a share of its write answers."""
    from partnerapp_infra.local import faults
    from partnerapp_infra.local.gateway import invoke

    choose = faults.share_of_first_attempts(float(LOST_SHARE), seed=11)

    def logged(number: int, operation: str, attempt: int) -> bool:
        drop = choose(number, operation, attempt)
        if drop:
            with lost_log.open("a", encoding="utf-8") as out:
                out.write(f"{operation}\n")
        return drop

    def sweep() -> None:
        with faults.LostResponses(logged):
            while invoke("OutboxSweepFunction", {"source": "aws.events"})["sent"]:
                pass

    return sweep


def _partner() -> tuple[str, str]:
    """A partner of its own for the run: (partner id, API token)."""
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.settings import get_settings
    from partnerapp.store.partners import PartnerRepository

    partners = PartnerRepository(get_settings())
    partner = partners.create("soak@partner.example", "Soak Partner", utc_now())
    return partner.partner_id, partners.issue_token(partner, "soak", utc_now())[1]


def _soak(seconds: float, lost_log: Path) -> tuple[Tally, Findings, float]:
    from partnerapp_infra.local import emulator as local_stack
    from partnerapp_infra.local import faults
    from partnerapp_infra.local.environments import EnvironmentPool

    # The functions' JSON logs would bury the table: they go nowhere here.
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        local_stack.bootstrap("http://127.0.0.1:8000")
        partner_id, token = _partner()
        workers = {**os.environ, faults.RATE_VARIABLE: LOST_SHARE, faults.LOG_VARIABLE: str(lost_log)}
        started = time.monotonic()
        with EnvironmentPool(CLIENTS, workers, quiet=True) as pool:
            sweep = _sweeper(lost_log)
            tally = run_rounds(pool, Workload(token), seconds, sweep)
            sweep()
        elapsed = time.monotonic() - started
    return tally, check(partner_id, tally), elapsed


def _rows(tally: Tally, findings: Findings, injected: int, elapsed: float) -> list[tuple[str, str]]:
    statuses = ", ".join(f"{n} x {s}" for s, n in sorted(tally.statuses.items()))
    share = f"{float(LOST_SHARE):.0%}"
    return [
        ("run", f"{elapsed:.0f} s, {CLIENTS} clients, {share} of write attempts lose their answer"),
        ("requests", f"{tally.requests} (final answers: {statuses})"),
        ("of them sent again after 409 'still in progress' (Retry-After)", str(tally.in_progress_retried)),
        ("licenses created", str(sum(len(ids) for ids in tally.created.values()))),
        ("emails expected", str(len(set(tally.created) | tally.invitees))),
        ("lost responses injected (then retried by the SDK)", str(injected)),
        ("false conflicts (409 or 5xx where none was due)", str(tally.false_conflicts)),
        ("licenses lost", str(findings.lost)),
        ("licenses duplicated", str(findings.duplicated)),
        ("emails missing", str(findings.emails_missing)),
        ("emails doubled", str(findings.emails_doubled)),
        ("kept counts differing from a recount (aggregates verify)", str(findings.counts_wrong)),
    ]


def main() -> None:
    from partnerapp_infra.local import emulator as local_stack
    from partnerapp_infra.quality.bench import print_table

    seconds = float(os.environ.get("SOAK_SECONDS", "150"))
    local_stack.serialize_emulated_dynamodb()
    with moto_server() as endpoint, tempfile.TemporaryDirectory() as folder:
        lost_log = Path(folder) / "lost-responses"
        lost_log.touch()
        os.environ.update(
            local_stack.fake_credentials(), AWS_ENDPOINT_URL=endpoint, RATE_LIMIT_PER_MINUTE="1000000"
        )
        tally, findings, elapsed = _soak(seconds, lost_log)
        injected = len(lost_log.read_text().splitlines())
    print_table(_rows(tally, findings, injected, elapsed))
    failures = tally.false_conflicts + findings.lost + findings.duplicated
    failures += findings.emails_missing + findings.emails_doubled + findings.counts_wrong
    if failures or injected == 0:
        print("soak FAILED: every figure from false conflicts down must be 0", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
