"""The figures of each summary, read when its period is over, from the same stores and domain
functions the API answers from (so a summary says what the API says):

- weekly: licenses created in the week (every license starts as a trial: the listing with
  `date_from`/`date_to`), trials ending within 7 days (`GET .../licenses/trial`), licenses
  converted in the week (the `conversions` index) and seats used (the `seats` of the trial
  and paid licenses);
- monthly: the month's commission and savings per product, from the earnings report of
  `GET /v2/partners/earnings` and `/web/earnings`;
- notifications: licenses converted in the hour, and invitations SES reported bounced in the
  hour on trials created within the invitation link's lifetime (when invitations go out).

Only ids, products, times and sums: no customer's name or address leaves its data region.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from partnerapp import catalog
from partnerapp.domain.earnings import LicenseTotals
from partnerapp.domain.feedback import INVITATION_BOUNCED
from partnerapp.domain.summaries import ENDING_SOON_DAYS, Period
from partnerapp.domain.timestamps import to_wire
from partnerapp.services.earnings import EarningsReader
from partnerapp.settings import Settings
from partnerapp.store.activity import Conversions
from partnerapp.store.licenses import LicenseRepository
from partnerapp.store.listing import LicenseListing, ListFilter

SORT_KEY = "%Y%m%dT%H%M%S"


class SummaryFigures:
    def __init__(self, settings: Settings) -> None:
        self._listing = LicenseListing(settings)
        self._licenses = LicenseRepository(settings)
        self._conversions = Conversions(settings)
        self._earnings = EarningsReader(settings)

    def weekly(self, partner_id: str, period: Period, now: datetime) -> dict[str, Any]:
        started = ListFilter(
            partner_id,
            created_from=period.start.strftime(SORT_KEY),
            created_to=(period.end - timedelta(seconds=1)).strftime(SORT_KEY),
        )
        trials = list(self._listing.all(ListFilter(partner_id, status="trial")))
        paid = list(self._listing.all(ListFilter(partner_id, status="paid")))
        horizon = now + timedelta(days=ENDING_SOON_DAYS)
        ending = sorted(
            (t for t in trials if now <= t.trial_ends_at < horizon), key=lambda t: t.trial_ends_at
        )
        return {
            "trials_started": sum(1 for _ in self._listing.all(started)),
            "trials_ending": [
                {"license_id": t.license_id, "product": t.product, "trial_ends_at": to_wire(t.trial_ends_at)}
                for t in ending
            ],
            "conversions": len(self._conversions.between(partner_id, period.start, period.end)),
            "seats_used": sum(item.seats for item in trials + paid),
        }

    def monthly(self, partner_id: str, period: Period) -> dict[str, Any]:
        last_day = (period.end - timedelta(days=1)).date()
        report = self._earnings.report(partner_id, period.start.date(), last_day)
        return {
            "products": _per_product(report.licenses),
            "commission_cents": report.totals.commission_cents,
            "savings_cents": report.totals.savings_cents,
            "total_cents": report.totals.total_cents,
        }

    def notices(self, partner_id: str, period: Period) -> dict[str, Any]:
        converted = []
        for license_id in self._conversions.between(partner_id, period.start, period.end):
            item = self._licenses.get(license_id)
            if item is not None:
                converted.append({"license_id": license_id, "product": item.product})
        return {"converted": converted, "bounced": self._bounced(partner_id, period)}

    def _bounced(self, partner_id: str, period: Period) -> list[dict[str, Any]]:
        since = (period.start - timedelta(days=catalog.INVITATION_LINK_DAYS)).strftime(SORT_KEY)
        bounced = []
        for summary in self._listing.all(ListFilter(partner_id, status="trial", created_from=since)):
            item = self._licenses.get(summary.license_id)
            for invitation in item.invitations if item else ():
                at = invitation.feedback_at
                if (
                    invitation.status == INVITATION_BOUNCED
                    and at is not None
                    and period.start <= at < period.end
                ):
                    bounced.append(
                        {
                            "license_id": summary.license_id,
                            "product": summary.product,
                            "role": invitation.role,
                        }
                    )
        return bounced


def _per_product(licenses: list[LicenseTotals]) -> dict[str, dict[str, int]]:
    sums: dict[str, dict[str, int]] = defaultdict(lambda: {"commission_cents": 0, "savings_cents": 0})
    for row in licenses:
        sums[row.product]["commission_cents"] += row.totals.commission_cents
        sums[row.product]["savings_cents"] += row.totals.savings_cents
    return {product: sums[product] for product in catalog.PRODUCTS if product in sums}
