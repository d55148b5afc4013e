"""The figures of each summary, read when its period is over, from the same stores and domain
functions the API answers from (so a summary says what the API says):

- weekly: trials started and licenses converted in the week, trials ending within 7 days
  per day and product, and seats used on trial and paid licenses: all from the kept counts
  (store/tallies.py), as the licenses report and `GET /stats` read them;
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
from partnerapp.domain import tallies
from partnerapp.domain.earnings import LicenseTotals
from partnerapp.domain.feedback import INVITATION_BOUNCED
from partnerapp.domain.summaries import ENDING_SOON_DAYS, Period
from partnerapp.services.earnings import EarningsReader
from partnerapp.settings import Settings
from partnerapp.store.activity import Conversions
from partnerapp.store.licenses import LicenseRepository
from partnerapp.store.listing import LicenseListing, ListFilter
from partnerapp.store.tallies import TallyReader

SORT_KEY = "%Y%m%dT%H%M%S"


class SummaryFigures:
    def __init__(self, settings: Settings) -> None:
        self._listing = LicenseListing(settings)
        self._licenses = LicenseRepository(settings)
        self._conversions = Conversions(settings)
        self._earnings = EarningsReader(settings)
        self._tallies = TallyReader(settings)

    def weekly(self, partner_id: str, period: Period, now: datetime) -> dict[str, Any]:
        """From the kept counts alone: what a week costs does not grow with the partner."""
        last_second = period.end - timedelta(seconds=1)
        reached = self._tallies.per_day(partner_id, tallies.REACHED, period.start, last_second)
        horizon = now + timedelta(days=ENDING_SOON_DAYS) - timedelta(seconds=1)
        ending = self._tallies.per_day(partner_id, tallies.ENDS, now, horizon)
        by_day = [
            {"day": day.isoformat(), "product": product, "count": count}
            for (day, product, _), count in sorted(ending.items())
            if count
        ]
        return {
            "trials_started": sum(n for (_, _, status), n in reached.items() if status == "trial"),
            "conversions": sum(n for (_, _, status), n in reached.items() if status == "paid"),
            "seats_used": self._tallies.totals(partner_id)[tallies.SEATS],
            "trials_ending_total": sum(item["count"] for item in by_day),
            "trials_ending_by_day": by_day,
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
