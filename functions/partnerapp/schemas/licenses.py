"""Licenses on the wire: the create request, and the license as the Text Partner API shows it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from partnerapp import catalog
from partnerapp.domain.billing import Invoice
from partnerapp.domain.licenses import License, NewLicense, Operator, Subscription
from partnerapp.domain.timestamps import to_wire
from partnerapp.schemas.fields import DataCenterCode, EmailAddress, Text
from partnerapp.schemas.wire import load_body

MAX_OPERATORS = 20


class OperatorSchema(Schema):
    email = EmailAddress(required=True)
    role = fields.String(required=True, validate=validate.OneOf(catalog.OPERATOR_ROLES))


class CreateLicenseSchema(Schema):
    """The body of `POST /v2/partners/solutions/licenses`; unknown fields are refused."""

    client_name = Text(required=True, min_length=5, max_length=100)
    client_email = EmailAddress(required=True)
    payment_origin = fields.String(required=True, validate=validate.OneOf(catalog.PAYMENT_ORIGINS))
    trial_duration = fields.Integer(
        strict=True,
        load_default=catalog.TRIAL.default_days,
        validate=validate.Range(min=catalog.TRIAL.min_days, max=catalog.TRIAL.max_days),
    )
    data_center = DataCenterCode(load_default=catalog.DEFAULT_DATA_CENTER)
    identifier = Text(max_length=100)
    purchase_order = Text(max_length=100)
    organization_name = Text(max_length=100)
    operators = fields.List(
        fields.Nested(OperatorSchema), load_default=list, validate=validate.Length(max=MAX_OPERATORS)
    )

    @validates_schema
    def each_person_invited_once(self, data: dict[str, Any], **_: Any) -> None:
        seen = {data.get("client_email")}
        for index, operator in enumerate(data.get("operators") or []):
            if operator["email"] in seen:
                raise ValidationError(
                    {"operators": {index: {"email": ["This person is already invited to the license."]}}}
                )
            seen.add(operator["email"])


class ProductQuerySchema(Schema):
    product = fields.String(required=True, validate=validate.OneOf(tuple(catalog.PRODUCTS)))


class CreateLicenseQuerySchema(ProductQuerySchema):
    """The create call's query: the product, and `dry_run` to check without creating."""

    dry_run = fields.Boolean(load_default=False)


def load_new_license(product: str, body: Any) -> NewLicense:
    """Validate a create request; raises marshmallow's ValidationError naming each field."""
    if not isinstance(body, dict):
        raise ValidationError({"_schema": ["The body must be a JSON object."]})
    data = load_body(CreateLicenseSchema(), body)
    operators = tuple(Operator(email=o["email"], role=o["role"]) for o in data.pop("operators"))
    return NewLicense(product=product, operators=operators, **data)


_OPTIONAL_FIELDS = ("identifier", "purchase_order", "organization_name")


class _WouldInviteSchema(Schema):
    email = fields.String(required=True)
    role = fields.String(required=True)


class WouldCreateSchema(Schema):
    """The license a create would make: its fields as sent, checked, and its trial's end."""

    product = fields.String(required=True)
    client_name = fields.String(required=True)
    client_email = fields.String(required=True)
    payment_origin = fields.String(required=True)
    data_center = fields.String(required=True)
    trial_duration = fields.Integer(required=True)
    end_timestamp = fields.String(required=True)
    identifier = fields.String()
    purchase_order = fields.String()
    organization_name = fields.String()
    operators = fields.List(fields.Nested(_WouldInviteSchema))


class DryRunSchema(Schema):
    dry_run = fields.Boolean(required=True)
    would_create = fields.Nested(WouldCreateSchema, required=True)


def dump_dry_run(request: NewLicense, now: datetime) -> dict[str, Any]:
    """A dry run's 200 body: the license the same call would create (it has no id yet)."""
    would: dict[str, Any] = {
        "product": request.product,
        "client_name": request.client_name,
        "client_email": request.client_email,
        "payment_origin": request.payment_origin,
        "data_center": request.data_center,
        "trial_duration": request.trial_duration,
        "end_timestamp": to_wire(now + timedelta(days=request.trial_duration)),
    }
    would.update({name: getattr(request, name) for name in _OPTIONAL_FIELDS if getattr(request, name)})
    if request.operators:
        would["operators"] = [{"email": o.email, "role": o.role} for o in request.operators]
    dumped: dict[str, Any] = DryRunSchema().dump({"dry_run": True, "would_create": would})
    return dumped


def dump_created_license(item: License) -> dict[str, Any]:
    """The 201 body: the Text Partner API's fields, plus the optional fields that were given."""
    body: dict[str, Any] = {
        "license": item.license_id,
        "product": item.product,
        "creation_timestamp": to_wire(item.created_at),
        "end_timestamp": to_wire(item.trial_ends_at),
        "client_name": item.client_name,
        "client_email": item.client_email,
        "cc_added": item.cc_added,
        "paid": item.paid,
        "payment_origin": item.payment_origin,
        "status": item.status,
        "data_center": item.data_center,
    }
    body.update({name: getattr(item, name) for name in _OPTIONAL_FIELDS if getattr(item, name)})
    if item.operator_invitations:
        body["operators"] = [{"email": i.email, "role": i.role} for i in item.operator_invitations]
    return body


def dump_license_summary(item: License) -> dict[str, Any]:
    """A license in a listing: the created fields, money, seats and (partner-managed only)
    the subscription. A customer-managed subscription is hidden from the partner."""
    body = dump_created_license(item)
    body.pop("operators", None)
    body.update(
        {
            "discount_percent": item.discount_percent,
            "extra_discount_percent": item.extra_discount_percent,
            "commission_percent": item.commission_percent,
            "seats": item.seats,
            "organization_id": item.organization_id,
        }
    )
    if item.conversion_timestamp:
        body["conversion_timestamp"] = to_wire(item.conversion_timestamp)
    if catalog.partner_manages(item.payment_origin):
        body["subscription"] = dump_subscription(item.subscription)
    return body


def dump_subscription(subscription: Subscription | None) -> dict[str, Any] | None:
    if subscription is None:
        return None
    return {
        "plan": subscription.plan,
        "billing_cycle": subscription.billing_cycle,
        "seats": subscription.seats,
        "started_at": to_wire(subscription.started_at),
        "ends_at": to_wire(subscription.ends_at) if subscription.ends_at else None,
    }


def dump_license_details(item: License) -> dict[str, Any]:
    """`GET .../licenses/<product>/<id>`: the summary plus every invitation's state."""
    body = dump_license_summary(item)
    client = item.client_invitation
    body.update(
        {
            "client_invitation_status": client.status if client else None,
            "invited_agents": [
                {"email": i.email, "role": i.role, "invitation_status": i.status}
                for i in item.operator_invitations
            ],
        }
    )
    return body


def dump_invoice(invoice: Invoice) -> dict[str, Any]:
    return {
        "number": invoice.number,
        "period_start": to_wire(invoice.period_start),
        "plan": invoice.plan,
        "billing_cycle": invoice.billing_cycle,
        "seats_billed": invoice.seats_billed,
        "unit_price_cents": invoice.unit_price_cents,
        "discount_percent": invoice.discount_percent,
        "gross_cents": invoice.gross_cents,
        "total_cents": invoice.total_cents,
        "savings_cents": invoice.savings_cents,
    }
