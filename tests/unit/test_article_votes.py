"""The rules of article feedback: what a vote changes, and the report's shares."""

from __future__ import annotations

from datetime import date

import pytest

from partnerapp.domain.article_votes import (
    CountedVote,
    CounterMove,
    DayCounts,
    WindowSummary,
    clean_comment,
    moves_for,
    summarize,
)

TODAY = date(2026, 3, 10)


def test_a_first_vote_adds_one_to_its_answer_today() -> None:
    assert moves_for(None, "yes", TODAY) == [CounterMove(TODAY, "yes", 1)]


def test_the_same_answer_again_changes_nothing() -> None:
    assert moves_for(CountedVote("no", date(2026, 3, 1)), "no", TODAY) == []


def test_a_changed_answer_moves_one_count_from_the_day_it_was_given() -> None:
    earlier = date(2026, 3, 1)
    assert moves_for(CountedVote("yes", earlier), "no", TODAY) == [
        CounterMove(earlier, "yes", -1),
        CounterMove(TODAY, "no", 1),
    ]


def test_only_yes_or_no_is_an_answer() -> None:
    with pytest.raises(ValueError, match="answer must be one of"):
        moves_for(None, "maybe", TODAY)


@pytest.mark.parametrize(
    ("yes", "no", "percent"), [(0, 0, None), (1, 0, 100), (2, 1, 67), (1, 2, 33), (1, 1, 50), (1, 7, 13)]
)
def test_the_share_helpful_is_rounded_half_up(yes: int, no: int, percent: int | None) -> None:
    assert WindowSummary(7, yes, no).helpful_percent == percent


def test_a_window_counts_its_days_today_included() -> None:
    counts = [DayCounts(date(2026, 3, 4), 5, 1), DayCounts(date(2026, 3, 3), 2, 2), DayCounts(TODAY, 1, 0)]
    assert summarize(counts, TODAY, 7) == WindowSummary(7, 6, 1)
    assert summarize(counts, TODAY, 30) == WindowSummary(30, 8, 3)


def test_a_comment_is_folded_onto_one_line() -> None:
    assert clean_comment("  two\r\nlines\t here ") == "two lines here"
