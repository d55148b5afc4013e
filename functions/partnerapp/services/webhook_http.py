"""POST one webhook delivery: to the address that passed the target check, TLS verified
against the URL's host name, no redirects followed, a short timeout, the answer discarded."""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass

from partnerapp.services import webhook_targets
from partnerapp.services.webhook_targets import Resolver, UnsafeTarget

TIMEOUT_SECONDS = 5.0
MAX_RESPONSE_BYTES = 4096


@dataclass(frozen=True)
class HttpResult:
    status: int | None
    error: str | None  # why it failed, without the receiver's answer (it may be anything)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a given address, verifying the certificate for the URL's host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address
        self._pinned_context = context

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._pinned_context.wrap_socket(sock, server_hostname=self.host)


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    allow_private: bool,
    resolver: Resolver = webhook_targets.system_resolver,
) -> HttpResult:
    try:
        parts = webhook_targets.check_url(url, allow_private)
        address = webhook_targets.resolve(parts, allow_private, resolver)[0]
    except UnsafeTarget as refused:
        return HttpResult(None, f"refused: {refused}")
    port = webhook_targets.default_port(parts)
    host = parts.hostname or ""
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = _PinnedHTTPSConnection(
            host, port, address, TIMEOUT_SECONDS, ssl.create_default_context()
        )
    else:  # local mode only (check_url allows http nowhere else)
        connection = http.client.HTTPConnection(address, port, timeout=TIMEOUT_SECONDS)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers={**headers, "Host": parts.netloc})
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)
    except TimeoutError:
        return HttpResult(None, "timed out")
    except ssl.SSLError:
        return HttpResult(None, "TLS handshake failed")
    except (OSError, http.client.HTTPException) as error:
        return HttpResult(None, f"connection failed: {type(error).__name__}")
    finally:
        connection.close()
    status = response.status
    return HttpResult(status, None if 200 <= status < 300 else f"HTTP {status}")
