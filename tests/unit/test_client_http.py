"""The partner client's HTTP: it waits as `Retry-After` says on 429 and 503, reads license ids
in either documented shape, and stops on a refused token. Against a small local HTTP server
that answers as the API does when it is busy."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from partnerapp.schemas.license_rows import Row
from partnerapp_client.http import PartnerApi, TokenRefused
from partnerapp_client.importer import Importer, license_id


class Busy:
    """Answers queued per request: (status, headers, body)."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, dict[str, str], Any]] = []
        self.seen: list[dict[str, Any]] = []


@pytest.fixture
def busy() -> Iterator[tuple[Busy, str]]:
    state = Busy()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            state.seen.append(
                {
                    "path": self.path,
                    "headers": dict(self.headers),
                    "body": json.loads(self.rfile.read(length)),
                }
            )
            status, headers, body = state.answers.pop(0)
            data = json.dumps(body).encode()
            self.send_response(status)
            for name, value in {
                **headers,
                "Content-Type": "application/json",
                "Content-Length": str(len(data)),
            }.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def row() -> Row:
    return Row(2, {"product": "livechat", "client_name": "Acme Corporation", "client_email": "o@acme.example",
                   "payment_origin": "partner"})  # fmt: skip


def test_429_and_503_are_retried_after_the_time_the_api_gives(busy: tuple[Busy, str]) -> None:
    state, url = busy
    waits: list[float] = []
    state.answers = [
        (429, {"Retry-After": "7"}, {"error": {"type": "rate_limited", "message": "Slow down."}}),
        (503, {"Retry-After": "2"}, {"error": {"type": "unavailable", "message": "Busy."}}),
        (201, {}, {"license": "104130623", "product": "livechat"}),
    ]
    importer = Importer(PartnerApi(url, "pat_x", sleep=waits.append), b"file", dry_run=False, concurrency=1)
    outcome = importer.one(row())
    assert (outcome.status, outcome.license) == ("created", "104130623")
    assert waits == [7.0, 2.0]
    keys = {seen["headers"]["Idempotency-Key"] for seen in state.seen}
    assert len(state.seen) == 3 and len(keys) == 1  # the same key on every retry
    assert state.seen[0]["path"] == "/v2/partners/solutions/licenses?product=livechat"
    assert state.seen[0]["headers"]["Authorization"] == "Bearer pat_x"


def test_a_replay_and_a_409_count_as_already_existed_and_a_400_names_the_column(
    busy: tuple[Busy, str],
) -> None:
    state, url = busy
    state.answers = [
        (201, {"Idempotent-Replayed": "true"}, {"result": {"license": 104130623}}),
        (409, {}, {"error": {"type": "conflict", "message": "A license already exists."}}),
        (
            400,
            {},
            {"error": {"type": "validation", "message": "Bad.", "fields": {"client_email": ["Not valid."]}}},
        ),
    ]
    importer = Importer(PartnerApi(url, "pat_x", sleep=lambda _: None), b"file", dry_run=False, concurrency=1)
    replayed, conflict, refused = (importer.one(row()) for _ in range(3))
    assert (replayed.status, replayed.license) == ("existed", "104130623")
    assert conflict.status == "existed"
    assert (refused.status, refused.errors) == ("refused", {"client_email": ["Not valid."]})


def test_a_refused_token_stops_the_run(busy: tuple[Busy, str]) -> None:
    state, url = busy
    state.answers = [
        (401, {}, {"error": {"type": "authentication", "message": "A valid bearer token is required."}})
    ]
    with pytest.raises(TokenRefused):
        Importer(PartnerApi(url, "pat_bad"), b"file", dry_run=True, concurrency=1).one(row())
    assert "dry_run=true" in state.seen[0]["path"]


def test_license_ids_are_read_as_strings_from_either_shape() -> None:
    assert license_id({"license": 104130623}) == "104130623"
    assert license_id({"license": "104130623"}) == "104130623"
    assert license_id({"result": {"license": "104130623"}}) == "104130623"
    assert license_id(None) == ""


def test_a_twin_still_running_is_waited_for_and_a_lost_connection_is_retried(
    busy: tuple[Busy, str], unused_tcp_port: int
) -> None:
    state, url = busy
    waits: list[float] = []
    state.answers = [
        (409, {"Retry-After": "1"}, {"error": {"type": "conflict", "message": "Still in progress."}}),
        (201, {}, {"license": "104130623"}),
    ]
    importer = Importer(PartnerApi(url, "pat_x", sleep=waits.append), b"file", dry_run=False, concurrency=1)
    assert importer.one(row()).status == "created"
    assert waits == [1.0]

    # Nothing listens there: every attempt fails, with a growing pause, and the row is `failed`
    pauses: list[float] = []
    gone = PartnerApi(f"http://127.0.0.1:{unused_tcp_port}", "pat_x", sleep=pauses.append, max_attempts=4)
    outcome = Importer(gone, b"file", dry_run=False, concurrency=1).one(row())
    assert outcome.status == "failed" and "no answer from the API" in outcome.errors["row"][0]
    assert pauses == [0.5, 1.0, 2.0]


@pytest.fixture
def unused_tcp_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
