"""The Text Partner API's timestamp format: `YYYY-MM-DD HH:MM:SS`, always UTC."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

WIRE_FORMAT = "%Y-%m-%d %H:%M:%S"

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def to_wire(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(WIRE_FORMAT)


def from_wire(text: str) -> datetime:
    return datetime.strptime(text, WIRE_FORMAT).replace(tzinfo=UTC)
