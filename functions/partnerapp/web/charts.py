"""Bar charts per month as plain geometry, drawn by `_bar_chart.html.j2` into inline SVG: the
pages need no script and no chart library, and the CSP (no inline style) holds."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 720, 280
# A phone's drawing: about as many units as the screen has pixels, so its 11-unit labels stay
# near 11 px (the wide one, scaled down to a phone, shows them at 5 px). The page shows one.
NARROW_WIDTH = 320
LABEL_ROOM = 50  # units a month label needs ("Mar 25" and a gap)
LEFT, RIGHT, TOP, BOTTOM = 72, 8, 12, 32  # room for the axis labels
GRIDLINES = 4
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def nice_ceiling(value: int, minimum: int = 1) -> int:
    """The smallest of 1, 2 or 5 times a power of ten that is at least `value` (and `minimum`)."""
    wanted = max(value, minimum)
    power = int(10 ** math.floor(math.log10(wanted)))
    for step in (1, 2, 5, 10):
        if step * power >= wanted:
            return step * power
    return 10 * power


def count_ceiling(value: int) -> int:
    """An axis top for counts whose every gridline falls on a whole number."""
    return GRIDLINES * nice_ceiling(math.ceil(value / GRIDLINES))


def month_label(month: str) -> str:
    """`2025-03` -> `Mar 25`."""
    year, number = month.split("-")
    return f"{MONTH_NAMES[int(number) - 1]} {year[2:]}"


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class Column:
    label: str | None  # under the column (every few months when there are many)
    label_x: float
    title: str  # the tooltip and the accessible text
    rects: tuple[Rect, ...]


@dataclass(frozen=True)
class Gridline:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    baseline: int
    label_y: int
    columns: tuple[Column, ...]
    grid: tuple[Gridline, ...]


def bar_chart(
    months: dict[str, Sequence[int]],
    series: Sequence[Series],
    *,
    top: int,
    axis_label: Callable[[int], str],
    title: Callable[[str, Sequence[int]], str],
    stacked: bool,
    width: int = WIDTH,
) -> Chart:
    """One column per month with a bar per series, side by side or stacked (first at the
    bottom), scaled so that `top` reaches the top of the plot."""
    plot_width, plot_height = width - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    band = plot_width / max(len(months), 1)
    label_every = math.ceil(len(months) / max(plot_width // LABEL_ROOM, 1))

    def height(value: int) -> float:
        return round(plot_height * value / top, 2)

    columns = []
    for index, (month, values) in enumerate(months.items()):
        start = LEFT + index * band
        if stacked:
            rects, floor = [], float(baseline)
            for one, value in zip(series, values, strict=True):
                tall = height(value)
                floor = round(floor - tall, 2)
                rects.append(
                    Rect(round(start + band * 0.2, 2), floor, round(band * 0.6, 2), tall, one.colour)
                )
        else:
            bar_width = band * 0.7 / len(series)
            rects = [
                Rect(
                    round(start + band * 0.15 + n * bar_width, 2),
                    round(baseline - height(value), 2),
                    round(bar_width, 2),
                    height(value),
                    one.colour,
                )
                for n, (one, value) in enumerate(zip(series, values, strict=True))
            ]
        columns.append(
            Column(
                label=month_label(month) if index % label_every == 0 else None,
                label_x=round(start + band / 2, 2),
                title=title(month, values),
                rects=tuple(rects),
            )
        )
    grid = tuple(
        Gridline(round(baseline - plot_height * n / GRIDLINES, 2), axis_label(top * n // GRIDLINES))
        for n in range(GRIDLINES + 1)
    )
    return Chart(width, HEIGHT, LEFT, width - RIGHT, baseline, HEIGHT - 10, tuple(columns), grid)
