"""`partnerapp-client import-licenses`, run as a partner runs it (its console script, a real
dev server over HTTP): a 500-row file checked, created, killed halfway and finished; Ctrl-C;
the progress bar on a terminal and not with --quiet.

All in one module: the dev server is started once, and `pytest -n 2 --dist loadfile` keeps
the slow 500-row scenario on one worker beside the others."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from partnerapp_infra.paths import REPO_ROOT
from tests.dev_servers import RunningDevServer, dev_server

LICENSES = "/v2/partners/solutions/licenses"
CLIENT = shutil.which("partnerapp-client", path=str(Path(sys.executable).parent))
HEADER = [
    "product",
    "client_name",
    "client_email",
    "payment_origin",
    "data_center",
    "trial_duration",
    "identifier",
    "purchase_order",
    "organization_name",
    "operator_emails",
    "operator_roles",
]
RUN_SECONDS = 900


# Counting takes its window (date_from and date_to are required): one that holds every license.
COUNT_ALL = f"{LICENSES}/count?date_from=2000-01-01&date_to=2099-12-31"


@pytest.fixture(scope="module")
def server() -> Iterator[RunningDevServer]:
    # The rate limit is the API's own (tested elsewhere): here it would only make the test wait.
    with dev_server(RATE_LIMIT_PER_MINUTE="1000000") as running:
        yield running


@dataclass(frozen=True)
class Partner:
    token: str
    domain: str  # every customer address of this partner's files ends with it


def new_partner(server: RunningDevServer) -> Partner:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    environment["AWS_ENDPOINT_URL"] = server.aws_endpoint
    tag = uuid.uuid4().hex[:8]
    made = subprocess.run(
        [sys.executable, "-m", "partnerapp_infra.cli.main", "partners", "create",
         "--name", "Importing Agency", "--email", f"ops-{tag}@agency.example"],
        env=environment, capture_output=True, check=True, cwd=REPO_ROOT, text=True,
    )  # fmt: skip
    return Partner(json.loads(made.stdout)["token"], f"{tag}.example")


def call(server: RunningDevServer, partner: Partner, method: str, path: str, body: Any = None) -> Any:
    request = urllib.request.Request(
        server.base + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {partner.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def licenses_of(server: RunningDevServer, partner: Partner) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor = ""
    while True:
        page = call(
            server, partner, "GET", f"{LICENSES}?limit=100" + (f"&next_cursor={cursor}" if cursor else "")
        )
        found += page["result"]
        cursor = page.get("next_cursor") or ""
        if not cursor:
            return found


def trials(server: RunningDevServer, partner: Partner) -> int:
    return int(call(server, partner, "GET", COUNT_ALL)["trials"])


def invitations_to(server: RunningDevServer, domain: str) -> Counter[str]:
    emails = read_outbox(server)
    return Counter(to for email in emails for to in email["to"] if to.endswith("@" + domain))


def read_outbox(server: RunningDevServer) -> list[dict[str, Any]]:
    # The dev server reads the outbox from moto's whole state dump, which can fail while the
    # mailer is writing to it: a reader retries, as a person would reload the page.
    for attempt in range(6):
        try:
            with urllib.request.urlopen(server.base + "/_dev/outbox.json", timeout=180) as answer:
                return json.loads(answer.read())  # type: ignore[no-any-return]
        except urllib.error.HTTPError:
            if attempt == 5:
                raise
            time.sleep(2)
    raise AssertionError("unreachable")


def wait_for_invitations(server: RunningDevServer, domain: str, people: set[str]) -> Counter[str]:
    deadline = time.monotonic() + 120
    while True:
        sent = invitations_to(server, domain)
        if set(sent) >= people or time.monotonic() > deadline:
            time.sleep(2)  # a second email to anyone would show in this time
            return invitations_to(server, domain)
        time.sleep(2)


def environment(server: RunningDevServer, partner: Partner) -> dict[str, str]:
    variables = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PARTNERAPP_"))}
    return {**variables, "PARTNERAPP_TOKEN": partner.token, "PARTNERAPP_API_URL": server.base}


def run_client(server: RunningDevServer, partner: Partner, *args: str) -> subprocess.CompletedProcess[str]:
    assert CLIENT, "the partnerapp-client console script is not installed"
    return subprocess.run(
        [CLIENT, "import-licenses", *args],
        env=environment(server, partner), capture_output=True, text=True, timeout=RUN_SECONDS,
    )  # fmt: skip


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_results(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


# --- the 500-row file ------------------------------------------------------------------------

# One bad row per way a field can be wrong, by the column the error must name.
BAD_CELLS: list[tuple[str, dict[str, str]]] = [
    ("product", {"product": "livechatt"}),
    ("product", {"product": ""}),
    ("client_name", {"client_name": "Ab"}),
    ("client_name", {"client_name": ""}),
    ("client_name", {"client_name": "N" * 101}),
    ("client_email", {"client_email": "not-an-email"}),
    ("payment_origin", {"payment_origin": "reseller"}),
    ("payment_origin", {"payment_origin": ""}),
    ("data_center", {"data_center": "mars"}),
    ("trial_duration", {"trial_duration": "7"}),
    ("trial_duration", {"trial_duration": "45"}),
    ("trial_duration", {"trial_duration": "two weeks"}),
    ("identifier", {"identifier": "i" * 101}),
    ("purchase_order", {"purchase_order": "p" * 101}),
    ("organization_name", {"organization_name": "o" * 101}),
    ("operator_emails", {"operator_emails": "not-an-email", "operator_roles": "agent"}),
    ("operator_roles", {"operator_emails": "{person}", "operator_roles": "boss"}),
    ("operator_roles", {"operator_emails": "{person}", "operator_roles": ""}),
    ("operator_emails", {"product": "chatbot", "operator_emails": "{person}", "operator_roles": "agent"}),
    (
        "operator_emails",
        {"payment_origin": "client", "operator_emails": "{person}", "operator_roles": "agent"},
    ),
]
GOOD_ROWS = 70
EXISTING = 12
IN_FILE_DUPLICATES = 40
TOTAL_ROWS = 500


@dataclass
class Scenario:
    rows: list[dict[str, str]]
    good: list[int]  # row numbers (the header is row 1)
    bad: dict[int, str]  # row number -> the column its error names
    in_file: list[int]
    existing: list[int]
    people: set[str]  # everyone a good row invites: customer and operators


def good_row(index: int, domain: str) -> dict[str, str]:
    product = "livechat" if index % 2 else "chatbot"
    origin = "partner" if index % 3 else "client"
    row = {
        "product": product,
        "client_name": f"Customer {index:04d} Ltd",
        "client_email": f"customer{index}@{domain}",
        "payment_origin": origin,
        "data_center": ("fra", "eu-west3", "us", "")[index % 4],
        "trial_duration": ("", "14", "21", "30")[index % 4],
        "identifier": f"crm-{index}" if index % 5 == 0 else "",
        "purchase_order": f"PO-{index}" if index % 7 == 0 else "",
        "organization_name": f"Group {index}" if index % 6 == 0 else "",
    }
    if product == "livechat" and origin == "partner" and index % 4 == 1:
        row["operator_emails"] = f"agent{index}@{domain};admin{index}@{domain}"
        row["operator_roles"] = "agent;administrator"
    return row


def scenario(domain: str, existing: list[dict[str, str]]) -> Scenario:
    rows: list[dict[str, str]] = []
    made = Scenario(rows, [], {}, [], [], set())
    goods = [good_row(i, domain) for i in range(GOOD_ROWS)]
    kinds = ["good"] * GOOD_ROWS + ["existing"] * EXISTING + ["dup"] * IN_FILE_DUPLICATES
    kinds += ["bad"] * (TOTAL_ROWS - len(kinds))
    # Interleaved deterministically (7919 is prime to 500), so each kind is spread over the file.
    order = sorted(range(len(kinds)), key=lambda i: (i * 7919) % len(kinds))
    counters = Counter[str]()
    for position in order:
        kind = kinds[position]
        number = len(rows) + 2
        if kind == "good":
            row = goods[counters[kind]]
            made.good.append(number)
            made.people.add(row["client_email"])
            made.people.update(e for e in row.get("operator_emails", "").split(";") if e)
        elif kind == "existing":
            row = {**good_row(1000 + counters[kind], domain), **existing[counters[kind]]}
            made.existing.append(number)
        elif kind == "dup" and made.good:
            earlier = rows[made.good[counters[kind] % len(made.good)] - 2]
            row = {
                **earlier,
                "client_email": earlier["client_email"].upper(),
                "client_name": "Repeated Row Ltd",
            }
            made.in_file.append(number)
        else:
            column, cells = BAD_CELLS[counters["bad"] % len(BAD_CELLS)]
            person = f"bad-operator{number}@{domain}"
            row = {**good_row(2000 + number, domain), "operator_emails": "", "operator_roles": ""}
            row.update({"payment_origin": "partner", "product": "livechat"})
            row.update({k: v.replace("{person}", person) for k, v in cells.items()})
            made.bad[number] = column
            kind = "bad"
        counters[kind] += 1
        rows.append(row)
    return made


def existing_licenses(server: RunningDevServer, partner: Partner) -> list[dict[str, str]]:
    """Licenses the partner made before the import, in both products and regions."""
    made = []
    for index in range(EXISTING):
        cells = {
            "product": "livechat" if index % 2 else "chatbot",
            "client_email": f"already{index}@{partner.domain}",
            "data_center": "eu-west3" if index % 3 else "us-south1",
        }
        body = {"client_name": f"Existing {index:02d} Ltd", "client_email": cells["client_email"],
                "payment_origin": "client", "data_center": cells["data_center"]}  # fmt: skip
        call(server, partner, "POST", f"{LICENSES}?product={cells['product']}", body)
        made.append(cells)
    return made


def wait_until(condition: Any, seconds: float = RUN_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(1)


def test_a_500_row_file_dry_run_then_a_run_killed_halfway_and_finished(
    server: RunningDevServer, tmp_path: Path
) -> None:
    # Given a partner with licenses already, and a file of good rows, bad rows (every field),
    # repeats inside the file and rows for the existing licenses, both products and regions
    partner = new_partner(server)
    made = scenario(partner.domain, existing_licenses(server, partner))
    source = write_csv(tmp_path / "customers.csv", made.rows)
    assert len(made.rows) == TOTAL_ROWS and made.in_file and made.existing
    good_rows = [made.rows[n - 2] for n in made.good]
    assert {r["product"] for r in good_rows} == {"livechat", "chatbot"}
    assert {r["data_center"] for r in good_rows} >= {"fra", "us"}
    existing_people = {e["client_email"] for e in existing_cells(partner)}
    before = trials(server, partner)
    invited_before = wait_for_invitations(server, partner.domain, existing_people)

    # When it is checked with --dry-run
    checked = run_client(server, partner, str(source), "--dry-run", "--out", str(tmp_path / "dry.csv"))

    # Then every bad row is reported with its column, and nothing is stored or sent
    assert checked.returncode == 1, checked.stderr
    dry = {index + 2: row for index, row in enumerate(read_results(tmp_path / "dry.csv"))}
    assert len(dry) == TOTAL_ROWS
    assert all(dry[n]["status"] == "would_create" for n in made.good)
    assert all(dry[n]["status"] == "existed" for n in made.existing)
    for number, column in made.bad.items():
        assert dry[number]["status"] == "refused", (number, dry[number])
        assert column in dry[number]["error_field"].split(";"), (number, column, dry[number])
        assert dry[number]["error_message"], number
        assert f"row {number}: {column}: " in checked.stderr
    for number in made.in_file:
        assert dry[number]["status"] == "refused" and dry[number]["error_field"] == "client_email"
        assert "Also in row" in dry[number]["error_message"]
    time.sleep(1)
    assert trials(server, partner) == before
    assert invitations_to(server, partner.domain) == invited_before

    # When the real run is killed halfway, then started again on the same file
    half = len(made.good) // 2
    started = subprocess.Popen(
        [CLIENT or "partnerapp-client", "import-licenses", str(source), "--quiet"],
        env=environment(server, partner), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until(lambda: trials(server, partner) >= before + half or started.poll() is not None)
    finally:
        started.send_signal(signal.SIGKILL)
        started.wait(timeout=30)
    killed_at = trials(server, partner) - before
    assert 0 < killed_at < len(made.good), "the run was not stopped halfway"
    finished = run_client(
        server, partner, str(source), "--concurrency", "6", "--out", str(tmp_path / "out.csv")
    )

    # Then exactly the good rows are licenses, once each, and each person got one invitation
    assert finished.returncode == 1, finished.stderr  # the bad rows are still refused
    results = {index + 2: row for index, row in enumerate(read_results(tmp_path / "out.csv"))}
    assert all(results[n]["status"] in ("created", "existed") for n in made.good)
    assert sum(results[n]["status"] == "existed" for n in made.good) >= killed_at - 6  # in flight
    assert all(results[n]["status"] == "existed" for n in made.existing)
    assert all(results[n]["status"] == "refused" for n in [*made.bad, *made.in_file])
    licenses = licenses_of(server, partner)
    keys = [(item["client_email"], item["product"]) for item in licenses]
    assert len(keys) == len(set(keys)) == len(made.good) + EXISTING
    wanted = {(made.rows[n - 2]["client_email"], made.rows[n - 2]["product"]) for n in made.good}
    assert set(keys) - {(e["client_email"], e["product"]) for e in existing_cells(partner)} == wanted
    by_key = {(item["client_email"], item["product"]): item for item in licenses}
    for number in made.good:
        row = made.rows[number - 2]
        item = by_key[(row["client_email"], row["product"])]
        assert str(item["license"]) == results[number]["license"]
        assert item["data_center"] == {"fra": "eu-west3", "us": "us-south1", "": "us-south1"}.get(
            row["data_center"], row["data_center"]
        )
        assert str(item["license"])[-1] == ("3" if item["data_center"] == "eu-west3" else "1")
    expected_people = made.people | existing_people
    sent = wait_for_invitations(server, partner.domain, expected_people)
    assert set(sent) == expected_people
    assert all(count == 1 for count in sent.values()), [p for p, c in sent.items() if c > 1]


def existing_cells(partner: Partner) -> list[dict[str, str]]:
    return [
        {
            "client_email": f"already{index}@{partner.domain}",
            "product": "livechat" if index % 2 else "chatbot",
        }
        for index in range(EXISTING)
    ]


def small_file(path: Path, domain: str, count: int) -> Path:
    return write_csv(path, [good_row(index, domain) for index in range(count)])


def run_in_terminal(server: RunningDevServer, partner: Partner, *args: str) -> tuple[int, str]:
    """The command on a pseudo-terminal, as in a partner's terminal: its exit code and screen."""
    assert CLIENT
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal is its stdin, stdout and stderr
        os.execve(  # noqa: S606
            CLIENT, [CLIENT, "import-licenses", *args], {**environment(server, partner), "TERM": "xterm"}
        )
    screen = b""
    deadline = time.monotonic() + RUN_SECONDS
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        screen += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), screen.decode(errors="replace")


def test_the_progress_bar_shows_on_a_terminal_and_not_with_quiet(
    server: RunningDevServer, tmp_path: Path
) -> None:
    partner = new_partner(server)
    source = small_file(tmp_path / "few.csv", partner.domain, 6)

    code, screen = run_in_terminal(server, partner, str(source), "--dry-run")
    assert code == 0, screen
    assert "━" in screen and "\x1b[" in screen  # a drawn bar, with the terminal's control codes
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)
    assert "6/6 rows" in screen and "6 would create" in screen and "0 refused" in screen
    assert "ETA" in screen
    assert "6 rows: 6 would create." in screen

    quiet_code, quiet_screen = run_in_terminal(server, partner, str(source), "--dry-run", "--quiet")
    assert quiet_code == 0
    assert quiet_screen.strip() == ""

    # Not a terminal (a script's pipe): no bar, only the summary
    piped = run_client(server, partner, str(source), "--dry-run")
    assert piped.returncode == 0
    assert "━" not in piped.stderr and "\x1b[" not in piped.stderr
    assert piped.stderr.strip() == "6 rows: 6 would create."


def test_ctrl_c_stops_the_run_and_the_same_command_finishes_it(
    server: RunningDevServer, tmp_path: Path
) -> None:
    partner = new_partner(server)
    source = small_file(tmp_path / "some.csv", partner.domain, 24)
    results = tmp_path / "results.csv"
    command = [CLIENT or "partnerapp-client", "import-licenses", str(source), "--concurrency", "2"]
    started = subprocess.Popen(
        [*command, "--out", str(results)],
        env=environment(server, partner), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    wait_until(lambda: trials(server, partner) >= 3 or started.poll() is not None)
    started.send_signal(signal.SIGINT)
    _, stderr = started.communicate(timeout=120)

    assert started.returncode == 1
    assert "Interrupted: run the same command on the same file to finish." in stderr
    stopped = read_results(results)
    assert len(stopped) == 24
    statuses = Counter(row["status"] for row in stopped)
    assert statuses["created"] >= 3 and statuses["not_run"] > 0, statuses
    assert set(statuses) <= {"created", "not_run"}

    again = run_client(server, partner, str(source), "--out", str(results))
    assert again.returncode == 0, again.stderr
    finished = read_results(results)
    assert Counter(row["status"] for row in finished) == {
        "existed": statuses["created"],
        "created": 24 - statuses["created"],
    }
    keys = [(item["client_email"], item["product"]) for item in licenses_of(server, partner)]
    assert len(keys) == len(set(keys)) == 24
    people = {row["client_email"] for row in finished} | {
        e for row in finished for e in row["operator_emails"].split(";") if e
    }
    sent = wait_for_invitations(server, partner.domain, people)
    assert set(sent) == people and set(sent.values()) == {1}


def test_a_file_without_its_header_row_is_refused_before_anything_is_sent(
    server: RunningDevServer, tmp_path: Path
) -> None:
    partner = new_partner(server)
    headless = tmp_path / "no-header.csv"
    headless.write_text(f"livechat,Acme Corporation,owner@{partner.domain},partner\n", encoding="utf-8")
    answer = run_client(server, partner, str(headless))
    assert answer.returncode == 1
    assert "Unknown column(s) 'livechat'" in answer.stderr and "must be the header" in answer.stderr
    assert trials(server, partner) == 0
