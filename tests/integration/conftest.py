"""Fixtures of the lifecycle, money and webhook tests (helpers: tests/lifecycle_support.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.lifecycle_support import WebhookReceiver


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    endpoint = WebhookReceiver().start()
    yield endpoint
    endpoint.stop()
