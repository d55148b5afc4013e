"""Accepting an invitation by the link in its email: the person takes a seat on the license.

Seats used are what a partner-managed license is billed for (`billing.due_invoices`)."""

from __future__ import annotations

import hmac
from dataclasses import replace
from datetime import datetime

from partnerapp.domain import history
from partnerapp.domain.errors import Conflict, NotFound, RuleViolation
from partnerapp.domain.history import HistoryEntry
from partnerapp.domain.licenses import INVITATION_ACCEPTED, Invitation, License
from partnerapp.domain.management import Outcome

INVITEE = "invitee"  # the history's actor: the invited person, by their own link


class LinkNotValid(NotFound):
    """Unknown, mistyped, or replaced by a newer email: indistinguishable on purpose."""


class LinkExpired(RuleViolation):
    pass


class AlreadyAccepted(Conflict):
    pass


class LicenseEnded(RuleViolation):
    pass


def invitation_for_link(item: License, seq: int, link_digest: str) -> Invitation:
    """The invitation this link is the current one of, or LinkNotValid. An accepted
    invitation keeps its digest, so only its own link learns that it was accepted."""
    found = next((i for i in item.invitations if i.seq == seq), None)
    if found is None or found.link_digest is None or not hmac.compare_digest(found.link_digest, link_digest):
        raise LinkNotValid("This invitation link is not valid.")
    return found


def check_acceptable(item: License, invitation: Invitation, now: datetime) -> None:
    if invitation.status == INVITATION_ACCEPTED:
        raise AlreadyAccepted("This invitation was already accepted.")
    if invitation.link_expires_at is not None and now >= invitation.link_expires_at:
        raise LinkExpired("This invitation link has expired.")
    if item.status == "expired":
        raise LicenseEnded("This license has ended.")


def accept_invitation(item: License, seq: int, link_digest: str, now: datetime) -> Outcome:
    found = invitation_for_link(item, seq, link_digest)
    check_acceptable(item, found, now)
    accepted = replace(found, status=INVITATION_ACCEPTED, accepted_at=now)
    invitations = tuple(accepted if i.seq == seq else i for i in item.invitations)
    entry = HistoryEntry(
        now, INVITEE, history.INVITATION_ACCEPTED, {"email": found.email, "role": found.role}
    )
    changed = replace(item, invitations=invitations, seats_used=item.seats_used + 1)
    return Outcome(changed, (entry,), accepted=found)
