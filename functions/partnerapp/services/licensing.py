"""Create a trial license: the client's organization, the rules, the uniqueness guard and the
one-transaction write."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from botocore.exceptions import BotoCoreError, ClientError

from partnerapp.domain import history
from partnerapp.domain.coupons import coupon_discount
from partnerapp.domain.errors import Conflict, StillInProgress
from partnerapp.domain.history import HistoryEntry, partner_actor
from partnerapp.domain.licenses import (
    License,
    NewLicense,
    check_operators_allowed,
    new_license_id,
    start_trial,
)
from partnerapp.domain.organizations import Organization
from partnerapp.domain.partners import Partner
from partnerapp.domain.timestamps import Clock
from partnerapp.settings import Settings
from partnerapp.store.coupons import CouponStore
from partnerapp.store.errors import is_condition_failure
from partnerapp.store.guards import DUPLICATE_MESSAGE, ClientGuard
from partnerapp.store.licenses import LicenseRepository
from partnerapp.store.organizations import OrganizationRepository
from partnerapp.store.together import WrittenTogether

ID_ATTEMPTS = 3


def random_id_part() -> int:
    return 10_000_000 + secrets.randbelow(90_000_000)


IN_PROGRESS_MESSAGE = "A request with this Idempotency-Key is still in progress."


class LicenseCreator:
    def __init__(self, settings: Settings, clock: Clock, id_part: Callable[[], int] = random_id_part) -> None:
        self._licenses = LicenseRepository(settings)
        self._organizations = OrganizationRepository(settings)
        self._guard = ClientGuard(settings)
        self._written = WrittenTogether(settings, self._guard, self._organizations, self._licenses)
        self._clock = clock
        self._id_part = id_part
        self._coupons = CouponStore(settings)

    def create(
        self,
        partner: Partner,
        request: NewLicense,
        organization: Organization | None = None,
        request_ref: str | None = None,
    ) -> License:
        """Raises RuleViolation (403) or Conflict (409); on success the license and its
        invitations are stored together and the emails are waiting in the outbox.

        `request_ref` names a keyed request (Idempotency-Key): run again after its in-progress
        lock expired, it answers the license its earlier run created instead of a 409.
        `partner` is the signed-in partner as authenticated (the token's copy of the profile):
        the license keeps their contact name and address for the customer's emails."""
        try:
            return self._create(partner, request, organization, request_ref)
        except Conflict:
            earlier = self._made_by(partner.partner_id, request, request_ref)
            if earlier is None:
                raise
            return earlier

    def _made_by(self, partner_id: str, request: NewLicense, request_ref: str | None) -> License | None:
        if not request_ref:
            return None
        license_id = self._guard.made_by(partner_id, request.client_email, request.product, request_ref)
        if license_id is None:
            return None
        earlier = self._licenses.get(license_id)
        if earlier is None:
            # Its claim is there, its license not yet (or never, if it died: the claim goes
            # stale and is taken over): the client is asked to send it again shortly.
            raise StillInProgress(IN_PROGRESS_MESSAGE)
        return earlier

    def _create(
        self,
        partner: Partner,
        request: NewLicense,
        organization: Organization | None,
        request_ref: str | None,
    ) -> License:
        partner_id = partner.partner_id
        now = self._clock()
        request = self.with_coupon(partner_id, request)
        proposed = organization or self._proposed_organization(partner_id, request, now)
        first = self._trial(partner, request, proposed, now)
        if self._written.at_once(
            first, proposed if organization is None else None, self._created(first, now), request_ref
        ):
            return first
        # Something stood in the way (the client's organization or a license for this email
        # exists, or the id was taken): the step-by-step path below decides what it was.
        organization = organization or self.client_organization(partner_id, request, now, proposed)
        for attempt in range(ID_ATTEMPTS):
            item = self._trial(partner, request, organization, now)
            if self._store(item, now, request_ref, last_attempt=attempt == ID_ATTEMPTS - 1):
                return item
        raise AssertionError("unreachable: the last attempt raises")

    def _trial(
        self, partner: Partner, request: NewLicense, organization: Organization, now: datetime
    ) -> License:
        request = replace(request, organization_name=organization.organization_name)
        license_id = new_license_id(self._id_part(), request.data_center)
        item = start_trial(partner.partner_id, request, license_id, now)
        # Who set it up, for the customer's emails (the data region's mailer cannot read partners).
        return replace(
            item,
            organization_id=organization.organization_id,
            partner_name=partner.contact_name or None,
            partner_email=partner.contact_email or None,
        )

    @staticmethod
    def _created(item: License, now: datetime) -> HistoryEntry:
        return HistoryEntry(
            now,
            partner_actor(item.partner_id),
            history.CREATED,
            {
                "product": item.product,
                "payment_origin": item.payment_origin,
                "data_center": item.data_center,
                "trial_ends_at": item.trial_ends_at,
            },
        )

    def check(self, partner_id: str, request: NewLicense) -> None:
        """What `create` would refuse, without storing or sending anything (a dry run): the
        catalog's rules (RuleViolation) and an existing license for the email (Conflict)."""
        check_operators_allowed(request)
        self.with_coupon(partner_id, request)
        if self.existing(partner_id, request.client_email, request.product) is not None:
            raise Conflict(DUPLICATE_MESSAGE, {"client_email": [DUPLICATE_MESSAGE]})

    def with_coupon(self, partner_id: str, request: NewLicense) -> NewLicense:
        """The request with its coupon's discount, or RuleViolation (403) naming coupon_id."""
        if request.coupon_id is None:
            return request
        coupon = self._coupons.get(partner_id, request.coupon_id)
        discount = coupon_discount(coupon, request.product, request.payment_origin, self._clock())
        return replace(request, extra_discount_percent=discount)

    def existing(self, partner_id: str, client_email: str, product: str) -> int | None:
        """The id of the partner's license of `product` for `client_email`, if there is one."""
        return self._guard.holder(partner_id, client_email, product, self._clock(), self._licenses.exists)

    def _store(self, item: License, now: datetime, request_ref: str | None, last_attempt: bool) -> bool:
        self._guard.claim(
            item.partner_id,
            item.client_email,
            item.product,
            item.license_id,
            now,
            license_exists=self._licenses.exists,
            request_ref=request_ref,
        )
        try:
            self._licenses.insert(item, self._created(item, now))
            return True
        except ClientError as error:
            self._guard.release(item.partner_id, item.client_email, item.product, item.license_id)
            # A taken id (one in ninety million) gets a new id; anything else is a failure.
            if not is_condition_failure(error) or last_attempt:
                raise
            return False
        except BaseException as error:
            # No answer at all (every attempt timed out): the transaction may have applied.
            # If the license is there it is this request's, so it is created; releasing the
            # guard would let a second license in for this customer.
            if isinstance(error, BotoCoreError) and self._licenses.exists(item.license_id):
                return True
            self._guard.release(item.partner_id, item.client_email, item.product, item.license_id)
            raise

    def _proposed_organization(self, partner_id: str, request: NewLicense, now: datetime) -> Organization:
        """The organization a client's first license creates (with a new id)."""
        return Organization(
            organization_id=self._organizations.new_id(request.data_center),
            partner_id=partner_id,
            organization_name=request.organization_name or request.client_name,
            client_name=request.client_name,
            client_email=request.client_email,
            data_center=request.data_center,
            created_at=now,
            identifier=request.identifier,
        )

    def client_organization(
        self, partner_id: str, request: NewLicense, now: datetime, proposed: Organization | None = None
    ) -> Organization:
        """The client's organization in the license's region, created on its first license
        (as `proposed`, when given: a create that recorded it already finds it its own)."""
        proposed = proposed or self._proposed_organization(partner_id, request, now)
        chosen = self._organizations.claim_client(
            partner_id, request.client_email, request.data_center, proposed.organization_id
        )
        if chosen == proposed.organization_id:
            self._organizations.put(proposed)
            return proposed
        # An interrupted first create may have recorded the id without the organization item.
        existing = self._organizations.get(chosen)
        if existing is None:
            existing = replace(proposed, organization_id=chosen)
            self._organizations.put(existing)
        return existing

    def create_organization(self, organization: Organization) -> Organization:
        """An organization created explicitly (POST .../organizations)."""
        chosen = self._organizations.claim_client(
            organization.partner_id,
            organization.client_email,
            organization.data_center,
            organization.organization_id,
        )
        if chosen != organization.organization_id:
            raise Conflict(
                "An organization already exists for this client_email in this data center.",
                {"client_email": ["An organization already exists for this client."]},
            )
        self._organizations.put(organization)
        return organization
