"""How long a step takes: a fixed duration, a triangular `{min, mode, max}` or a `{p50, p90}`
estimate (a log-normal with that median and 90th percentile).

A scenario may write any of them wherever a duration is expected; Monte Carlo runs draw from
them with the run's own `random.Random`, and every draw is rounded to the millisecond so that
output never depends on how a float happens to print.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any, Literal

from compiler.durations import DurationError, format_duration, parse_duration

#: z-score of the 90th percentile of a standard normal distribution.
_Z90 = 1.2815515655446004

DistributionKind = Literal["fixed", "triangular", "quantiles"]


@dataclass(frozen=True)
class Duration:
    """A duration or a distribution of durations, in seconds."""

    kind: DistributionKind
    low: float
    mode: float = 0.0
    high: float = 0.0

    @classmethod
    def fixed(cls, seconds: float) -> Duration:
        return cls("fixed", seconds, seconds, seconds)

    @property
    def is_random(self) -> bool:
        return self.kind != "fixed" and self.low != self.high

    def sample(self, rng: random.Random) -> float:
        if not self.is_random:
            return self.low
        if self.kind == "triangular":
            value = rng.triangular(self.low, self.high, self.mode)
        else:  # quantiles: `low` is p50, `high` is p90
            sigma = math.log(self.high / self.low) / _Z90
            value = rng.lognormvariate(math.log(self.low), sigma)
        return round(value, 3)

    def describe(self) -> str:
        if self.kind == "fixed":
            return format_duration(self.low)
        if self.kind == "triangular":
            return (
                f"{format_duration(self.low)}–{format_duration(self.high)}, "
                f"most likely {format_duration(self.mode)}"
            )
        return f"p50 {format_duration(self.low)}, p90 {format_duration(self.high)}"

    def to_plain(self) -> Any:
        """The form a scenario file would use for this duration."""
        if self.kind == "fixed":
            return format_duration(self.low) if self.low == round(self.low) else self.low
        if self.kind == "triangular":
            return {
                "min": format_duration(self.low),
                "mode": format_duration(self.mode),
                "max": format_duration(self.high),
            }
        return {"p50": format_duration(self.low), "p90": format_duration(self.high)}


def read_duration(value: Any) -> Duration:
    """A Duration from what a scenario wrote; ValueError with a message a person can act on."""
    if isinstance(value, dict):
        return _read_distribution(value)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(
            f"{value!r} is not a duration (write e.g. 90s, 5m, 1h30m, a number of seconds, "
            "{min, mode, max} or {p50, p90})"
        )
    return Duration.fixed(_seconds(value))


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{value!r} is not a duration (write e.g. 90s, 5m or 1h30m)")
    try:
        seconds = parse_duration(value)
    except DurationError as exc:
        raise ValueError(str(exc)) from None
    if not math.isfinite(seconds) or seconds > 366 * 86400:
        raise ValueError(f"{value!r} is not a usable duration (at most a year)")
    return round(seconds, 3)


def _read_distribution(value: dict[str, Any]) -> Duration:
    keys = set(value)
    if keys == {"min", "mode", "max"}:
        low, mode, high = (_seconds(value[k]) for k in ("min", "mode", "max"))
        if not low <= mode <= high:
            raise ValueError("a triangular duration needs min ≤ mode ≤ max")
        return Duration("triangular", low, mode, high)
    if keys == {"p50", "p90"}:
        p50, p90 = _seconds(value["p50"]), _seconds(value["p90"])
        if p50 > p90:
            raise ValueError("p50 must not be longer than p90")
        if p50 == 0:
            raise ValueError("p50 must be longer than zero")
        return Duration("quantiles", p50, p50, p90)
    raise ValueError(
        f"a distribution has the keys {{min, mode, max}} or {{p50, p90}}, not "
        f"{{{', '.join(sorted(keys))}}}"
    )
