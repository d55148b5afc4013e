"""Helpers for the lifecycle, money and webhook tests: a clock the tests move, signed billing
events, the invitation links in sent emails, and a local HTTP receiver for webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from partnerapp_infra.aws import template
from partnerapp_infra.local import emulator as local_stack
from partnerapp_infra.local.lambda_context import LocalLambdaContext
from tests.conftest import ApiClient, ApiResponse, FakeClock, sent_emails

__all__ = ["FakeClock"]  # the tests' clock, where the lifecycle helpers always offered it

ACCEPT_LINK = re.compile(r"https?://\S+/web/invitations/accept\?token=([\w.-]+)")


def run_function(logical_id: str) -> dict[str, int]:
    """Run a scheduled function once, as its EventBridge schedule (or the dev server) does."""
    handler = template.resolve_handler(template.function_handler_path(logical_id))
    return handler({"source": "aws.events"}, LocalLambdaContext())  # type: ignore[no-any-return]


def send_emails(clock: FakeClock) -> None:
    """The outbox sweep at the tests' time (its handler keeps the real clock): what the
    lifecycle job queued at a moved clock is due then, not yet in real time."""
    from partnerapp.services.delivery import InvitationMailer
    from partnerapp.settings import get_settings

    InvitationMailer(get_settings()).deliver_due(clock())


def accept_tokens(to: str) -> list[str]:
    """The accept-link tokens in the invitation emails sent to `to`, oldest first."""
    return [t for e in sent_emails() if to in e["to"] for t in ACCEPT_LINK.findall(e["text"])]


def billing_signature(body: bytes, timestamp: int, secret: str = local_stack.LOCAL_BILLING_SECRET) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def post_billing_event(api: ApiClient, event: dict[str, Any], at: datetime) -> ApiResponse:
    body = json.dumps(event).encode()
    headers = {
        "content-type": "application/json",
        "billing-signature": billing_signature(body, int(at.timestamp())),
    }
    return api.post("/v2/billing/events", body=body, headers=headers)


def billing_event(event_id: str, event_type: str, at: datetime, **data: Any) -> dict[str, Any]:
    return {"id": event_id, "type": event_type, "created": at.strftime("%Y-%m-%d %H:%M:%S"), "data": data}


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """An HTTP endpoint on 127.0.0.1 that records every POST and answers `statuses` in turn
    (200 once they run out), so a test can make it fail on purpose."""

    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/partnerapp"

    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.received.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *_: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def verified(self, secret: str, now: datetime, tolerance: int = 300) -> list[Received]:
        """Every request, after checking its signature as a receiver would (independently of
        the app's code): HMAC-SHA256 over "<t>.<body>", and a timestamp within `tolerance`."""
        for request in self.received:
            fields = dict(part.split("=", 1) for part in request.headers["webhook-signature"].split(","))
            timestamp = int(fields["t"])
            expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256)
            assert hmac.compare_digest(fields["v1"], expected.hexdigest()), "bad signature"
            assert request.headers["webhook-timestamp"] == fields["t"]
            assert abs(int(now.timestamp()) - timestamp) <= tolerance, "stale timestamp"
        return self.received
