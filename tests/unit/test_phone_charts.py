"""The charts' phone drawing (charts.NARROW_WIDTH): the same bars and titles as the wide one,
in a drawing about as wide as a phone, with no two month labels closer than a label's room."""

from __future__ import annotations

from itertools import pairwise

from partnerapp.web import charts, trials_chart


def _months(count: int) -> list[trials_chart.Month]:
    names = [f"{2025 + n // 12}-{n % 12 + 1:02d}" for n in range(count)]
    return [trials_chart.Month(name, trials=n, conversions=n // 2) for n, name in enumerate(names)]


def test_the_phone_drawing_has_the_wide_ones_bars_and_fewer_labels_spaced_apart() -> None:
    rows = _months(12)
    wide, narrow = trials_chart.chart(rows), trials_chart.chart(rows, charts.NARROW_WIDTH)
    assert (wide.width, narrow.width) == (charts.WIDTH, charts.NARROW_WIDTH)
    assert [c.title for c in narrow.columns] == [c.title for c in wide.columns]
    assert [g.label for g in narrow.grid] == [g.label for g in wide.grid]
    assert all(c.label for c in wide.columns)  # every month has room on the wide one
    labelled = [c.label_x for c in narrow.columns if c.label]
    assert 1 < len(labelled) < len(rows)
    assert all(b - a >= charts.LABEL_ROOM for a, b in pairwise(labelled))
    assert all(r.x + r.width <= narrow.right for c in narrow.columns for r in c.rects)
