"""When a failed invitation is tried again, and when we stop and dead-letter it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 10
    first_delay_seconds: int = 2
    max_delay_seconds: int = 900

    def delay_after(self, attempts: int) -> timedelta:
        """Exponential backoff: 2s, 4s, 8s ... capped, after the n-th failed attempt."""
        seconds = self.first_delay_seconds * 2 ** max(attempts - 1, 0)
        return timedelta(seconds=min(seconds, self.max_delay_seconds))

    def next_attempt_at(self, attempts: int, now: datetime) -> datetime | None:
        """None once the invitation has used up its attempts: it is dead-lettered."""
        if attempts >= self.max_attempts:
            return None
        return now + self.delay_after(attempts)


RETRY_POLICY = RetryPolicy()
