"""`partnerapp-client`'s command line as a script sees it (the installed console script, in
another process): its commands and options, its exit codes and its messages, against a small
local HTTP server that answers the create call. The dev-server scenarios are in
test_import_licenses.py; these take a second."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CLIENT = shutil.which("partnerapp-client", path=str(Path(sys.executable).parent))
FILE = (
    "product,client_name,client_email,payment_origin\r\n"
    "livechat,Acme Corporation,owner@acme.example,partner\r\n"
    "chatbot,Beta Company,owner@beta.example,client\r\n"
)


class Api:
    """Answers every create call with `status`, counting them."""

    def __init__(self) -> None:
        self.status = 201
        self.calls = 0


@pytest.fixture
def api() -> Iterator[tuple[Api, str]]:
    state = Api()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            state.calls += 1
            body = json.dumps({"license": 1000 + state.calls}).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


TOKEN = "pa_test"


def client(*args: str, url: str = "", token: str = TOKEN) -> subprocess.CompletedProcess[str]:
    assert CLIENT, "the partnerapp-client console script is not installed"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNERAPP_")}
    env.update({k: v for k, v in (("PARTNERAPP_API_URL", url), ("PARTNERAPP_TOKEN", token)) if v})
    return subprocess.run([CLIENT, *args], env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "customers.csv"
    path.write_text(FILE, encoding="utf-8", newline="")
    return path


def test_a_run_prints_its_summary_writes_out_and_exits_0(
    api: tuple[Api, str], csv_file: Path, tmp_path: Path
) -> None:
    state, url = api
    out = tmp_path / "results.csv"
    done = client("import-licenses", str(csv_file), "--concurrency", "2", "--out", str(out), url=url)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "2 rows: 2 created.\n")
    assert state.calls == 2
    assert sorted(line.split(",")[-4] for line in out.read_text().splitlines()[1:]) == ["1001", "1002"]


def test_quiet_prints_nothing_and_a_refused_row_exits_1(api: tuple[Api, str], csv_file: Path) -> None:
    state, url = api
    state.status = 400
    done = client("import-licenses", str(csv_file), "--quiet", "--dry-run", url=url)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", "")
    assert state.calls == 2


def test_a_refused_token_stops_the_run_with_exit_1(api: tuple[Api, str], csv_file: Path) -> None:
    state, url = api
    state.status = 401
    done = client("import-licenses", str(csv_file), url=url)
    assert done.returncode == 1
    assert "partnerapp-client: The API refused the token (PARTNERAPP_TOKEN): 401." in done.stderr


@pytest.mark.parametrize("value", ["0", "33", "four"])
def test_concurrency_out_of_range_is_refused_before_anything_is_sent(
    api: tuple[Api, str], csv_file: Path, value: str
) -> None:
    state, url = api
    done = client("import-licenses", str(csv_file), "--concurrency", value, url=url)
    assert done.returncode == 2
    assert "--concurrency" in done.stderr and "usage:" in done.stderr.lower()
    assert state.calls == 0


def test_an_unknown_option_or_no_file_is_a_usage_error(api: tuple[Api, str], csv_file: Path) -> None:
    state, url = api
    for args in (["import-licenses", str(csv_file), "--force"], ["import-licenses"], []):
        done = client(*args, url=url)
        assert done.returncode == 2, args
        assert "usage:" in done.stderr.lower(), args
    assert state.calls == 0


def test_without_the_token_or_the_address_it_says_which_to_set(csv_file: Path) -> None:
    no_token = client("import-licenses", str(csv_file), url="http://127.0.0.1:9", token="")
    for done in (no_token, client("import-licenses", str(csv_file))):
        assert done.returncode == 1
        assert done.stderr == (
            "partnerapp-client: Set PARTNERAPP_TOKEN (your API token) and PARTNERAPP_API_URL "
            "(the API's address).\n"
        )


def test_a_missing_or_non_utf8_file_is_exit_1_with_its_name(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    done = client("import-licenses", str(missing), url="http://127.0.0.1:9")
    assert done.returncode == 1
    assert done.stderr == f"partnerapp-client: Cannot read {missing}: No such file or directory.\n"
    latin = tmp_path / "latin.csv"
    latin.write_bytes(FILE.replace("Acme", "Açme").encode("latin-1"))
    done = client("import-licenses", str(latin), url="http://127.0.0.1:9")
    assert done.returncode == 1
    assert done.stderr == f"partnerapp-client: {latin} is not UTF-8 text: save it as CSV UTF-8.\n"


def test_help_names_the_command_and_its_options() -> None:
    top = client("--help")
    assert top.returncode == 0 and "import-licenses" in top.stdout
    command = client("import-licenses", "-h")
    assert command.returncode == 0
    for option in ("--dry-run", "--out", "--concurrency", "--quiet", "FILE"):
        assert option in command.stdout, option
