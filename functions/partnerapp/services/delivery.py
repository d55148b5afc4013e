"""Deliver the outbox's emails (invitations, and lifecycle emails such as the trial reminder):
claim, render, send, record the outcome.

Both the DynamoDB-stream mailer (right after a license is written) and the scheduled sweep
(retries, and every send in local mode) come through here, so there is one path to SES. An
address SES reported as bouncing or complaining is never written to again from its region.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aws_lambda_powertools import Logger

from partnerapp import catalog
from partnerapp.domain.delivery import RETRY_POLICY, RetryPolicy
from partnerapp.domain.feedback import invitation_tags, notice_tags
from partnerapp.domain.licenses import License
from partnerapp.mail import sender
from partnerapp.mail.notices import render_notice
from partnerapp.mail.render import Email, render_invitation
from partnerapp.services import dead_letters, invitation_links
from partnerapp.settings import Settings
from partnerapp.store import keys
from partnerapp.store.licenses import LicenseRepository
from partnerapp.store.outbox import Outbox, OutboxEntry
from partnerapp.store.suppressions import SuppressionList

logger = Logger(child=True)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    dead_lettered: int = 0
    skipped: int = 0
    suppressed: int = 0
    errors: int = 0  # not even claimed or recorded (DynamoDB failing): left due for the next pass


class InvitationMailer:
    def __init__(self, settings: Settings, policy: RetryPolicy = RETRY_POLICY) -> None:
        self._settings = settings
        self._policy = policy
        self._outbox = Outbox(settings)
        self._licenses = LicenseRepository(settings)
        self._suppressions = SuppressionList(settings)

    def deliver_due(self, now: datetime) -> DeliveryReport:
        report = DeliveryReport()
        for entry in self._outbox.due(now):
            try:
                self.deliver(entry.license_id, entry.sk, now, report)
            except Exception as error:  # one item's fault (say DynamoDB's) never ends the pass
                report.errors += 1
                # Its type only, as for SES's errors: a message may quote an address.
                logger.error(
                    "outbox item not attempted", extra={**_ids(entry), "error_type": type(error).__name__}
                )
        return report

    def deliver(self, license_id: int, sk: str, now: datetime, report: DeliveryReport) -> None:
        """One attempt at the email item `sk` of a license (an invitation or a lifecycle email)."""
        if not self._serves(license_id):
            logger.error("email of another data region", extra={"license_id": license_id, "item": sk})
            report.skipped += 1
            return
        # An invitation's accept link is made for this very email (only its digest is stored).
        link = (
            invitation_links.issue(license_id, _seq_of(sk), now)
            if sk.startswith(keys.INVITE_PREFIX)
            else None
        )
        entry = self._outbox.claim(license_id, sk, now, (link.digest, link.expires_at) if link else None)
        if entry is None:
            report.skipped += 1  # not due, already sent, or another mailer holds it
            return
        try:
            self._attempt(entry, link, now, report)
        except Exception as error:  # a poison item is retried, then dead-lettered
            self._record_failure(entry, dead_letters.reason_of(error), now, report)

    def _attempt(
        self,
        entry: OutboxEntry,
        link: invitation_links.IssuedLink | None,
        now: datetime,
        report: DeliveryReport,
    ) -> None:
        """Render and send the claimed item; anything it raises counts as a failed attempt."""
        item = self._licenses.get(entry.license_id)
        message = self._compose(entry, item, link) if item else None
        if item is None or message is None:
            logger.error("outbox item without its license", extra=_ids(entry))
            self._outbox.record_failure(entry, "license missing", None)
            report.dead_lettered += 1
            dead_letters.count_dead_letter()
            return
        email, tags = message
        outcome = self._suppressions.outcome_for(item.data_center, email.to)
        if outcome is not None:
            self._outbox.mark_undeliverable(entry, outcome)
            report.suppressed += 1
            logger.info("email not sent: address suppressed", extra={**_ids(entry), "outcome": outcome})
            return
        self._send(entry, item, email, tags, now, report)

    def _serves(self, license_id: int) -> bool:
        center = catalog.data_center_of_license(license_id)
        return center is not None and self._settings.serves(center.code)

    def _compose(
        self, entry: OutboxEntry, item: License, link: invitation_links.IssuedLink | None
    ) -> tuple[Email, dict[str, str]] | None:
        """The email and its SES tags (they come back with bounces), rendered now."""
        site_url = self._settings.site_url
        if entry.is_invitation:
            invitation = next((i for i in item.invitations if i.seq == entry.seq), None)
            if invitation is None or link is None:
                return None
            email = render_invitation(item, invitation, invitation_links.accept_url(site_url, link.token))
            return email, invitation_tags(entry.license_id, invitation.seq)
        if entry.kind is None or entry.audience is None or entry.recipient is None:
            return None
        email = render_notice(item, entry.kind, entry.audience, entry.recipient, site_url)
        return email, notice_tags(entry.license_id, entry.kind)

    def _send(
        self,
        entry: OutboxEntry,
        item: License,
        email: Email,
        tags: dict[str, str],
        now: datetime,
        report: DeliveryReport,
    ) -> None:
        region = self._settings.table_for(item.data_center).aws_region
        try:
            message_id = sender.send(
                email,
                self._settings.sender_email,
                region,
                configuration_set=self._settings.ses_configuration_set,
                tags=tags,
            )
        except sender.SendFailed as failure:
            self._record_failure(entry, str(failure), now, report)
            return
        self._outbox.mark_sent(entry, message_id, now)
        report.sent += 1
        logger.info("invitation sent" if entry.is_invitation else "email sent", extra=_ids(entry))

    def _record_failure(self, entry: OutboxEntry, reason: str, now: datetime, report: DeliveryReport) -> None:
        attempts = entry.attempts + 1
        next_at = self._policy.next_attempt_at(attempts, now)
        self._outbox.record_failure(entry, reason, next_at)
        # Only SES's error code is logged: its message may quote an address.
        details = {**_ids(entry), "attempts": attempts, "error_code": reason.partition(":")[0]}
        if next_at is None:
            report.dead_lettered += 1
            dead_letters.count_dead_letter()
            logger.error("invitation dead-lettered", extra=details)
        else:
            report.retrying += 1
            logger.warning("invitation send failed, will retry", extra=details)


def _ids(entry: OutboxEntry) -> dict[str, int | str | None]:
    kind = "invitation" if entry.is_invitation else entry.kind
    return {"license_id": entry.license_id, "email": kind, "seq": entry.seq}


def _seq_of(invite_sk: str) -> int:
    return int(invite_sk.rpartition("#")[2])
