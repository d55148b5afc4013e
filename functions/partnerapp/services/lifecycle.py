"""The scheduled lifecycle job: remind of trials ending, expire ended trials, invoice partner
subscriptions as their cycles begin, and end closed subscriptions.

Every change is a versioned write of the license with its history (and, for a reminder, the
two emails in the outbox) in one transaction. Two runs that overlap both read the license,
but only the first write succeeds; the second reads again and finds nothing left to do. So
each reminder is sent exactly once, however often or concurrently the job runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aws_lambda_powertools import Logger

from partnerapp.domain import lifecycle
from partnerapp.domain.billing import due_invoices
from partnerapp.domain.licenses import License
from partnerapp.domain.management import Outcome
from partnerapp.services import dead_letters
from partnerapp.settings import Settings
from partnerapp.store.licenses import LicenseRepository, VersionConflict
from partnerapp.store.lifecycle_failures import LifecycleFailures
from partnerapp.store.partners import PartnerRepository
from partnerapp.store.schedule import LifecycleIndex

logger = Logger(child=True)

ATTEMPTS = 5


@dataclass
class LifecycleReport:
    reminded: int = 0
    expired: int = 0
    invoiced: int = 0
    unchanged: int = 0
    conflicts: int = 0
    retrying: int = 0  # licenses that raised: tried again after a backoff
    dead_lettered: int = 0  # licenses that raised on their last attempt: out of the index
    errors: int = 0  # failures that could not even be recorded: due again next run


class LifecycleJob:
    def __init__(self, settings: Settings) -> None:
        self._index = LifecycleIndex(settings)
        self._licenses = LicenseRepository(settings)
        # The partner's address for the reminder: the home region's partners table.
        self._partners = PartnerRepository(settings)
        self._failures = LifecycleFailures(settings)

    def run(self, now: datetime) -> LifecycleReport:
        report = LifecycleReport()
        for license_id in self._index.due(now):
            try:
                self.advance(license_id, now, report)
            except Exception as error:  # one license's fault never stops the others
                self._failed(license_id, error, now, report)
        return report

    def _failed(self, license_id: int, error: Exception, now: datetime, report: LifecycleReport) -> None:
        details = {"license_id": license_id, "error_type": type(error).__name__}
        try:
            dead = self._failures.record(license_id, dead_letters.reason_of(error), now)
        except Exception as failure:  # recording failed too (DynamoDB, say): due again next run
            report.errors += 1
            logger.error(
                "lifecycle failure not recorded", extra={**details, "record_error": type(failure).__name__}
            )
            return
        if dead:
            report.dead_lettered += 1
            dead_letters.count_dead_letter()
            logger.error("lifecycle dead-lettered a license", extra=details)
        elif dead is not None:
            report.retrying += 1
            logger.warning("lifecycle failed on a license, will retry", extra=details)

    def advance(self, license_id: int, now: datetime, report: LifecycleReport) -> None:
        """Do what is due on one license, reading it again after every write it loses."""
        for _ in range(ATTEMPTS):
            item = self._licenses.get(license_id)
            if item is None:
                return
            try:
                if self._invoice(item, now, report):
                    continue  # invoiced: read the new version, something else may be due
                outcome = self._step(item, now)
                if outcome is None:
                    report.unchanged += 1
                    return
                self._licenses.commit(item, outcome, now)
            except VersionConflict:
                continue
            self._count(outcome, report, license_id)
            return
        report.conflicts += 1
        logger.warning("lifecycle gave up on a busy license", extra={"license_id": license_id})

    def _invoice(self, item: License, now: datetime, report: LifecycleReport) -> bool:
        due_at = lifecycle.next_invoice_at(item)
        if due_at is None or due_at > now:
            return False
        issued = {i.number for i in self._licenses.invoices(item.license_id)}
        invoices = due_invoices(item, now, issued)
        if not invoices:
            return False
        self._licenses.issue_invoices(item, invoices)
        report.invoiced += len(invoices)
        return True

    def _step(self, item: License, now: datetime) -> Outcome | None:
        action = lifecycle.trial_action(item, now)
        if action == lifecycle.REMIND:
            partner = self._partners.get(item.partner_id)
            return lifecycle.remind(item, now, partner.contact_email if partner else None)
        if action == lifecycle.EXPIRE:
            return lifecycle.expire(item, now, item.trial_ends_at, lifecycle.TRIAL_ENDED)
        return lifecycle.subscription_step(item, now)

    @staticmethod
    def _count(outcome: Outcome, report: LifecycleReport, license_id: int) -> None:
        if outcome.license.status == "expired":
            report.expired += 1
            logger.info("license expired", extra={"license_id": license_id})
        else:
            report.reminded += 1
            logger.info("trial reminder queued", extra={"license_id": license_id})


def run_lifecycle(settings: Settings, now: datetime) -> dict[str, int]:
    """One run of the scheduled job: the licenses' steps, then the summaries partners opted
    into (`summaries_*` in the report)."""
    from dataclasses import asdict

    from partnerapp.services.summaries import SummaryJob

    report = asdict(LifecycleJob(settings).run(now))
    report.update({f"summaries_{k}": v for k, v in asdict(SummaryJob(settings).run(now)).items()})
    return report
