"""The license events a partner can subscribe a webhook to, made from the history entries
that are written with each change (so an event exists exactly when its change does).

An event carries ids and enumerations only, never a customer's personal data: it is copied
to the home region to be delivered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from partnerapp.domain import history
from partnerapp.domain.history import HistoryEntry
from partnerapp.domain.licenses import License
from partnerapp.domain.timestamps import to_wire

LICENSE_CREATED = "license.created"
LICENSE_TRIAL_EXPIRING = "license.trial_expiring"
LICENSE_EXPIRED = "license.expired"
LICENSE_CONVERTED = "license.converted"
OPERATOR_ACCEPTED = "operator.accepted"
EVENT_TYPES: tuple[str, ...] = (
    LICENSE_CREATED,
    LICENSE_TRIAL_EXPIRING,
    LICENSE_EXPIRED,
    LICENSE_CONVERTED,
    OPERATOR_ACCEPTED,
)
TEST_EVENT = "webhook.test"  # sent on demand to one endpoint, whatever it subscribed to

EVENT_OF_ACTION: dict[str, str] = {
    history.CREATED: LICENSE_CREATED,
    history.TRIAL_EXPIRING: LICENSE_TRIAL_EXPIRING,
    history.EXPIRED: LICENSE_EXPIRED,
    history.CONVERTED: LICENSE_CONVERTED,
    history.INVITATION_ACCEPTED: OPERATOR_ACCEPTED,
}


@dataclass(frozen=True)
class Event:
    event_id: str
    event_type: str
    partner_id: str
    occurred_at: datetime
    order_key: str  # sorts events in the order they happened (time, license, version)
    data: dict[str, Any]


def order_key(at: datetime, license_id: int | str, version: int, index: int) -> str:
    return f"{at.strftime('%Y%m%dT%H%M%S')}#{license_id}#{version:06d}#{index:02d}"


def event_for(item: License, version: int, index: int, entry: HistoryEntry) -> Event | None:
    """The event a history entry is (None for changes no webhook reports). `item` is the
    license as the change left it."""
    event_type = EVENT_OF_ACTION.get(entry.action)
    if event_type is None:
        return None
    data: dict[str, Any] = {
        "license": str(item.license_id),  # as the partner API writes license ids
        "product": item.product,
        "payment_origin": item.payment_origin,
        "status": item.status,
        "data_center": item.data_center,
    }
    data.update(_specific(event_type, item, entry))
    return Event(
        event_id=f"evt_{item.license_id}_{version}_{index}",
        event_type=event_type,
        partner_id=item.partner_id,
        occurred_at=entry.at,
        order_key=order_key(entry.at, item.license_id, version, index),
        data=data,
    )


def _specific(event_type: str, item: License, entry: HistoryEntry) -> dict[str, Any]:
    if event_type in (LICENSE_CREATED, LICENSE_TRIAL_EXPIRING):
        return {"end_timestamp": to_wire(item.trial_ends_at)}
    if event_type == LICENSE_EXPIRED:
        return {"reason": entry.details.get("reason"), "expired_at": to_wire(item.expired_at or entry.at)}
    if event_type == LICENSE_CONVERTED:
        moment = item.conversion_timestamp or entry.at
        return {"conversion_timestamp": to_wire(moment)}
    return {"role": entry.details.get("role"), "seats": item.seats_used}


def payload(event_id: str, event_type: str, occurred_at: datetime, data: dict[str, Any]) -> bytes:
    """The body a webhook receives (and its signature covers), byte for byte."""
    body = {"id": event_id, "type": event_type, "created_at": to_wire(occurred_at), "data": data}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
