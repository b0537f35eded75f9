"""Summaries of a measure across Monte Carlo runs: nearest-rank percentiles (so every figure is
a time some run actually took), minimum, maximum, mean, and histograms."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

PERCENTILES = (50, 90, 95, 99)
HISTOGRAM_BINS = 12


@dataclass(frozen=True)
class Spread:
    """Percentiles, minimum, maximum and mean of a measure (None: no run measured it)."""

    count: int
    percentiles: tuple[tuple[int, float], ...]
    minimum: float
    maximum: float
    mean: float

    def at(self, rank: int) -> float:
        return dict(self.percentiles)[rank]


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int


class Sample(Protocol):
    """Many runs' values of a measure kept as counts (the batch engine's `tally.Counts`),
    answering what a sorted list of them would."""

    def __len__(self) -> int: ...

    @property
    def minimum(self) -> float: ...

    @property
    def maximum(self) -> float: ...

    def percentile(self, rank: int) -> float: ...

    def histogram(
        self,
        bins: int,
        low: float | None = None,
        high: float | None = None,
        right_closed: bool = False,
    ) -> list[Bin]: ...


def percentile(ordered: list[float], rank: int) -> float:
    """Nearest-rank percentile of sorted values."""
    index = max(0, math.ceil(rank / 100 * len(ordered)) - 1)
    return ordered[index]


def spread(values: list[float]) -> Spread | None:
    if not values:
        return None
    ordered = sorted(values)
    return Spread(
        count=len(ordered),
        percentiles=tuple((rank, percentile(ordered, rank)) for rank in PERCENTILES),
        minimum=ordered[0],
        maximum=ordered[-1],
        mean=round(math.fsum(ordered) / len(ordered), 3),
    )


def histogram(
    values: Sequence[float],
    bins: int = HISTOGRAM_BINS,
    low: float | None = None,
    high: float | None = None,
    right_closed: bool = False,
) -> list[Bin]:
    """Counts of `values` in `bins` equal bins from `low` to `high` (default: their range).

    `right_closed` puts a value on an edge into the bin below it, so that with an edge at a
    deadline, a run that finished exactly on time is counted among the runs that met it.
    """
    if not values:
        return []
    low = min(values) if low is None else low
    high = max(values) if high is None else high
    if low == high:
        return [Bin(low, high, len(values))]
    width = (high - low) / bins
    counts = [0] * bins
    for value in values:
        # Rounding keeps a value on an edge on that edge despite float error.
        position = round((value - low) / width, 9)
        slot = math.ceil(position) - 1 if right_closed else int(position)
        counts[max(0, min(bins - 1, slot))] += 1
    return histogram_edges(low, width, counts)


def histogram_edges(low: float, width: float, counts: list[int]) -> list[Bin]:
    """Bins of `width` from `low` holding `counts`, their edges to the millisecond."""
    return [
        Bin(round(low + i * width, 3), round(low + (i + 1) * width, 3), count)
        for i, count in enumerate(counts)
    ]
