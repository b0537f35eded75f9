"""A histogram of a measure across Monte Carlo runs as an inline-SVG view-model: every
coordinate is computed here, the template only places things.

With a limit (a deadline, a cadence's longest allowed gap, `finishes_within`), one bin edge
falls exactly on it, the bins at or under it are drawn green and the ones over it red, and the
limit is a labelled line; the median and the 90th percentile are thin dashed lines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from compiler.durations import format_duration
from compiler.simulate.gantt import tick_step
from compiler.simulate.stats import Sample, histogram, percentile

WIDTH = 480.0
HEIGHT = 190.0
LEFT = 12.0
RIGHT = 12.0
TOP = 46.0  # room for the labels of the three lines
BOTTOM = 22.0  # room for the axis labels
BINS = 24


def _f(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class HistogramBar:
    x: str
    y: str
    width: str
    height: str
    css: str
    tip: str


@dataclass(frozen=True)
class Marker:
    x: str
    label: str
    label_y: str
    anchor: str
    css: str


@dataclass(frozen=True)
class AxisTick:
    x: str
    label: str


@dataclass(frozen=True)
class HistogramChart:
    ident: str
    title: str
    description: str
    width: str
    height: str
    baseline: str
    top: str
    bars: tuple[HistogramBar, ...]
    markers: tuple[Marker, ...]
    ticks: tuple[AxisTick, ...]


def histogram_chart(
    ident: str,
    title: str,
    values: Sequence[float] | Sample,
    limit: float | None,
    limit_label: str,
) -> HistogramChart | None:
    """The chart of `values` (sorted, or counted), or None when no run measured anything."""
    if not len(values):
        return None
    counted = None if isinstance(values, Sequence) else values
    smallest = values[0] if isinstance(values, Sequence) else values.minimum
    largest = values[-1] if isinstance(values, Sequence) else values.maximum
    low, width, bins = _bins(smallest, largest, limit)
    high = low + bins * width
    if counted is not None:
        counts = counted.histogram(bins, low, high, right_closed=True)
    else:
        assert isinstance(values, Sequence)
        counts = histogram(values, bins, low, high, right_closed=True)
    peak = max(b.count for b in counts)
    plot = WIDTH - LEFT - RIGHT
    scale = plot / (high - low)

    def x(seconds: float) -> float:
        return LEFT + (seconds - low) * scale

    floor = HEIGHT - BOTTOM
    tall = floor - TOP
    bars = []
    for bucket in counts:
        height = tall * bucket.count / peak
        left, right = x(bucket.low), x(bucket.high)
        over = limit is not None and bucket.high > limit + 1e-6
        css = "neutral" if limit is None else ("over" if over else "under")
        span = f"{format_duration(bucket.low)}–{format_duration(bucket.high)}"
        runs = f"{bucket.count} run{'s' if bucket.count != 1 else ''}"
        bars.append(
            HistogramBar(
                _f(left + 0.5),
                _f(floor - height),
                _f(max(right - left - 1, 0.5)),
                _f(height),
                css,
                f"{span}: {runs}",
            )
        )
    markers = []
    for rank, row in ((50, 1), (90, 2)):
        if counted is not None:
            at = counted.percentile(rank)
        else:
            assert isinstance(values, Sequence)
            at = percentile(list(values), rank)
        markers.append(_marker(x(at), f"p{rank} {format_duration(at)}", row, f"p{rank}"))
    if limit is not None:
        markers.append(_marker(x(limit), f"{limit_label} {format_duration(limit)}", 0, "limit"))
    step = tick_step(high - low, 5)
    first = math.ceil(low / step) * step
    ticks = [
        AxisTick(_f(x(first + n * step)), format_duration(first + n * step))
        for n in range(int((high - first) // step) + 1)
    ]
    return HistogramChart(
        ident=ident,
        title=title,
        description=(
            f"{len(values)} runs from {format_duration(smallest)} to "
            f"{format_duration(largest)}"
            + (f"; {limit_label} {format_duration(limit)}" if limit is not None else "")
        ),
        width=_f(WIDTH),
        height=_f(HEIGHT),
        baseline=_f(floor),
        top=_f(TOP - 4),
        bars=tuple(bars),
        markers=tuple(markers),
        ticks=tuple(ticks),
    )


def _bins(smallest: float, largest: float, limit: float | None) -> tuple[float, float, int]:
    """Where the bins start, their width and how many: from the smallest value (or the limit)
    to the largest (or the limit), with one edge exactly on the limit."""
    low = min(smallest, limit) if limit is not None else smallest
    high = max(largest, limit) if limit is not None else largest
    if high == low:  # every run took the same time: a narrow bar in the middle of the axis
        margin = max(60.0, low * 0.05)
        low, high = low - margin, high + margin
    width = (high - low) / BINS
    if limit is None:
        return low, width, BINS
    low = limit - math.ceil(round((limit - low) / width, 9)) * width
    return low, width, max(1, math.ceil(round((high - low) / width, 9)))


def _marker(x: float, label: str, row: int, css: str) -> Marker:
    # Labels left of the middle read to the right of their line, the others to the left.
    right_side = x < WIDTH * 0.6
    return Marker(
        _f(x),
        label,
        _f(12 + 13 * row),
        "start" if right_side else "end",
        css,
    )
