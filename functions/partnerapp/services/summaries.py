"""The summaries partners opt into, run by the lifecycle job: queue each due one once per
partner and period, then send the queued emails (and retry those that failed) through the
same SESv2 sender, retry policy and configuration set as every other email.

Queuing is the versioned write of `store.summaries` (schedule moved on + email item put, in
one transaction); sending claims the email item with a lease first, so two runs never send
one email. All of it is in the home region, where partner data lives.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from aws_lambda_powertools import Logger

from partnerapp.domain import summaries
from partnerapp.domain.delivery import RETRY_POLICY, SCHEDULED_JOB_RETRY, RetryPolicy
from partnerapp.domain.partners import Partner
from partnerapp.domain.summaries import MONTHLY, WEEKLY
from partnerapp.mail import sender
from partnerapp.mail import withdrawals as withdrawal_mail
from partnerapp.mail.summaries import render_summary
from partnerapp.services import dead_letters, unsubscribe_links
from partnerapp.services.summary_figures import SummaryFigures
from partnerapp.settings import Settings
from partnerapp.store.partners import PartnerRepository
from partnerapp.store.summaries import Schedule, SummaryMail, SummaryStore

logger = Logger(child=True)


@dataclass
class SummaryReport:
    queued: int = 0
    sent: int = 0
    quiet: int = 0  # notification hours with nothing to tell
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    errors: int = 0  # failures that could not even be recorded: due again next run


class SummaryJob:
    def __init__(self, settings: Settings, policy: RetryPolicy = RETRY_POLICY) -> None:
        self._settings = settings
        self._policy = policy
        self._store = SummaryStore(settings)
        self._partners = PartnerRepository(settings)
        self._figures = SummaryFigures(settings)

    def run(self, now: datetime) -> SummaryReport:
        """Each schedule and email on its own: one that raises is counted and retried (or
        given up), and never stops the ones after it."""
        report = SummaryReport()
        for kind in summaries.KINDS:
            for schedule in self._store.due_schedules(kind, now):
                self._guarded(functools.partial(self._queue_or_retry, schedule, now, report), report)
        for mail in self._store.due_mails(now):
            self._guarded(functools.partial(self._deliver, mail, now, report), report)
        return report

    def deliver_now(self, partner_id: str, kind: str, period: str, now: datetime) -> SummaryReport:
        """Send one email just queued by the caller's own write (a withdrawal's), as a run
        would: claimed first, so it goes once whoever gets there first; a failure is recorded
        and retried by the job's runs, and never fails the caller."""
        report = SummaryReport()
        mail = self._store.mail(partner_id, kind, period)
        if mail is not None:
            self._guarded(functools.partial(self._deliver, mail, now, report), report)
        return report

    def _queue_or_retry(self, schedule: Schedule, now: datetime, report: SummaryReport) -> None:
        try:
            self._queue(schedule, now, report)
        except Exception as error:
            self._schedule_failed(schedule, error, now, report)

    @staticmethod
    def _guarded(step: Callable[[], None], report: SummaryReport) -> None:
        """A step that failed even to record its failure (DynamoDB, say): left due for the
        next run."""
        try:
            step()
        except Exception as error:
            report.errors += 1
            # Its type only: a message may quote what the item holds.
            logger.error("summary step not recorded", extra={"error_type": type(error).__name__})

    def _schedule_failed(
        self, schedule: Schedule, error: Exception, now: datetime, report: SummaryReport
    ) -> None:
        """This period's summary raised: tried again after the job's backoff, or given up
        (the period skipped) once its attempts are used."""
        retry_at = SCHEDULED_JOB_RETRY.next_attempt_at(schedule.attempts + 1, now)
        details = {
            "partner_id": schedule.partner_id,
            "summary": schedule.kind,
            "error_code": type(error).__name__,
        }
        reason = dead_letters.reason_of(error)
        if retry_at is not None:
            self._store.record_schedule_failure(schedule, reason, retry_at)
            report.retrying += 1
            logger.warning("summary could not be queued, will retry", extra=details)
            return
        period = summaries.latest_finished(schedule.kind, now)
        self._store.record_schedule_failure(
            schedule, reason, summaries.next_due_at(schedule.kind, now), period.name
        )
        report.failed += 1
        dead_letters.count_dead_letter()
        logger.error("summary given up", extra=details)

    def _queue(self, schedule: Schedule, now: datetime, report: SummaryReport) -> None:
        period = summaries.latest_finished(schedule.kind, now)
        next_due = summaries.next_due_at(schedule.kind, now)
        if schedule.kind == WEEKLY:
            figures = self._figures.weekly(schedule.partner_id, period, now)
        elif schedule.kind == MONTHLY:
            figures = self._figures.monthly(schedule.partner_id, period)
        else:
            figures = self._figures.notices(schedule.partner_id, period)
            if not figures["converted"] and not figures["bounced"]:
                self._store.skip(schedule, next_due)
                report.quiet += 1
                return
        if self._store.queue(schedule, period, next_due, figures):
            report.queued += 1
            logger.info("summary queued", extra={"partner_id": schedule.partner_id, "summary": schedule.kind})

    def _deliver(self, queued: SummaryMail, now: datetime, report: SummaryReport) -> None:
        mail = self._store.claim(queued, now)
        if mail is None:
            return  # another run holds it, or it is done
        partner = self._partners.get(mail.partner_id)
        opt_in = summaries.OPT_IN_OF.get(mail.kind)  # None: not a summary, always sent
        if partner is None or (opt_in is not None and not partner.opted_in(opt_in)):
            self._store.cancel(mail)  # opted out since it was queued
            report.cancelled += 1
            return
        try:
            message_id = self._send(partner, mail, now)
        except sender.SendFailed as failure:
            self._failed(mail, str(failure), now, report)
            return
        except Exception as error:  # a template or header the email library refuses: poison
            self._failed(mail, dead_letters.reason_of(error), now, report)
            return
        self._store.mark_sent(mail, message_id, now)
        report.sent += 1
        logger.info("summary sent", extra={"partner_id": mail.partner_id, "summary": mail.kind})

    def _send(self, partner: Partner, mail: SummaryMail, now: datetime) -> str:
        if mail.kind == withdrawal_mail.KIND:
            email = withdrawal_mail.render_withdrawal(partner, mail.figures, self._settings.site_url)
        else:
            secret = self._settings.keyed_hash_secret
            link = unsubscribe_links.url(self._settings.site_url, secret, partner.partner_id, mail.kind, now)
            email = render_summary(
                partner, mail.kind, mail.period, mail.figures, self._settings.site_url, link
            )
        # Summaries and withdrawals are about the partner's own account, as the sign-in link is.
        return sender.send(
            email,
            self._settings.accounts_sender_email,
            self._settings.home_region,
            configuration_set=self._settings.ses_configuration_set,
            tags={"summary": mail.kind},
        )

    def _failed(self, mail: SummaryMail, reason: str, now: datetime, report: SummaryReport) -> None:
        next_at = self._policy.next_attempt_at(mail.attempts + 1, now)
        self._store.record_failure(mail, reason, next_at)
        details = {
            "partner_id": mail.partner_id,
            "summary": mail.kind,
            "error_code": reason.partition(":")[0],
        }
        if next_at is None:
            report.failed += 1
            dead_letters.count_dead_letter()
            logger.error("summary given up", extra=details)
        else:
            report.retrying += 1
            logger.warning("summary send failed, will retry", extra=details)
