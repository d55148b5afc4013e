"""Fixtures of the lifecycle, money and webhook tests (helpers: tests/lifecycle_support.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.lifecycle_support import FakeClock, WebhookReceiver


@pytest.fixture
def clock(aws: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Time the tests move: what the API, the lifecycle job and webhooks read as now."""
    from partnerapp.api import dependencies
    from partnerapp.domain import timestamps

    # The mail handlers bind the real clock at import: import them first, so a module first
    # imported under a fake clock never keeps it (emails go out in real time).
    from partnerapp.handlers import mailer, outbox_sweep, ses_events  # noqa: F401

    fake = FakeClock()
    monkeypatch.setattr(timestamps, "utc_now", fake)
    dependencies.dependencies.cache_clear()  # built again on the next request, with this clock
    return fake


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    endpoint = WebhookReceiver().start()
    yield endpoint
    endpoint.stop()
