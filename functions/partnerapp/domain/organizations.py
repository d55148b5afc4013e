"""Customer organizations: a partner's client, grouping that client's licenses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from partnerapp import catalog


@dataclass(frozen=True)
class Organization:
    organization_id: str
    partner_id: str
    organization_name: str
    client_name: str
    client_email: str
    data_center: str
    created_at: datetime
    identifier: str | None = None


def new_organization_id(random_uuid: str, data_center: str) -> str:
    """A UUID, as the Text API's organization ids are, whose last digit (like a license id's)
    names its data center."""
    return f"{random_uuid[:-1]}{catalog.DATA_CENTERS[data_center].id_digit}"


def data_center_of_organization(organization_id: str) -> str | None:
    if not organization_id[-1:].isdigit():
        return None
    digit = int(organization_id[-1])
    return next((c.code for c in catalog.DATA_CENTERS.values() if c.id_digit == digit), None)
