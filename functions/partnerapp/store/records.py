"""License, invitation, history and invoice items: domain objects to DynamoDB items and back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from partnerapp.domain import earnings, events, lifecycle
from partnerapp.domain.billing import Invoice
from partnerapp.domain.history import HistoryEntry
from partnerapp.domain.licenses import Invitation, License, Subscription
from partnerapp.domain.notices import Notice
from partnerapp.domain.payments import Payment
from partnerapp.domain.timestamps import from_wire, to_wire
from partnerapp.store import keys
from partnerapp.store.codec import from_item, to_item

_PLAIN_FIELDS = (
    "partner_id", "product", "client_name", "client_email", "payment_origin", "data_center",
    "status", "cc_added", "paid", "identifier", "purchase_order", "organization_name",
    "organization_id", "version", "extra_discount_percent", "total_savings_cents",
    "total_earnings_cents", "seats_used", "invoices_issued", "owner_email", "partner_name",
    "partner_email",
)  # fmt: skip
_TIME_FIELDS = ("created_at", "trial_ends_at", "conversion_timestamp", "expired_at", "trial_reminder_sent_at")


def _wire(moment: datetime | None) -> str | None:
    return to_wire(moment) if moment else None


def _time(text: str | None) -> datetime | None:
    return from_wire(text) if text else None


def license_values(item: License) -> dict[str, Any]:
    """The license item's attributes, index keys included (None values are left out)."""
    values: dict[str, Any] = {name: getattr(item, name) for name in _PLAIN_FIELDS}
    values.update({name: _wire(getattr(item, name)) for name in _TIME_FIELDS})
    sort_key = keys.by_partner_sk(item.created_at, item.license_id)
    values.update(
        pk=keys.license_pk(item.license_id),
        sk=keys.LICENSE_SK,
        entity="license",
        license_id=item.license_id,
        by_partner_pk=keys.partner_pk(item.partner_id),
        by_partner_sk=sort_key,
        by_status_pk=keys.by_status_pk(item.partner_id, item.status),
        by_status_sk=sort_key,
        subscription=_subscription_values(item.subscription),
    )
    if item.organization_id:
        values.update(by_org_pk=keys.org_pk(item.organization_id), by_org_sk=sort_key)
    if item.conversion_timestamp is not None:  # in the conversions index once converted
        values.update(
            conv_pk=keys.partner_pk(item.partner_id),
            conv_sk=keys.conversion_sk(item.conversion_timestamp, item.license_id),
        )
    check_at = lifecycle.next_check_at(item)
    if check_at is not None:  # in the lifecycle index only while something is due some day
        values.update(
            lifecycle_shard=keys.lifecycle_shard(item.license_id), lifecycle_due=keys.outbox_due(check_at)
        )
    return values


def _subscription_values(subscription: Subscription | None) -> dict[str, Any] | None:
    if subscription is None:
        return None
    values = {
        "plan": subscription.plan,
        "billing_cycle": subscription.billing_cycle,
        "seats": subscription.seats,
        "started_at": to_wire(subscription.started_at),
        "ends_at": _wire(subscription.ends_at),
    }
    return {k: v for k, v in values.items() if v is not None}


def license_from_values(head: dict[str, Any], invitations: tuple[Invitation, ...] = ()) -> License:
    plain: dict[str, Any] = {name: head[name] for name in _PLAIN_FIELDS if name in head}
    times: dict[str, Any] = {name: _time(head.get(name)) for name in _TIME_FIELDS}
    sub = head.get("subscription")
    subscription = (
        Subscription(
            sub["plan"],
            sub["billing_cycle"],
            sub["seats"],
            from_wire(sub["started_at"]),
            _time(sub.get("ends_at")),
        )
        if sub
        else None
    )
    return License(
        license_id=head["license_id"], invitations=invitations, subscription=subscription, **plain, **times
    )


def invitation_values(license_id: int, invitation: Invitation, due: datetime) -> dict[str, Any]:
    """A pending invitation, waiting in the sparse outbox index until it is sent."""
    return {
        "pk": keys.license_pk(license_id),
        "sk": keys.invite_sk(invitation.seq),
        "entity": "invitation",
        "license_id": license_id,
        "seq": invitation.seq,
        "email": invitation.email,
        "role": invitation.role,
        "status": invitation.status,
        "attempts": invitation.attempts,
        "outbox_shard": keys.outbox_shard(license_id),
        "outbox_due": keys.outbox_due(due),
    }


def invitation_from_values(values: dict[str, Any]) -> Invitation:
    return Invitation(
        seq=values["seq"],
        email=values["email"],
        role=values["role"],
        status=values["status"],
        attempts=values.get("attempts", 0),
        last_error=values.get("last_error"),
        sent_at=_time(values.get("sent_at")),
        link_digest=values.get("link_digest"),
        link_expires_at=_time(values.get("link_expires_at")),
        accepted_at=_time(values.get("accepted_at")),
        feedback_at=_time(values.get("feedback_at")),
    )


def license_from_items(items: list[dict[str, Any]]) -> License | None:
    """The license from a Query of its partition (`begins_with(sk, LICENSE)`)."""
    values = [from_item(i) for i in items]
    head = next((v for v in values if v["sk"] == keys.LICENSE_SK), None)
    if head is None:
        return None
    invitations = tuple(
        invitation_from_values(v)
        for v in sorted(values, key=lambda v: v["sk"])
        if v.get("entity") == "invitation"
    )
    return license_from_values(head, invitations)


def _plain(value: Any) -> Any:
    """History details as stored: datetimes in the wire format, the rest as it is."""
    if isinstance(value, datetime):
        return to_wire(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def history_values(item: License, version: int, index: int, entry: HistoryEntry) -> dict[str, Any]:
    """A history entry of `item` (the license as the change left it). One that is a webhook
    event also waits in the sparse `events` index until the dispatcher has taken it."""
    values = {
        "pk": keys.license_pk(item.license_id),
        "sk": keys.history_sk(entry.at, version, index),
        "entity": "history",
        "at": to_wire(entry.at),
        "actor": entry.actor,
        "action": entry.action,
        "details": _plain(entry.details),
    }
    event = events.event_for(item, version, index, entry)
    if event is not None:
        values.update(
            event_shard=keys.events_shard(item.license_id),
            event_key=event.order_key,
            event_id=event.event_id,
            event_type=event.event_type,
            partner_id=event.partner_id,
            event_data=event.data,
        )
    return values


def history_from_values(values: dict[str, Any]) -> HistoryEntry:
    return HistoryEntry(
        at=from_wire(values["at"]),
        actor=values["actor"],
        action=values["action"],
        details=values.get("details") or {},
    )


def invoice_values(item: License, invoice: Invoice) -> dict[str, Any]:
    """An issued invoice; what it saved the partner is in the `earnings` index by its period."""
    return {
        "pk": keys.license_pk(item.license_id),
        "sk": keys.invoice_sk(invoice.number),
        **_earning(item, invoice.period_start, earnings.SAVINGS, str(invoice.number), invoice.savings_cents),
        "entity": "invoice",
        "number": invoice.number,
        "period_start": to_wire(invoice.period_start),
        "plan": invoice.plan,
        "billing_cycle": invoice.billing_cycle,
        "seats_billed": invoice.seats_billed,
        "seats_subscribed": invoice.seats_subscribed,
        "unit_price_cents": invoice.unit_price_cents,
        "discount_percent": invoice.discount_percent,
        "gross_cents": invoice.gross_cents,
        "total_cents": invoice.total_cents,
    }


def invoice_from_values(values: dict[str, Any]) -> Invoice:
    return Invoice(
        number=values["number"],
        period_start=from_wire(values["period_start"]),
        plan=values["plan"],
        billing_cycle=values["billing_cycle"],
        seats_billed=values["seats_billed"],
        unit_price_cents=values["unit_price_cents"],
        discount_percent=values["discount_percent"],
        gross_cents=values["gross_cents"],
        total_cents=values["total_cents"],
        seats_subscribed=values.get("seats_subscribed"),
    )


def _earning(item: License, at: datetime, kind: str, ref: str, cents: int) -> dict[str, Any]:
    return {
        "earn_pk": keys.partner_pk(item.partner_id),
        "earn_sk": keys.earnings_sk(at, item.license_id, kind, ref),
        "earn_at": to_wire(at),
        "earn_kind": kind,
        "earn_cents": cents,
        "license_id": item.license_id,
        "product": item.product,
    }


def earning_from_values(values: dict[str, Any]) -> earnings.EarningRecord:
    return earnings.EarningRecord(
        at=from_wire(values["earn_at"]),
        license_id=values["license_id"],
        product=values["product"],
        kind=values["earn_kind"],
        cents=values["earn_cents"],
    )


def payment_values(item: License, payment: Payment) -> dict[str, Any]:
    return {
        "pk": keys.license_pk(item.license_id),
        "sk": keys.payment_sk(payment.payment_id),
        "entity": "payment",
        "payment_id": payment.payment_id,
        "paid_at": to_wire(payment.paid_at),
        "amount_cents": payment.amount_cents,
        "commission_percent": payment.commission_percent,
        "commission_cents": payment.commission_cents,
        **_earning(item, payment.paid_at, earnings.COMMISSION, payment.payment_id, payment.commission_cents),
    }


def mail_values(item: License, notice: Notice, due: datetime) -> dict[str, Any]:
    """A lifecycle email waiting in the outbox index, like an invitation. The address is kept
    only until it is sent."""
    return {
        "pk": keys.license_pk(item.license_id),
        "sk": keys.mail_sk(notice.kind, notice.audience),
        "entity": "mail",
        "license_id": item.license_id,
        "kind": notice.kind,
        "audience": notice.audience,
        "recipient": notice.to,
        "status": "pending",
        "attempts": 0,
        "outbox_shard": keys.outbox_shard(item.license_id),
        "outbox_due": keys.outbox_due(due),
    }


def item(values: dict[str, Any]) -> dict[str, Any]:
    return to_item(values)
