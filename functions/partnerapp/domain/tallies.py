"""What each license adds to its partner's kept counts: the aggregates that counts, summaries
and reports read instead of every license.

A license contributes to three time families and to the totals:

- `C` (created): at its creation time, under its current status. "How many licenses created
  in this window are trials, paid, expired" (the Text API's license count).
- `R` (reached): when it reached each status: `trial` at creation, `paid` at conversion,
  `expired` at expiry. The licenses report and the summaries' "started" and "converted".
- `E` (ends): at its trial's end, while it is a trial. The weekly "trials ending".
- totals: per product and status, trials with a card, seats in use on live licenses, and
  the money to date (commission earned, discount saved).

A time family is kept at four levels so that any window to the second is a bounded handful
of items: a month item holds a count per day, a day item one per hour, an hour item one per
minute, a minute item one per second. A window's whole days come from month items, its
partial days' whole hours from (at most two) day items, and so on down to seconds.

A change moves the counts by the difference between what the license contributes after and
what it contributed before (`delta`): written in the change's own transaction, it can never
disagree with the licenses, and a repeated transaction moves it once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from partnerapp.domain.licenses import License

CREATED, REACHED, ENDS = "C", "R", "E"
FAMILIES = (CREATED, REACHED, ENDS)
TOTALS = "T"

# (level name, bucket period format, slot format, the slot's unit)
_MONTH = ("M", "%Y%m", "%d", timedelta(days=1))
_DAY = ("D", "%Y%m%d", "%H", timedelta(hours=1))
_HOUR = ("H", "%Y%m%d%H", "%M", timedelta(minutes=1))
_MINUTE = ("N", "%Y%m%d%H%M", "%S", timedelta(seconds=1))
LEVELS = (_MONTH, _DAY, _HOUR, _MINUTE)
MONTH_LEVEL = _MONTH[0]

# Totals' attributes besides `n#<product>#<status>`.
SEATS = "seats"  # seats in use on trial and paid licenses
COMMISSION = "commission_cents"
SAVINGS = "savings_cents"
LIVE_STATUSES = ("trial", "paid")

Bucket = str  # "<family>#<level>#<period>", or TOTALS
Counts = dict[Bucket, Counter[str]]


def count_name(product: str, status: str) -> str:
    return f"n#{product}#{status}"


def card_name(product: str) -> str:
    return f"cc#{product}"


def bucket_of(family: str, level: tuple[str, str, str, timedelta], moment: datetime) -> Bucket:
    return f"{family}#{level[0]}#{moment.strftime(level[1])}"


def slot_name(level: tuple[str, str, str, timedelta], moment: datetime, product: str, status: str) -> str:
    return f"{moment.strftime(level[2])}#{product}#{status}"


def _at_every_level(counts: Counts, family: str, moment: datetime, product: str, status: str) -> None:
    for level in LEVELS:
        counts[bucket_of(family, level, moment)][slot_name(level, moment, product, status)] += 1


def contributions(item: License | None) -> Counts:
    """Everything one license adds to its partner's counts (nothing, for no license)."""
    counts: Counts = defaultdict(Counter)
    if item is None:
        return counts
    _at_every_level(counts, CREATED, item.created_at, item.product, item.status)
    _at_every_level(counts, REACHED, item.created_at, item.product, "trial")
    if item.conversion_timestamp is not None:
        _at_every_level(counts, REACHED, item.conversion_timestamp, item.product, "paid")
    if item.expired_at is not None:
        _at_every_level(counts, REACHED, item.expired_at, item.product, "expired")
    if item.status == "trial":
        _at_every_level(counts, ENDS, item.trial_ends_at, item.product, "trial")
    totals = counts[TOTALS]
    totals[count_name(item.product, item.status)] += 1
    totals[card_name(item.product)] += int(item.status == "trial" and item.cc_added)
    totals[SEATS] += item.seats_used if item.status in LIVE_STATUSES else 0
    totals[COMMISSION] += item.total_earnings_cents
    totals[SAVINGS] += item.total_savings_cents
    return counts


def delta(before: License | None, after: License | None) -> Counts:
    """What a change from `before` to `after` moves, without the zeros (a change that moves
    nothing writes nothing)."""
    moved: Counts = defaultdict(Counter)
    old, new = contributions(before), contributions(after)
    for bucket in old.keys() | new.keys():
        for name in old[bucket].keys() | new[bucket].keys():
            change = new[bucket][name] - old[bucket][name]
            if change:
                moved[bucket][name] = change
    return dict(moved)


def add_up(items: list[License]) -> Counts:
    """The counts a set of licenses makes: what the kept counts must equal (a recount)."""
    total: Counts = defaultdict(Counter)
    for item in items:
        for bucket, names in contributions(item).items():
            total[bucket].update(names)
    return {bucket: Counter({k: v for k, v in names.items() if v}) for bucket, names in total.items()}


# --- reading a window ---------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """Slots `first`..`last` (both included, as slot texts) of one bucket at one level."""

    level: str
    period: str
    first: str
    last: str


@dataclass(frozen=True)
class Cover:
    """How to read a window: whole days from the month items from `first_month` to
    `last_month` (only `days`' slots), and the finer pieces at its edges."""

    first_month: str | None
    last_month: str | None
    days: tuple[date, date] | None  # first and last whole day, both included
    pieces: tuple[Piece, ...]


def _floor(moment: datetime, unit: timedelta) -> datetime:
    seconds = int((moment - datetime(2000, 1, 1, tzinfo=UTC)).total_seconds())
    step = int(unit.total_seconds())
    return datetime(2000, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds - seconds % step)


def _ceil(moment: datetime, unit: timedelta) -> datetime:
    floor = _floor(moment, unit)
    return floor if floor == moment else floor + unit


def cover(start: datetime, end: datetime) -> Cover:
    """The items and slots that hold exactly the seconds from `start` to `end` (included)."""
    stop = end.replace(microsecond=0) + timedelta(seconds=1)
    start = start.replace(microsecond=0)
    first_day, after_days = _ceil(start, _MONTH[3]), _floor(stop, _MONTH[3])
    pieces: list[Piece] = []
    if first_day > after_days:  # within one day
        _finer(start, stop, 1, pieces)
        return Cover(None, None, None, tuple(pieces))
    _finer(start, first_day, 1, pieces)
    _finer(after_days, stop, 1, pieces)
    if first_day == after_days:  # no whole day, only the two sides of one midnight
        return Cover(None, None, None, tuple(pieces))
    last_day = after_days - _MONTH[3]
    months = (first_day.strftime(_MONTH[1]), last_day.strftime(_MONTH[1]))
    return Cover(months[0], months[1], (first_day.date(), last_day.date()), tuple(pieces))


def _finer(start: datetime, stop: datetime, depth: int, pieces: list[Piece]) -> None:
    """Pieces at LEVELS[depth] and below for the seconds in [start, stop), which lie within
    one unit of the level above (so within one item of this level)."""
    if start >= stop:
        return
    name, period, slot, unit = LEVELS[depth]
    if depth == len(LEVELS) - 1:  # seconds: every slot is whole
        pieces.append(Piece(name, start.strftime(period), start.strftime(slot), (stop - unit).strftime(slot)))
        return
    whole_from, whole_to = _ceil(start, unit), _floor(stop, unit)
    if whole_from > whole_to:  # within one unit of this level
        _finer(start, stop, depth + 1, pieces)
        return
    if whole_from < whole_to:
        last = (whole_to - unit).strftime(slot)
        pieces.append(Piece(name, start.strftime(period), whole_from.strftime(slot), last))
    _finer(start, whole_from, depth + 1, pieces)
    _finer(whole_to, stop, depth + 1, pieces)


def day_of(period: str) -> date:
    """The day a bucket's period falls on (for day, hour and minute buckets)."""
    return datetime.strptime(period[:8], "%Y%m%d").replace(tzinfo=UTC).date()
