"""Open and accept an invitation by the link in its email (the page is api/routes/invitations)."""

from __future__ import annotations

from partnerapp.domain.errors import Conflict
from partnerapp.domain.invitations import (
    LinkNotValid,
    accept_invitation,
    check_acceptable,
    invitation_for_link,
)
from partnerapp.domain.licenses import Invitation, License
from partnerapp.domain.timestamps import Clock
from partnerapp.hashing import secret_digest
from partnerapp.services import invitation_links
from partnerapp.settings import Settings
from partnerapp.store.licenses import LicenseRepository, VersionConflict

ATTEMPTS = 5


class InvitationAcceptance:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self._licenses = LicenseRepository(settings)
        self._clock = clock

    def open(self, token: str | None) -> tuple[License, Invitation]:
        """What the link invites to, if it can still be accepted; raises the rule that says
        no (LinkNotValid, LinkExpired, AlreadyAccepted, LicenseEnded)."""
        item, seq, digest = self._read(token)
        invitation = invitation_for_link(item, seq, digest)
        check_acceptable(item, invitation, self._clock())
        return item, invitation

    def accepted(self, token: str | None) -> tuple[License, Invitation]:
        """The license and invitation of a valid link, whatever its state (for the page that
        says it was accepted already)."""
        item, seq, digest = self._read(token)
        return item, invitation_for_link(item, seq, digest)

    def accept(self, token: str | None) -> tuple[License, Invitation]:
        """Take the seat: the invitation accepted and the license's seats used counted, in
        one versioned write; a second use of the link is AlreadyAccepted."""
        for _ in range(ATTEMPTS):
            item, seq, digest = self._read(token)
            now = self._clock()
            outcome = accept_invitation(item, seq, digest, now)
            try:
                written = self._licenses.commit(item, outcome, now)
            except VersionConflict:
                continue  # a concurrent change, or the same link used twice at once: read again
            accepted = next(i for i in written.invitations if i.seq == seq)
            return written, accepted
        raise Conflict("The license is being changed; please try again.")

    def _read(self, token: str | None) -> tuple[License, int, str]:
        parsed = invitation_links.parse(token)
        item = self._licenses.get(parsed[0]) if parsed else None
        if parsed is None or item is None or token is None:
            raise LinkNotValid("This invitation link is not valid.")
        return item, parsed[1], secret_digest(token)
