"""The webhook client on its own: it connects to the address the target check resolved (no
second lookup a DNS rebinding could change), sends the URL's host name, follows no
redirect, gives up after its timeout, and verifies TLS for the host name on the pinned address."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from partnerapp.services import webhook_http


class _Endpoint:
    """A local receiver that records requests and answers `status` (with `headers`)."""

    def __init__(self, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                endpoint.requests.append((self.path, dict(self.headers.items()), body))
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoints() -> Iterator[list[_Endpoint]]:
    started: list[_Endpoint] = []
    yield started
    for endpoint in started:
        endpoint.stop()


def test_it_posts_to_the_pinned_address_with_the_urls_host_name(endpoints: list[_Endpoint]) -> None:
    endpoint = _Endpoint()
    endpoints.append(endpoint)
    lookups: list[tuple[str, int]] = []

    def resolver(host: str, port: int) -> list[str]:
        lookups.append((host, port))
        return ["127.0.0.1"]

    url = f"http://hooks.agency.example:{endpoint.port}/in?x=1"
    result = webhook_http.post(url, b'{"a":1}', {"Content-Type": "application/json"}, True, resolver)
    assert (result.status, result.error, result.ok) == (200, None, True)
    assert lookups == [("hooks.agency.example", endpoint.port)]  # one lookup: the checked one
    [(path, headers, body)] = endpoint.requests
    assert (path, body) == ("/in?x=1", b'{"a":1}')
    assert headers["Host"] == f"hooks.agency.example:{endpoint.port}"


def test_a_redirect_is_not_followed(endpoints: list[_Endpoint]) -> None:
    elsewhere = _Endpoint()
    redirecting = _Endpoint(302, {"Location": f"http://127.0.0.1:{elsewhere.port}/stolen"})
    endpoints += [elsewhere, redirecting]
    result = webhook_http.post(f"http://127.0.0.1:{redirecting.port}/in", b"{}", {}, True)
    assert (result.status, result.error, result.ok) == (302, "HTTP 302", False)
    assert elsewhere.requests == []


def test_an_endpoint_that_never_answers_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts the connection, never answers
    monkeypatch.setattr(webhook_http, "TIMEOUT_SECONDS", 0.2)
    try:
        result = webhook_http.post(f"http://127.0.0.1:{silent.getsockname()[1]}/in", b"{}", {}, True)
    finally:
        silent.close()
    assert (result.status, result.error) == (None, "timed out")


def test_the_client_waits_five_seconds_at_most() -> None:
    assert webhook_http.TIMEOUT_SECONDS == 5.0


def test_https_connects_to_the_pinned_address_and_verifies_the_host_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connected: list[tuple[tuple[str, int], float]] = []
    wrapped: list[str] = []

    class Refusing(ssl.SSLContext):
        def wrap_socket(
            self, sock: Any, *args: Any, server_hostname: str | None = None, **kwargs: Any
        ) -> Any:
            wrapped.append(server_hostname or "")
            raise ssl.SSLError("test: no handshake")

    def create_connection(address: tuple[str, int], timeout: float) -> socket.socket:
        connected.append((address, timeout))
        return socket.socket()

    monkeypatch.setattr(webhook_http.socket, "create_connection", create_connection)
    monkeypatch.setattr(webhook_http.ssl, "create_default_context", lambda: Refusing(ssl.PROTOCOL_TLS_CLIENT))
    result = webhook_http.post(
        "https://hooks.agency.example/in", b"{}", {}, False, lambda host, port: ["93.184.216.34"]
    )
    assert (result.status, result.error) == (None, "TLS handshake failed")
    assert connected == [(("93.184.216.34", 443), 5.0)]
    assert wrapped == ["hooks.agency.example"]
