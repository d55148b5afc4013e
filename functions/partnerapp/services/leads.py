"""Submitting a lead (the partner) and moving its status (an operator, `partnerapp leads`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from partnerapp import catalog
from partnerapp.domain.errors import Conflict, NotFound, RuleViolation
from partnerapp.domain.leads import NEXT, Lead, data_center_for
from partnerapp.services.licensing import random_id_part
from partnerapp.settings import Settings
from partnerapp.store.errors import is_condition_failure
from partnerapp.store.leads import ID_ATTEMPTS, LeadStore

NO_LEAD = "No such lead."


def _id_part_of(request_ref: str) -> int:
    """An id part (as random_id_part's range) that the request's keyed digest names."""
    return 10_000_000 + int(request_ref[:15], 16) % 90_000_000


class Leads:
    def __init__(self, settings: Settings) -> None:
        self._store = LeadStore(settings)

    def submit(
        self, partner_id: str, details: dict[str, Any], now: datetime, request_ref: str | None = None
    ) -> Lead:
        """The new lead. A keyed request (`request_ref`, api/idempotency.request_ref) first
        tries the id its ref names, so that the same request run again meets its own lead."""
        center = data_center_for(details.get("region"))
        digit = catalog.DATA_CENTERS[center].id_digit
        for attempt in range(ID_ATTEMPTS):
            part = _id_part_of(request_ref) if request_ref and attempt == 0 else random_id_part()
            lead = self._store.insert(partner_id, str(part * 10 + digit), center, details, now, request_ref)
            if lead is not None:
                return lead
        raise RuntimeError("Lead ids kept being taken; try again.")

    def listed(self, partner_id: str) -> list[Lead]:
        return self._store.listed(partner_id)

    def one(self, partner_id: str, lead_id: str) -> Lead:
        """The partner's own lead; another partner's or an unknown id is NotFound (404)."""
        lead = self._store.get(partner_id, lead_id)
        if lead is None:
            raise NotFound(NO_LEAD)
        return lead

    def decide(self, partner_id: str, lead_id: str, status: str, now: datetime) -> Lead:
        """Moves the lead to `status`; the status it has already is answered as done."""
        lead = self.one(partner_id, lead_id)
        if lead.status == status:
            return lead
        if status not in NEXT[lead.status]:
            allowed = ", ".join(NEXT[lead.status]) or "none (it is closed)"
            raise RuleViolation(f"A {lead.status} lead may become: {allowed}.", {"status": [allowed]})
        try:
            self._store.set_status(lead, status, now)
        except ClientError as error:
            if is_condition_failure(error):
                raise Conflict("The lead changed meanwhile; read it again.") from None
            raise
        return self.one(partner_id, lead_id)
