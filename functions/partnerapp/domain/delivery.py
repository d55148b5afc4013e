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
# For the items of the lifecycle job, which runs every 10 minutes (licenses, summaries):
# tried again after 10, 20, 40 and 80 minutes, then dead-lettered.
SCHEDULED_JOB_RETRY = RetryPolicy(max_attempts=5, first_delay_seconds=600, max_delay_seconds=4 * 3600)
