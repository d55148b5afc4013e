"""Record what SES reported about a recipient: suppress the address in its data region and
show the invitation as bounced or complained on its license."""

from __future__ import annotations

from datetime import datetime

from aws_lambda_powertools import Logger

from partnerapp import catalog
from partnerapp.domain.feedback import RecipientFeedback
from partnerapp.settings import Settings
from partnerapp.store.outbox import Outbox
from partnerapp.store.suppressions import SuppressionList

logger = Logger(child=True)


class FeedbackRecorder:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._outbox = Outbox(settings)
        self._suppressions = SuppressionList(settings)

    def record(self, feedback: RecipientFeedback, aws_region: str, now: datetime) -> bool:
        """Apply one SES event that came from `aws_region`; False if that region is not ours.

        The event's region is where the email was sent from, so it names the data region
        whose table keeps the suppression: the address never leaves it.
        """
        center = self._settings.data_center_in(aws_region)
        if center is None:
            logger.error(
                "SES event from a region this function does not serve", extra={"aws_region": aws_region}
            )
            return False
        for address in feedback.recipients:
            self._suppressions.add(center, address, feedback.outcome, now)
        marked = self._mark_invitation(feedback, center, now)
        # Counts and ids only: the addresses are personal data.
        logger.info(
            "recipient feedback recorded",
            extra={
                "outcome": feedback.outcome,
                "recipients": len(feedback.recipients),
                "license_id": feedback.license_id,
                "seq": feedback.seq,
                "invitation_marked": marked,
            },
        )
        return True

    def _mark_invitation(self, feedback: RecipientFeedback, center: str, now: datetime) -> bool:
        if feedback.license_id is None or feedback.seq is None:
            return False  # not an invitation (a sign-in link, say): the suppression is all
        license_center = catalog.data_center_of_license(feedback.license_id)
        if license_center is None or license_center.code != center:
            logger.warning(
                "SES event names a license of another region", extra={"license_id": feedback.license_id}
            )
            return False
        return self._outbox.record_feedback(feedback.license_id, feedback.seq, feedback.outcome, now)
