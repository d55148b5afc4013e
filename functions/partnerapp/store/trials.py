"""Trials started and conversions per month, for the chart on a partner's licenses page: the
kept counts of when licenses reached `trial` (their creation) and `paid` (their conversion),
read over the months asked for (store/tallies.py). What is read is bounded by those months,
never by the partner's total, and only counts leave the region."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from partnerapp.domain import tallies
from partnerapp.domain.management import add_months
from partnerapp.settings import Settings
from partnerapp.store.tallies import TallyReader


@dataclass(frozen=True)
class MonthlyCounts:
    trials: Counter[str]  # by YYYY-MM: licenses created (every license starts as a trial)
    conversions: Counter[str]  # by YYYY-MM: licenses converted, whenever their trial started


class TrialCounts:
    def __init__(self, settings: Settings) -> None:
        self._tallies = TallyReader(settings)

    def per_month(self, partner_id: str, first: str, last: str) -> MonthlyCounts:
        """The partner's counts from month `first` to month `last` (YYYY-MM, both included)."""
        start = datetime.strptime(first, "%Y-%m").replace(tzinfo=UTC)
        end = add_months(datetime.strptime(last, "%Y-%m").replace(tzinfo=UTC), 1) - timedelta(seconds=1)
        counts = MonthlyCounts(Counter(), Counter())
        for (day, _, status), count in self._tallies.per_day(partner_id, tallies.REACHED, start, end).items():
            if status == "trial":
                counts.trials[day.strftime("%Y-%m")] += count
            elif status == "paid":
                counts.conversions[day.strftime("%Y-%m")] += count
        return counts
