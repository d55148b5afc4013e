"""A trial license and the invitations it sends: created by `start_trial`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from partnerapp import catalog
from partnerapp.domain.errors import RuleViolation

INVITATION_PENDING = "pending"
INVITATION_SENT = "sent"
INVITATION_FAILED = "failed"
INVITATION_ACCEPTED = "accepted"

CLIENT_ROLE = "owner"


@dataclass(frozen=True)
class Operator:
    email: str
    role: str


@dataclass(frozen=True)
class NewLicense:
    """What a partner asked for, already validated field by field by the schema."""

    product: str
    client_name: str
    client_email: str
    payment_origin: str
    data_center: str
    trial_duration: int = catalog.TRIAL.default_days
    identifier: str | None = None
    purchase_order: str | None = None
    organization_name: str | None = None
    operators: tuple[Operator, ...] = ()
    coupon_id: int | None = None  # the partner's coupon asked for; the creator resolves it
    extra_discount_percent: int = 0  # the coupon's discount, once resolved


@dataclass(frozen=True)
class Invitation:
    """One email inviting one person to the license: the customer, or an operator."""

    seq: int
    email: str
    role: str
    status: str = INVITATION_PENDING
    attempts: int = 0
    last_error: str | None = None
    sent_at: datetime | None = None
    # The accept link of the last email sent: only its digest is kept (the mailer makes the
    # link at send time); a new send or a resend replaces it, so older links stop working.
    link_digest: str | None = None
    link_expires_at: datetime | None = None
    accepted_at: datetime | None = None
    feedback_at: datetime | None = None  # when SES reported it bounced or complained

    @property
    def is_client(self) -> bool:
        return self.role == CLIENT_ROLE


@dataclass(frozen=True)
class Subscription:
    """A partner-managed subscription: the partner pays the invoices (no card data here)."""

    plan: str
    billing_cycle: str
    seats: int
    started_at: datetime
    ends_at: datetime | None = None  # set once cancelled: now, or the end of the cycle


@dataclass(frozen=True)
class License:
    license_id: int
    partner_id: str
    product: str
    client_name: str
    client_email: str
    payment_origin: str
    data_center: str
    created_at: datetime
    trial_ends_at: datetime
    status: str = "trial"
    cc_added: bool = False
    paid: bool = False
    identifier: str | None = None
    purchase_order: str | None = None
    organization_name: str | None = None
    organization_id: str | None = None
    invitations: tuple[Invitation, ...] = field(default=())
    version: int = 1
    extra_discount_percent: int = 0
    subscription: Subscription | None = None
    conversion_timestamp: datetime | None = None
    expired_at: datetime | None = None
    total_savings_cents: int = 0
    total_earnings_cents: int = 0
    # Seats actually used: accepted invitations, which is what a partner pays for. Kept as a
    # count on the license so listings show it without reading every invitation.
    seats_used: int = 0
    trial_reminder_sent_at: datetime | None = None  # the reminder goes out once per license
    invoices_issued: int = 0  # cycles of the partner subscription invoiced so far
    # Who owns the license once a transfer named another of its people (`new_owner`); None
    # while the customer (client_email) owns it.
    owner_email: str | None = None
    # The partner who set the trial up, as their profile named them then: the customer's emails
    # name them and take replies to them. Kept on the license because a data region's mailer
    # cannot read the home region's partners; None on licenses made before (emails say "your
    # partner" and carry no Reply-To).
    partner_name: str | None = None
    partner_email: str | None = None

    @property
    def discount_percent(self) -> int:
        """The partner's discount: 20% for life when they manage it, plus any extra offer."""
        base = catalog.discount_percent(self.payment_origin)
        return base + self.extra_discount_percent if base else 0

    @property
    def commission_percent(self) -> int:
        return catalog.commission_percent(self.payment_origin)

    @property
    def owner(self) -> str:
        return self.owner_email or self.client_email

    @property
    def seats(self) -> int:
        """Seats in the subscription, as create/update subscription set them (0 without one):
        the Text API's `seats`. What the partner pays for is `seats_used`, at most these."""
        return self.subscription.seats if self.subscription else 0

    @property
    def client_invitation(self) -> Invitation | None:
        return next((item for item in self.invitations if item.is_client), None)

    @property
    def operator_invitations(self) -> tuple[Invitation, ...]:
        return tuple(item for item in self.invitations if not item.is_client)


def check_operators_allowed(request: NewLicense) -> None:
    if request.operators and not catalog.can_invite_operators(request.product, request.payment_origin):
        reason = (
            f"{catalog.PRODUCTS[request.product].name} licenses cannot invite additional users"
            if not catalog.PRODUCTS[request.product].partner_managed_invites
            else "only a partner-managed subscription (payment_origin=partner) can invite additional users"
        )
        raise RuleViolation(reason, {"operators": [reason]})


def start_trial(partner_id: str, request: NewLicense, license_id: int, now: datetime) -> License:
    """The trial a request creates, with the customer's invitation and one per operator."""
    check_operators_allowed(request)
    invitations = [Invitation(seq=0, email=request.client_email, role=CLIENT_ROLE)]
    invitations += [
        Invitation(seq=index, email=operator.email, role=operator.role)
        for index, operator in enumerate(request.operators, start=1)
    ]
    return License(
        license_id=license_id,
        partner_id=partner_id,
        product=request.product,
        client_name=request.client_name,
        client_email=request.client_email,
        payment_origin=request.payment_origin,
        data_center=request.data_center,
        created_at=now,
        trial_ends_at=now + timedelta(days=request.trial_duration),
        identifier=request.identifier,
        purchase_order=request.purchase_order,
        organization_name=request.organization_name,
        invitations=tuple(invitations),
        extra_discount_percent=request.extra_discount_percent,
    )


def new_license_id(random_part: int, data_center: str) -> int:
    """A license id whose last digit names its data center (see catalog.DataCenter)."""
    return random_part * 10 + catalog.DATA_CENTERS[data_center].id_digit
