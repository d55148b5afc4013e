"""A license's history on the wire: what changed, when, and who changed it."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from partnerapp.domain.history import HistoryEntry
from partnerapp.schemas.fields import WireTime


class HistoryEntrySchema(Schema):
    at = WireTime(required=True)
    who = fields.String(required=True, metadata={"description": "`partner:<partner_id>` or `system`."})
    action = fields.String(required=True)
    details = fields.Dict(required=True)


class HistorySchema(Schema):
    history = fields.List(fields.Nested(HistoryEntrySchema), required=True)


def dump_history(entries: list[HistoryEntry]) -> dict[str, Any]:
    rows = [{"at": e.at, "who": e.actor, "action": e.action, "details": e.details} for e in entries]
    dumped: dict[str, Any] = HistorySchema().dump({"history": rows})
    return dumped
