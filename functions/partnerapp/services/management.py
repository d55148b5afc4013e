"""Apply a partner's change to one license: read, apply the pure rule, write if nobody else
wrote meanwhile (optimistic versioning), and retry on a lost race."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from partnerapp.domain.billing import Invoice, due_invoices
from partnerapp.domain.errors import Conflict, NotFound
from partnerapp.domain.history import HistoryEntry
from partnerapp.domain.licenses import License
from partnerapp.domain.management import Outcome
from partnerapp.domain.timestamps import Clock
from partnerapp.settings import Settings
from partnerapp.store.licenses import LicenseRepository, VersionConflict

ATTEMPTS = 5

Change = Callable[[License, datetime], Outcome]


class LicenseManager:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self._licenses = LicenseRepository(settings)
        self._clock = clock

    def owned(self, partner_id: str, product: str, license_id: int) -> License:
        found = self._licenses.get_for_partner(partner_id, product, license_id)
        if found is None:
            raise NotFound("License not found.")
        return found

    def change(self, partner_id: str, product: str, license_id: int, change: Change) -> Outcome:
        """The outcome as written. Concurrent writers never lose an update: a conflicting
        write re-reads and re-applies the change; after ATTEMPTS lost races it is a 409."""
        for _ in range(ATTEMPTS):
            before = self.owned(partner_id, product, license_id)
            now = self._clock()
            outcome = change(before, now)
            if not outcome.entries and not outcome.invitations:
                return outcome  # nothing changed: nothing to write
            try:
                written = self._licenses.commit(before, outcome, now)
            except VersionConflict:
                continue
            return Outcome(written, outcome.entries, outcome.invitations, outcome.result)
        raise Conflict("The license is being changed by another request; please retry.")

    def invoices(self, partner_id: str, product: str, license_id: int) -> list[Invoice]:
        """Issue the invoices that fell due, then list them all (issued ones never change)."""
        for _ in range(ATTEMPTS):
            item = self.owned(partner_id, product, license_id)
            issued = self._licenses.invoices(license_id)
            due = due_invoices(item, self._clock(), {i.number for i in issued})
            if not due:
                return issued
            try:
                self._licenses.issue_invoices(item, due)
            except VersionConflict:
                continue
            return sorted(issued + due, key=lambda i: i.number)
        raise Conflict("The license is being changed by another request; please retry.")

    def history(self, partner_id: str, product: str, license_id: int) -> list[HistoryEntry]:
        self.owned(partner_id, product, license_id)
        return self._licenses.history(license_id)
