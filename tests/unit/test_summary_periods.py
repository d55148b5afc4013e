"""The periods the summaries cover and when each is due (pure rules, UTC)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from partnerapp.domain.summaries import MONTHLY, NOTICES, WEEKLY, latest_finished, next_due_at


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kind", "now", "name", "start", "end"),
    [
        (WEEKLY, at(2026, 1, 12, 0, 0), "2026-W02", at(2026, 1, 5), at(2026, 1, 12)),
        (WEEKLY, at(2026, 1, 18, 23, 59), "2026-W02", at(2026, 1, 5), at(2026, 1, 12)),
        (WEEKLY, at(2027, 1, 4, 1, 0), "2026-W53", at(2026, 12, 28), at(2027, 1, 4)),
        (MONTHLY, at(2026, 1, 1, 0, 5), "2025-12", at(2025, 12, 1), at(2026, 1, 1)),
        (MONTHLY, at(2026, 3, 31, 23, 0), "2026-02", at(2026, 2, 1), at(2026, 3, 1)),
        (NOTICES, at(2026, 1, 5, 10, 0), "2026-01-05T09", at(2026, 1, 5, 9), at(2026, 1, 5, 10)),
    ],
)
def test_the_latest_finished_period(
    kind: str, now: datetime, name: str, start: datetime, end: datetime
) -> None:
    period = latest_finished(kind, now)
    assert (period.name, period.start, period.end) == (name, start, end)


def test_the_next_one_is_due_when_the_running_period_ends() -> None:
    assert next_due_at(WEEKLY, at(2026, 1, 7, 15, 0)) == at(2026, 1, 12)
    assert next_due_at(WEEKLY, at(2026, 1, 12, 0, 0)) == at(2026, 1, 19)
    assert next_due_at(MONTHLY, at(2026, 12, 31, 23, 59)) == at(2027, 1, 1)
    assert next_due_at(MONTHLY, at(2026, 1, 31, 12, 0)) == at(2026, 2, 1)
    assert next_due_at(NOTICES, at(2026, 1, 5, 9, 59)) == at(2026, 1, 5, 10)
