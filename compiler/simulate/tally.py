"""A bounded-memory multiset of times for the batch Monte Carlo engine: counts of whole
milliseconds in a dense array, merged chunk by chunk.

Every duration is drawn to the millisecond, so a run's times are whole milliseconds and,
while the spread of a measure (largest − smallest) is under 2²² ms (about 70 minutes), the
counts are exact: percentiles, histograms and means are the ones the sorted list of every
value would give. A wider spread doubles the width of the bins (2, 4, 8 … ms) until it fits
in 2²² bins; a percentile is then the lower edge of its bin, at most one bin width under the
exact value (a spread of a day: 32 ms). Minimum, maximum and mean stay exact. The width
depends only on the smallest and the largest value, never on how runs were split in chunks.
At most 2²² counts of 4 bytes: 16 MB per measure, whatever the number of runs.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from compiler.simulate.stats import PERCENTILES, Bin, Spread, histogram_edges

LIMIT = 1 << 22


class Counts:
    def __init__(self) -> None:
        self.shift = 0  # bin width is 2**shift ms
        self.origin = 0  # the bin index of counts[0]
        self.counts: npt.NDArray[np.int32] = np.zeros(0, np.int32)
        self.n = 0
        self.total_ms = 0
        self.min_ms = 0
        self.max_ms = 0

    def __len__(self) -> int:
        return self.n

    def add(self, ms: npt.NDArray[np.int64]) -> None:
        if ms.size == 0:
            return
        low, high = int(ms.min()), int(ms.max())
        if self.n == 0:
            self.min_ms, self.max_ms = low, high
        else:
            self.min_ms, self.max_ms = min(self.min_ms, low), max(self.max_ms, high)
        self.n += int(ms.size)
        self.total_ms += int(ms.sum(dtype=np.int64))
        shift = self.shift
        while (self.max_ms >> shift) - (self.min_ms >> shift) + 1 > LIMIT:
            shift += 1
        first, last = self.min_ms >> shift, self.max_ms >> shift
        end = self.origin + self.counts.size
        if shift != self.shift or first < self.origin or last >= end:
            self._regrid(shift, first, last)
        # Distinct bins of the chunk (at most its size), not a count array of the whole range.
        bins, counts = np.unique(ms >> shift, return_counts=True)
        self.counts[bins - self.origin] += counts.astype(np.int32)

    def _regrid(self, shift: int, first: int, last: int) -> None:
        """Bins of width 2**shift ms from bin `first` to `last`, the counts so far kept."""
        grown = np.zeros(last - first + 1, np.int32)
        if self.counts.size and shift == self.shift:
            offset = self.origin - first
            grown[offset : offset + self.counts.size] = self.counts
        elif self.counts.size:  # wider bins: fold the old ones in
            old = np.arange(self.counts.size, dtype=np.int64) + self.origin
            np.add.at(grown, (old >> (shift - self.shift)) - first, self.counts)
        self.shift, self.origin, self.counts = shift, first, grown

    @property
    def minimum(self) -> float:
        return self.min_ms / 1000

    @property
    def maximum(self) -> float:
        return self.max_ms / 1000

    def _present(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
        """The value (lower edge, seconds) of every bin holding runs, and its count."""
        where = np.flatnonzero(self.counts)
        values = ((where + self.origin) << self.shift).astype(np.float64) / 1000
        if self.shift == 0:
            return values, self.counts[where].astype(np.int64)
        # The bins holding the minimum and the maximum show them exactly.
        values[0], values[-1] = self.minimum, self.maximum
        return values, self.counts[where].astype(np.int64)

    def percentile(self, rank: int) -> float:
        """Nearest rank, as `stats.percentile` on the sorted values."""
        index = max(0, math.ceil(rank / 100 * self.n) - 1)
        if index == 0:
            return self.minimum
        if index == self.n - 1:
            return self.maximum
        cumulative = np.cumsum(self.counts, dtype=np.int64)
        position = int(np.searchsorted(cumulative, index, side="right"))
        return ((position + self.origin) << self.shift) / 1000

    def spread(self) -> Spread | None:
        if self.n == 0:
            return None
        return Spread(
            count=self.n,
            percentiles=tuple((rank, self.percentile(rank)) for rank in PERCENTILES),
            minimum=self.minimum,
            maximum=self.maximum,
            mean=round(self.total_ms / self.n / 1000, 3),
        )

    def histogram(
        self,
        bins: int,
        low: float | None = None,
        high: float | None = None,
        right_closed: bool = False,
    ) -> list[Bin]:
        """What `stats.histogram` gives for the values counted here."""
        if self.n == 0:
            return []
        low = self.minimum if low is None else low
        high = self.maximum if high is None else high
        if low == high:
            return [Bin(low, high, self.n)]
        width = (high - low) / bins
        values, counts = self._present()
        position = np.round((values - low) / width, 9)
        slots = np.ceil(position) - 1 if right_closed else np.trunc(position)
        slots = np.clip(slots, 0, bins - 1).astype(np.int64)
        totals = np.bincount(slots, weights=counts, minlength=bins)
        return histogram_edges(low, width, [int(t) for t in totals])
