"""Deliver invitation emails from the outbox: claim, render, send, record the outcome.

Both the DynamoDB-stream mailer (right after a license is written) and the scheduled sweep
(retries, and every send in local mode) come through here, so there is one path to SES.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aws_lambda_powertools import Logger

from partnerapp.domain.delivery import RETRY_POLICY, RetryPolicy
from partnerapp.mail import sender
from partnerapp.mail.render import render_invitation
from partnerapp.settings import Settings
from partnerapp.store.licenses import LicenseRepository
from partnerapp.store.outbox import Outbox, OutboxEntry

logger = Logger(child=True)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    dead_lettered: int = 0
    skipped: int = 0


class InvitationMailer:
    def __init__(self, settings: Settings, policy: RetryPolicy = RETRY_POLICY) -> None:
        self._settings = settings
        self._policy = policy
        self._outbox = Outbox(settings)
        self._licenses = LicenseRepository(settings)

    def deliver_due(self, now: datetime) -> DeliveryReport:
        report = DeliveryReport()
        for entry in self._outbox.due(now):
            self.deliver(entry.license_id, entry.seq, now, report)
        return report

    def deliver(self, license_id: int, seq: int, now: datetime, report: DeliveryReport) -> None:
        entry = self._outbox.claim(license_id, seq, now)
        if entry is None:
            report.skipped += 1  # not due, already sent, or another mailer holds it
            return
        item = self._licenses.get(license_id)
        invitation = next((i for i in item.invitations if i.seq == seq), None) if item else None
        if item is None or invitation is None:
            logger.error("outbox item without its license", extra={"license_id": license_id, "seq": seq})
            self._outbox.record_failure(entry, "license missing", None)
            report.dead_lettered += 1
            return
        email = render_invitation(item, invitation, self._settings.site_url)
        region = self._settings.table_for(item.data_center).aws_region
        try:
            message_id = sender.send(email, self._settings.sender_email, region)
        except sender.SendFailed as failure:
            self._record_failure(entry, str(failure), now, report)
            return
        self._outbox.mark_sent(entry, message_id, now)
        report.sent += 1
        logger.info("invitation sent", extra={"license_id": license_id, "seq": seq})

    def _record_failure(self, entry: OutboxEntry, reason: str, now: datetime, report: DeliveryReport) -> None:
        attempts = entry.attempts + 1
        next_at = self._policy.next_attempt_at(attempts, now)
        self._outbox.record_failure(entry, reason, next_at)
        # Only SES's error code is logged: its message may quote an address.
        details = {
            "license_id": entry.license_id,
            "seq": entry.seq,
            "attempts": attempts,
            "error_code": reason.partition(":")[0],
        }
        if next_at is None:
            report.dead_lettered += 1
            logger.error("invitation dead-lettered", extra=details)
        else:
            report.retrying += 1
            logger.warning("invitation send failed, will retry", extra=details)
