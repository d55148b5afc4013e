"""Trials started and trials converted per month, for the licenses page: counted by the store
from the licenses' creation and conversion times (`store/trials.py`, over these months only)
and drawn as side-by-side bars."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from partnerapp.web import charts

MONTHS_SHOWN = 12
SERIES = (charts.Series("trials started", "#1a5fb4"), charts.Series("conversions", "#26734d"))


@dataclass(frozen=True)
class Month:
    month: str  # YYYY-MM
    trials: int
    conversions: int


def last_months(today: date, count: int = MONTHS_SHOWN) -> list[str]:
    """`count` months up to and including today's, oldest first, as YYYY-MM."""
    index = today.year * 12 + today.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def tally(trials: Mapping[str, int], conversions: Mapping[str, int], months: Sequence[str]) -> list[Month]:
    """Each month's trials (every license starts as one) and conversions (in the month they
    happened, whenever the trial started), from counts by YYYY-MM; a month without any is 0."""
    return [Month(m, trials.get(m, 0), conversions.get(m, 0)) for m in months]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def describe(month: str, values: Sequence[int]) -> str:
    return f"{month}: {_plural(values[0], 'trial')} started, {_plural(values[1], 'conversion')}"


def chart(rows: Sequence[Month], width: int = charts.WIDTH) -> charts.Chart:
    top = charts.count_ceiling(max((max(r.trials, r.conversions) for r in rows), default=0))
    return charts.bar_chart(
        {r.month: (r.trials, r.conversions) for r in rows},
        SERIES,
        top=top,
        axis_label=str,
        title=describe,
        stacked=False,
        width=width,
    )
