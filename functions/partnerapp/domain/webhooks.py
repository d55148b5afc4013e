"""Partners' webhook endpoints and the deliveries of events to them.

A delivery is retried with exponential backoff for a bounded time (3 h 25 min, see
`RETRY_POLICY`) and then given up; each endpoint receives its events in the order they
happened, so a delivery waits while an older one to the same endpoint is being retried.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from partnerapp.domain.delivery import RetryPolicy

MAX_WEBHOOKS_PER_PARTNER = 10

PENDING = "pending"
DELIVERED = "delivered"
FAILED = "failed"  # gave up after the last attempt
CANCELLED = "cancelled"  # the endpoint was deleted before it was delivered

# 10 s doubling to 1 h between attempts, 12 attempts: given up 3 h 25 min after the first.
RETRY_POLICY = RetryPolicy(max_attempts=12, first_delay_seconds=10, max_delay_seconds=3600)


@dataclass(frozen=True)
class Webhook:
    webhook_id: str
    partner_id: str
    url: str
    events: tuple[str, ...]
    created_at: datetime

    def wants(self, event_type: str) -> bool:
        return event_type in self.events


@dataclass(frozen=True)
class Delivery:
    webhook_id: str
    event_id: str
    event_type: str
    order_key: str
    created_at: datetime
    status: str = PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_attempt_at: datetime | None = None
    delivered_at: datetime | None = None
    response_status: int | None = None
    error: str | None = None
