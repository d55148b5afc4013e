"""The create call over HTTP, with the waits the API asks for: `429`/`503` with `Retry-After`
(and a `409` whose twin request is still running) are retried after the time given; a
connection that fails is retried with a growing pause. Nothing else is retried."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

LICENSES = "/v2/partners/solutions/licenses"
RETRIED_STATUSES = frozenset({409, 429, 503})
MAX_ATTEMPTS = 8
MAX_WAIT_SECONDS = 60.0
TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


class Unreachable(Exception):
    """No answer from the API after every attempt."""


class TokenRefused(Exception):
    """The API answered 401: the token is missing, unknown or revoked."""


def retry_after(reply: Reply) -> float | None:
    value = (reply.header("Retry-After") or "").strip()
    if not value.isdigit():
        return None
    return min(float(value), MAX_WAIT_SECONDS)


class PartnerApi:
    """One partner's view of the API; safe to use from several threads (a session each)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._token = token
        self._sleep = sleep
        self._max_attempts = max_attempts
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update({"Authorization": f"Bearer {self._token}", "Accept": "application/json"})
            self._local.session = session
        return session

    def create_license(self, product: str, body: dict[str, Any], key: str, dry_run: bool) -> Reply:
        params = {"product": product, **({"dry_run": "true"} if dry_run else {})}
        return self._post(LICENSES, params, body, {"Idempotency-Key": key})

    def _post(self, path: str, params: dict[str, str], body: Any, headers: dict[str, str]) -> Reply:
        pause = 0.5
        for attempt in range(1, self._max_attempts + 1):
            last = attempt == self._max_attempts
            try:
                answer = self._session().post(
                    self._base + path, params=params, json=body, headers=headers, timeout=TIMEOUT_SECONDS
                )
            except requests.RequestException as error:
                if last:
                    raise Unreachable(f"no answer from the API: {type(error).__name__}") from None
                self._sleep(pause)
                pause = min(pause * 2, MAX_WAIT_SECONDS)
                continue
            reply = Reply(answer.status_code, _json(answer), dict(answer.headers))
            if reply.status == 401:
                raise TokenRefused("The API refused the token (PARTNERAPP_TOKEN): 401.")
            wait = retry_after(reply)
            if reply.status not in RETRIED_STATUSES or wait is None or last:
                return reply
            self._sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")


def _json(answer: requests.Response) -> Any:
    try:
        return answer.json()
    except ValueError:
        return {"error": {"type": "unexpected", "message": f"HTTP {answer.status_code}"}}
