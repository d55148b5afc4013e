"""Article feedback: "Was this article helpful?" answered yes or no, counted per article and day.

Pure rules over plain data. A browser's vote on an article is remembered on the browser
only (a cookie holding the answer and the day it was counted), never with who sent it, so
a second vote changes the first instead of adding one: the count moves from the old
answer (on the day it was counted) to the new one (today).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

ANSWERS: tuple[str, ...] = ("yes", "no")
THANKS: dict[str, str] = {
    "yes": "Thank you! We're happy to help.",
    "no": "Got it! Thanks for your feedback.",
}
COMMENT_QUESTION = "What were you looking for?"
COMMENT_THANKS = "Thanks, we read every answer and use it to improve this article."
COMMENT_MAX_LENGTH = 500
REPORT_WINDOWS_DAYS: tuple[int, ...] = (7, 30)


@dataclass(frozen=True)
class Article:
    article_id: str
    path: str  # the page the article is at, where a vote without script returns to
    title: str


# The articles that ask for feedback; a vote for anything else is refused.
ARTICLES: dict[str, Article] = {
    a.article_id: a
    for a in (
        Article(
            "setting-up-licenses",
            "/guides/setting-up-licenses.html",
            "Setting up licenses for your customers",
        ),
        Article("payment-types", "/guides/payment-types.html", "Payment types compared"),
        Article(
            "managing-licenses",
            "/guides/managing-licenses.html",
            "Managing a license after you create it",
        ),
        Article("api-reference", "/reference/api.html", "Partner API reference"),
    )
}


@dataclass(frozen=True)
class CountedVote:
    """What a browser's cookie says it voted: the answer and the day it was counted on."""

    answer: str
    day: date


@dataclass(frozen=True)
class CounterMove:
    """Add `delta` to `answer`'s counter of `day` (one atomic ADD)."""

    day: date
    answer: str
    delta: int


def moves_for(previous: CountedVote | None, answer: str, today: date) -> list[CounterMove]:
    """The counter changes a vote makes: none for the same answer again, one for a first
    vote, and for a changed answer one count taken from the old answer and given to the new."""
    if answer not in ANSWERS:
        raise ValueError(f"answer must be one of {ANSWERS}")
    if previous is not None and previous.answer == answer:
        return []
    moves = [CounterMove(today, answer, 1)]
    if previous is not None:
        moves.insert(0, CounterMove(previous.day, previous.answer, -1))
    return moves


def clean_comment(text: str) -> str:
    """A comment as stored: trimmed, whitespace runs (newlines too) folded into one space."""
    return " ".join(text.split())


@dataclass(frozen=True)
class DayCounts:
    day: date
    yes: int
    no: int


@dataclass(frozen=True)
class WindowSummary:
    days: int
    yes: int
    no: int

    @property
    def helpful_percent(self) -> int | None:
        """The share of answers that were yes, rounded half up; None without answers."""
        total = self.yes + self.no
        if total == 0:
            return None
        return (200 * self.yes + total) // (2 * total)


def window_start(today: date, days: int) -> date:
    """The first day of a window of `days` days ending today (today included)."""
    return today - timedelta(days=days - 1)


def summarize(counts: list[DayCounts], today: date, days: int) -> WindowSummary:
    first = window_start(today, days)
    inside = [c for c in counts if first <= c.day <= today]
    # A count taken back from a day reads as at least zero (a changed vote never shows below).
    return WindowSummary(days, max(sum(c.yes for c in inside), 0), max(sum(c.no for c in inside), 0))
