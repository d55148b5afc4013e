"""Apply the billing system's events to licenses: each event once (by its id), in a versioned
write of the license together with the record that the event was applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from partnerapp.domain import conversion
from partnerapp.domain.errors import Conflict, NotFound
from partnerapp.domain.licenses import License
from partnerapp.domain.management import Outcome
from partnerapp.domain.timestamps import Clock
from partnerapp.settings import Settings
from partnerapp.store.licenses import LicenseRepository, VersionConflict

ATTEMPTS = 5
APPLIED = "applied"
DUPLICATE = "duplicate"


@dataclass(frozen=True)
class BillingEvent:
    event_id: str
    event_type: str  # one of conversion.EVENT_TYPES
    occurred_at: datetime
    license_id: int
    amount_cents: int | None = None  # payments only


class BillingEvents:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self._licenses = LicenseRepository(settings)
        self._clock = clock

    def apply(self, event: BillingEvent) -> str:
        """APPLIED, or DUPLICATE when this event id was applied before (a retry, or a twin
        delivery racing this one): the billing system may send an event more than once."""
        for _ in range(ATTEMPTS):
            if self._licenses.billing_event_applied(event.license_id, event.event_id):
                return DUPLICATE
            item = self._licenses.get(event.license_id)
            if item is None:
                raise NotFound("No license with this id.")
            now = self._clock()
            try:
                self._licenses.commit(item, self._outcome(event, item, now), now, once=event.event_id)
            except VersionConflict:
                continue
            return APPLIED
        raise Conflict("The license is being changed; retry the event.")

    @staticmethod
    def _outcome(event: BillingEvent, item: License, now: datetime) -> Outcome:
        if event.event_type == conversion.PAYMENT_SUCCEEDED and event.amount_cents is not None:
            return conversion.record_payment(item, event.event_id, event.amount_cents, event.occurred_at, now)
        return conversion.convert(item, event.occurred_at, now)
