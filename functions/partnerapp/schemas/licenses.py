"""Licenses on the wire: the create request, and the license as the Text Partner API shows it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_dump, validate, validates_schema

from partnerapp import catalog
from partnerapp.domain.billing import Invoice
from partnerapp.domain.licenses import License, NewLicense, Operator
from partnerapp.domain.periods import period_end
from partnerapp.domain.timestamps import to_wire, utc_now
from partnerapp.schemas import descriptions
from partnerapp.schemas.fields import DataCenterCode, Dollars, EmailAddress, IdString, Text, WireTime
from partnerapp.schemas.wire import load_body

MAX_OPERATORS = 20
INVOICE_STATUS = (
    "paid once the payments the billing system reported on the license cover it (oldest invoice "
    "first); issued until then. An invoice of 0 is paid."
)
SEATS = "Seats in the subscription, as create/update subscription set them; 0 without one."
SEATS_USED = "Seats in use: accepted invitations. A partner pays for these, at most `seats`."
SEATS_BILLED = "Seats billed: the seats used when issued, at most those subscribed."
SEATS_SUBSCRIBED = "The subscription's seats when issued (null on invoices issued before it was kept)."
COUPON_NOTE = (
    "One of your coupons (GET /v2/partners/coupons): its discount is added to a partner-managed "
    "license's offer. Unknown, expired, for another product or on a customer-managed license: 403."
)


PERIOD_END = (
    "The end of the current period: the trial's end, the end of the billing cycle paid for "
    "(a partner-managed subscription), or when it expired. A customer-managed paid license "
    "keeps its trial's end: its paid-until date is not known here."
)


class PeriodEnd(WireTime):
    """`end_timestamp`: computed from the license and the clock, not read from one attribute."""

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = None) -> Any:
        return period_end(obj, utc_now())


class OperatorSchema(Schema):
    email = EmailAddress(required=True, metadata={"description": descriptions.EMAIL})
    role = fields.String(
        required=True,
        validate=validate.OneOf(catalog.OPERATOR_ROLES),
        metadata={"description": descriptions.ROLE},
    )


class CreateLicenseSchema(Schema):
    """The body of `POST /v2/partners/solutions/licenses`; unknown fields are refused."""

    client_name = Text(
        required=True, min_length=5, max_length=100, metadata={"description": descriptions.CLIENT_NAME}
    )
    client_email = EmailAddress(required=True, metadata={"description": descriptions.CLIENT_EMAIL})
    payment_origin = fields.String(
        required=True,
        validate=validate.OneOf(catalog.PAYMENT_ORIGINS),
        metadata={"description": descriptions.PAYMENT_ORIGIN},
    )
    trial_duration = fields.Integer(
        strict=True,
        load_default=catalog.TRIAL.default_days,
        validate=validate.Range(min=catalog.TRIAL.min_days, max=catalog.TRIAL.max_days),
        metadata={"description": descriptions.TRIAL_DURATION},
    )
    data_center = DataCenterCode(
        load_default=catalog.DEFAULT_DATA_CENTER, metadata={"description": descriptions.DATA_CENTER}
    )
    identifier = Text(max_length=100, metadata={"description": descriptions.IDENTIFIER})
    purchase_order = Text(max_length=100, metadata={"description": descriptions.PURCHASE_ORDER})
    organization_name = Text(max_length=100, metadata={"description": descriptions.ORGANIZATION_NAME})
    operators = fields.List(
        fields.Nested(OperatorSchema),
        load_default=list,
        validate=validate.Length(max=MAX_OPERATORS),
        metadata={"description": descriptions.OPERATORS},
    )
    # The creator resolves it (services/licensing): a coupon it cannot apply is the docs' 403.
    coupon_id = fields.Integer(
        strict=True, validate=validate.Range(min=1), metadata={"description": COUPON_NOTE}
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
    product = fields.String(
        required=True,
        validate=validate.OneOf(tuple(catalog.PRODUCTS)),
        metadata={"description": descriptions.PRODUCT},
    )


class CreateLicenseQuerySchema(ProductQuerySchema):
    """The create call's query: the product, and `dry_run` to check without creating."""

    dry_run = fields.Boolean(load_default=False, metadata={"description": descriptions.DRY_RUN})


def load_new_license(product: str, body: Any) -> NewLicense:
    """Validate a create request; raises marshmallow's ValidationError naming each field."""
    if not isinstance(body, dict):
        raise ValidationError({"_schema": ["The body must be a JSON object."]})
    data = load_body(CreateLicenseSchema(), body)
    operators = tuple(Operator(email=o["email"], role=o["role"]) for o in data.pop("operators"))
    return NewLicense(product=product, operators=operators, **data)


# --- responses -------------------------------------------------------------------------


class SubscriptionSchema(Schema):
    plan = fields.String()
    billing_cycle = fields.String()
    seats = fields.Integer()
    started_at = WireTime()
    ends_at = WireTime(allow_none=True)


class InvitedOperatorSchema(Schema):
    email = fields.String(required=True, metadata={"description": descriptions.EMAIL})
    role = fields.String(required=True, metadata={"description": descriptions.ROLE})


_OPTIONAL = ("identifier", "purchase_order", "organization_name", "organization_id", "operators")


class CreatedLicenseSchema(Schema):
    """The create answer (`201`): the Text API's fields, then our additions. Optional ones
    (identifier, purchase_order, organization_name, organization_id, operators) only when set."""

    license = IdString(attribute="license_id", required=True)
    product = fields.String(required=True, metadata={"description": descriptions.PRODUCT})
    creation_timestamp = WireTime(attribute="created_at", required=True)
    end_timestamp = PeriodEnd(required=True, metadata={"description": PERIOD_END})
    client_name = fields.String(required=True, metadata={"description": descriptions.CLIENT_NAME})
    client_email = fields.String(required=True, metadata={"description": descriptions.CLIENT_EMAIL})
    cc_added = fields.Boolean(required=True)
    paid = fields.Boolean(required=True)
    payment_origin = fields.String(required=True, metadata={"description": descriptions.PAYMENT_ORIGIN})
    status = fields.String(required=True)
    data_center = fields.String(required=True, metadata={"description": descriptions.DATA_CENTER})
    identifier = fields.String(metadata={"description": descriptions.IDENTIFIER})
    purchase_order = fields.String(metadata={"description": descriptions.PURCHASE_ORDER})
    organization_name = fields.String(metadata={"description": descriptions.ORGANIZATION_NAME})
    organization_id = fields.String()
    operators = fields.List(
        fields.Nested(InvitedOperatorSchema),
        attribute="operator_invitations",
        metadata={"description": descriptions.OPERATORS},
    )

    @post_dump
    def leave_out_unset(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {k: v for k, v in data.items() if k not in _OPTIONAL or v}


class LicenseSummarySchema(CreatedLicenseSchema):
    """A row of `GET .../licenses` (`result`): the created fields, money and seats; the
    subscription only where the partner manages it (a customer's own is not theirs to see)."""

    discount_percent = fields.Integer(required=True)
    extra_discount_percent = fields.Integer(
        required=True, metadata={"description": descriptions.EXTRA_DISCOUNT_PERCENT}
    )
    commission_percent = fields.Integer(required=True)
    seats = fields.Integer(required=True, metadata={"description": SEATS})
    seats_used = fields.Integer(required=True, metadata={"description": SEATS_USED})
    conversion_timestamp = WireTime(allow_none=True)
    subscription = fields.Method("_subscription", allow_none=True)

    class Meta:
        exclude = ("operators",)  # a listing names people on the license page only

    def _subscription(self, item: License) -> dict[str, Any] | None:
        return dump_subscription(item) if catalog.partner_manages(item.payment_origin) else None

    @post_dump
    def leave_out_unset(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data = {k: v for k, v in data.items() if k not in _OPTIONAL or v}
        if data.get("conversion_timestamp") is None:
            data.pop("conversion_timestamp", None)
        return data


def dump_subscription(item: License) -> dict[str, Any] | None:
    return SubscriptionSchema().dump(item.subscription) if item.subscription else None


class RegionAlias(fields.String):
    """A data center written as the create call's code for it: `dal` for us-south1, `fra` for
    eu-west3."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else catalog.DATA_CENTERS[value].aliases[0]


class InvitedAgentSchema(Schema):
    email = fields.String(required=True, metadata={"description": descriptions.EMAIL})
    role = fields.String(required=True, metadata={"description": descriptions.ROLE})
    invitation_status = fields.String(attribute="status", required=True)


# Fields the Text API has and this project has no source for: constant, and said so.
NO_CHAT_DATA = "Chats are not counted here: always 0."
NO_QUALIFICATION = "Lead qualification is not tracked here: always false."


class LicenseDetailsSchema(LicenseSummarySchema):
    """`GET .../licenses/<product>/<license_id>`: every field the Text API documents, then ours.
    plan and billing_cycle are null without a subscription the partner may see."""

    conversations = fields.Constant(0, metadata={"description": NO_CHAT_DATA}, required=True)
    conversations_last_30_days = fields.Constant(0, metadata={"description": NO_CHAT_DATA}, required=True)
    ql = fields.Constant(False, metadata={"description": NO_QUALIFICATION}, required=True)
    plan = fields.Method("_plan", allow_none=True, required=True, metadata={"description": descriptions.PLAN})
    billing_cycle = fields.Method(
        "_billing_cycle", allow_none=True, required=True, metadata={"description": descriptions.BILLING_CYCLE}
    )
    total_discount = Dollars(attribute="total_savings_cents", required=True)
    total_commission = Dollars(attribute="total_earnings_cents", required=True)
    owner_email = fields.String(attribute="owner", required=True)
    # The details' and transfer's docs show the region as `dal`/`fra` (the create call's codes).
    data_center = RegionAlias(
        required=True, metadata={"description": "dal (USA) or fra (EU), as the docs' examples show it."}
    )
    client_invitation_status = fields.Method("_client_status", allow_none=True)
    invited_agents = fields.List(fields.Nested(InvitedAgentSchema), attribute="operator_invitations")

    def _visible(self, item: License) -> Any:
        return item.subscription if catalog.partner_manages(item.payment_origin) else None

    def _plan(self, item: License) -> str | None:
        visible = self._visible(item)
        return visible.plan if visible else None

    def _billing_cycle(self, item: License) -> str | None:
        visible = self._visible(item)
        return visible.billing_cycle if visible else None

    def _client_status(self, item: License) -> str | None:
        return item.client_invitation.status if item.client_invitation else None

    @post_dump
    def leave_out_unset(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data = {k: v for k, v in data.items() if k not in _OPTIONAL or v}
        # The Text API always has purchase_order in the details: empty when none was given.
        data["purchase_order"] = data.get("purchase_order") or ""
        if data.get("conversion_timestamp") is None:
            data.pop("conversion_timestamp", None)
        return data


NO_BLOCKING = "Licenses are never blocked here: always false."


class TransferredLicenseSchema(LicenseDetailsSchema):
    """The transfer answer: the details, plus the Text API's `recurrent, expired, blocked`."""

    recurrent = fields.Method("_recurrent", required=True)
    expired = fields.Function(lambda item: item.status == "expired", required=True)
    blocked = fields.Constant(False, metadata={"description": NO_BLOCKING}, required=True)

    def _recurrent(self, item: License) -> bool:
        """A subscription renews: it exists and is not cancelled (a transfer cancels ours)."""
        return item.subscription is not None and item.subscription.ends_at is None


class StatusRowSchema(Schema):
    """A row of `GET .../licenses/<status>` (`results`)."""

    license_id = IdString(required=True)
    status = fields.String(required=True)
    product = fields.String(required=True, metadata={"description": descriptions.PRODUCT})
    client_name = fields.String(required=True, metadata={"description": descriptions.CLIENT_NAME})
    client_email = fields.String(required=True, metadata={"description": descriptions.CLIENT_EMAIL})
    payment_origin = fields.String(required=True, metadata={"description": descriptions.PAYMENT_ORIGIN})
    creation_timestamp = WireTime(attribute="created_at", required=True)
    conversion_timestamp = WireTime(allow_none=True, required=True)
    expiration_timestamp = fields.Method("_expiration", allow_none=True, required=True)

    def _expiration(self, item: License) -> str | None:
        """When the license ends, as far as it is known: the trial's end while in trial, the
        day it expired once expired, a cancelled subscription's end; null while it renews."""
        if item.status == "expired" and item.expired_at:
            return to_wire(item.expired_at)
        if item.status == "trial":
            return to_wire(item.trial_ends_at)
        ends = item.subscription.ends_at if item.subscription else None
        return to_wire(ends) if ends else None


class InvoiceSchema(Schema):
    """One invoice of `GET .../licenses/<license_id>/invoices`: amounts in dollars."""

    invoice_no = fields.Integer(attribute="number", required=True)
    date = WireTime(attribute="period_start", required=True)
    plan = fields.String(required=True, metadata={"description": descriptions.PLAN})
    seats = fields.Integer(attribute="seats_billed", required=True, metadata={"description": SEATS_BILLED})
    seats_subscribed = fields.Integer(
        allow_none=True, required=True, metadata={"description": SEATS_SUBSCRIBED}
    )
    billing_cycle = fields.String(required=True, metadata={"description": descriptions.BILLING_CYCLE})
    amount = Dollars(attribute="total_cents", required=True)
    status = fields.String(required=True, metadata={"description": INVOICE_STATUS})
    # Our additions: how the amount was reached.
    unit_price = Dollars(attribute="unit_price_cents", required=True)
    discount_percent = fields.Integer(required=True)
    gross = Dollars(attribute="gross_cents", required=True)
    savings = Dollars(attribute="savings_cents", required=True)


class WouldCreateSchema(Schema):
    """The license a create would make: its fields as sent, checked, and its trial's end."""

    product = fields.String(required=True, metadata={"description": descriptions.PRODUCT})
    client_name = fields.String(required=True, metadata={"description": descriptions.CLIENT_NAME})
    client_email = fields.String(required=True, metadata={"description": descriptions.CLIENT_EMAIL})
    payment_origin = fields.String(required=True, metadata={"description": descriptions.PAYMENT_ORIGIN})
    data_center = fields.String(required=True, metadata={"description": descriptions.DATA_CENTER})
    trial_duration = fields.Integer(required=True, metadata={"description": descriptions.TRIAL_DURATION})
    end_timestamp = fields.String(required=True)
    identifier = fields.String(metadata={"description": descriptions.IDENTIFIER})
    purchase_order = fields.String(metadata={"description": descriptions.PURCHASE_ORDER})
    organization_name = fields.String(metadata={"description": descriptions.ORGANIZATION_NAME})
    operators = fields.List(
        fields.Nested(InvitedOperatorSchema), metadata={"description": descriptions.OPERATORS}
    )


class DryRunSchema(Schema):
    dry_run = fields.Boolean(required=True, metadata={"description": descriptions.DRY_RUN})
    would_create = fields.Nested(WouldCreateSchema, required=True)


_DRY_RUN_OPTIONAL = ("identifier", "purchase_order", "organization_name")


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
    would.update({name: getattr(request, name) for name in _DRY_RUN_OPTIONAL if getattr(request, name)})
    if request.operators:
        would["operators"] = [{"email": o.email, "role": o.role} for o in request.operators]
    dumped: dict[str, Any] = DryRunSchema().dump({"dry_run": True, "would_create": would})
    return dumped


def dump_created_license(item: License) -> dict[str, Any]:
    return dict(CreatedLicenseSchema().dump(item))


def dump_license_summary(item: License) -> dict[str, Any]:
    return dict(LicenseSummarySchema().dump(item))


def dump_license_details(item: License) -> dict[str, Any]:
    return dict(LicenseDetailsSchema().dump(item))


def dump_transferred(item: License) -> dict[str, Any]:
    return dict(TransferredLicenseSchema().dump(item))


def dump_status_row(item: License) -> dict[str, Any]:
    return dict(StatusRowSchema().dump(item))


# --- answers that wrap the rows above --------------------------------------------------


class LicenseListSchema(Schema):
    """`GET .../licenses`: `result`; `next_cursor` only when paged with our `limit`."""

    result = fields.List(fields.Nested(LicenseSummarySchema), required=True)
    next_cursor = fields.String(allow_none=True, metadata={"description": descriptions.NEXT_CURSOR})


class StatusListSchema(Schema):
    results = fields.List(fields.Nested(StatusRowSchema), required=True)
    next_cursor = fields.String(
        allow_none=True, required=True, metadata={"description": descriptions.NEXT_CURSOR}
    )


class InvoiceListSchema(Schema):
    result = fields.List(fields.Nested(InvoiceSchema), required=True)


class OperatorResultSchema(Schema):
    operator = fields.String(required=True)
    status_code = fields.Integer(required=True, metadata={"description": "200 invited, 400 refused."})
    fields_ = fields.Dict(
        data_key="fields",
        attribute="fields",
        metadata={"description": "On an entry refused as invalid: each bad field and why."},
    )


class OperatorResultsSchema(Schema):
    result = fields.List(fields.Nested(OperatorResultSchema), required=True)


def dump_license_list(licenses: list[License], next_cursor: str | None, paged: bool) -> dict[str, Any]:
    body = dict(LicenseListSchema().dump({"result": licenses, "next_cursor": next_cursor}))
    if not paged:
        body.pop("next_cursor", None)
    return body


def dump_status_list(licenses: list[License], next_cursor: str | None) -> dict[str, Any]:
    return dict(StatusListSchema().dump({"results": licenses, "next_cursor": next_cursor}))


def dump_invoice_list(invoices: list[Invoice], statuses: dict[int, str]) -> dict[str, Any]:
    """`{result: [...]}`; each invoice's status as `billing.invoice_statuses` judged it."""
    return {"result": [{**InvoiceSchema().dump(i), "status": statuses[i.number]} for i in invoices]}


def dump_operator_results(results: list[dict[str, Any]]) -> dict[str, Any]:
    return dict(OperatorResultsSchema().dump({"result": results}))
