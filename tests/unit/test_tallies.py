"""The kept counts' rules (domain/tallies.py): what a license contributes, what a change moves,
and that the items a window is read from hold exactly its seconds."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from partnerapp.domain import tallies
from partnerapp.domain.licenses import License

T0 = datetime(2026, 3, 10, 12, 30, 15, tzinfo=UTC)


def trial(**changes: object) -> License:
    item = License(
        license_id=1231,
        partner_id="p1",
        product="livechat",
        client_name="Acme Corporation",
        client_email="owner@acme.example",
        payment_origin="partner",
        data_center="us-south1",
        created_at=T0,
        trial_ends_at=T0 + timedelta(days=14),
    )
    return replace(item, **changes)  # type: ignore[arg-type]


def test_a_new_trial_counts_once_in_every_family_at_every_level_and_in_the_totals() -> None:
    moved = tallies.delta(None, trial())
    assert moved["C#M#202603"] == Counter({"10#livechat#trial": 1})
    assert moved["C#D#20260310"] == Counter({"12#livechat#trial": 1})
    assert moved["C#H#2026031012"] == Counter({"30#livechat#trial": 1})
    assert moved["C#N#202603101230"] == Counter({"15#livechat#trial": 1})
    assert moved["R#M#202603"] == Counter({"10#livechat#trial": 1})
    assert moved["E#M#202603"] == Counter({"24#livechat#trial": 1})  # its trial ends in 14 days
    assert moved["T"] == Counter({"n#livechat#trial": 1})
    assert len(moved) == 3 * 4 + 1


def test_a_conversion_moves_its_status_where_it_was_created_and_adds_a_paid_event_when_it_paid() -> None:
    converted_at = T0 + timedelta(days=3, hours=2)
    after = trial(status="paid", paid=True, conversion_timestamp=converted_at, seats_used=2, version=2)
    moved = tallies.delta(trial(seats_used=2), after)
    assert moved["C#M#202603"] == Counter({"10#livechat#trial": -1, "10#livechat#paid": 1})
    assert moved["R#M#202603"] == Counter({"13#livechat#paid": 1})
    assert moved["E#M#202603"] == Counter({"24#livechat#trial": -1})  # no longer a trial ending
    assert moved["T"] == Counter({"n#livechat#trial": -1, "n#livechat#paid": 1})  # seats stay in use


def test_an_expiry_takes_its_seats_out_of_use() -> None:
    before = trial(status="paid", conversion_timestamp=T0, seats_used=3)
    moved = tallies.delta(before, replace(before, status="expired", expired_at=T0 + timedelta(days=40)))
    assert moved["T"] == Counter({"n#livechat#paid": -1, "n#livechat#expired": 1, "seats": -3})
    assert moved["R#M#202604"] == Counter({"19#livechat#expired": 1})


def test_a_trial_extension_moves_only_its_end() -> None:
    moved = tallies.delta(trial(), trial(trial_ends_at=T0 + timedelta(days=20)))
    assert set(moved) == {f"E#{level}#{period}" for level, period in (
        ("M", "202603"), ("D", "20260324"), ("D", "20260330"), ("H", "2026032412"), ("H", "2026033012"),
        ("N", "202603241230"), ("N", "202603301230"),
    )}  # fmt: skip
    assert moved["E#M#202603"] == Counter({"24#livechat#trial": -1, "30#livechat#trial": 1})


def test_money_and_cards_are_totals() -> None:
    moved = tallies.delta(trial(), trial(cc_added=True, total_earnings_cents=250, total_savings_cents=99))
    assert moved == {"T": Counter({"cc#livechat": 1, "commission_cents": 250, "savings_cents": 99})}


def test_a_change_that_moves_nothing_writes_nothing() -> None:
    assert tallies.delta(trial(), trial(client_name="Acme Corp", version=5)) == {}


def _read(events: list[datetime], start: datetime, end: datetime) -> int:
    """Count `events` in [start, end] the way the store does: from each bucket's slots."""
    counts = tallies.add_up(
        [trial(license_id=n * 10 + 1, created_at=at, trial_ends_at=at) for n, at in enumerate(events)]
    )
    plan = tallies.cover(start, end)
    found = 0
    if plan.days is not None:
        first, last = plan.days
        for bucket, names in counts.items():
            family, level, period = [*bucket.split("#"), "", ""][:3]
            if family != tallies.CREATED or level != "M":
                continue
            for name, n in names.items():
                day = datetime.strptime(period + name.split("#")[0], "%Y%m%d").date()
                found += n if first <= day <= last else 0
    for piece in plan.pieces:
        names = counts.get(f"{tallies.CREATED}#{piece.level}#{piece.period}", Counter())
        found += sum(n for name, n in names.items() if piece.first <= name.split("#")[0] <= piece.last)
    return found


moments = st.datetimes(
    min_value=datetime(2025, 12, 25), max_value=datetime(2026, 2, 5), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0))


# Events near either end of the window, seconds, minutes, hours or days away: where a wrong
# edge would count one too many or too few.
offsets = st.one_of(
    st.integers(-90, 90), st.integers(-7_200, 7_200), st.integers(-200_000, 200_000), st.integers(-4e6, 4e6)
)


@settings(max_examples=400, deadline=None)
@given(
    bounds=st.tuples(moments, moments),
    near=st.lists(st.tuples(st.booleans(), offsets), max_size=40),
)
def test_the_items_of_any_window_hold_exactly_its_seconds(
    bounds: tuple[datetime, datetime], near: list[tuple[bool, int]]
) -> None:
    start, end = sorted(bounds)
    events = [(end if at_end else start) + timedelta(seconds=offset) for at_end, offset in near]
    assert _read(events, start, end) == sum(start <= at <= end for at in events)


def test_a_window_reads_a_bounded_handful_of_items_however_long() -> None:
    start, end = datetime(2024, 1, 1, 7, 3, 9, tzinfo=UTC), datetime(2026, 6, 30, 18, 41, 2, tzinfo=UTC)
    plan = tallies.cover(start, end)
    assert (plan.first_month, plan.last_month) == ("202401", "202606")
    assert len(plan.pieces) <= 6  # day, hour and minute items at each end
    year = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC))
    whole_days = tallies.cover(*year)
    assert whole_days.pieces == ()
