"""What `make bench` reports: each figure is a ratio measured side by side in one run, with
its target and whether it was met.

A module under `benchmarks/` contributes figures by decorating a function with `@figure`;
the function measures (baseline and drillbook in the same process or command) and returns a
`Figure`, or `None` when something it needs is missing (npm, ../shared), with the reason in
`skipped`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Figure:
    name: str  # "cold start: lint of the seed vs markdownlint-cli2"
    value: float  # the measured ratio (or count)
    target: float
    better: Literal["lower", "higher"]  # ≤ target passes, or ≥ target passes
    unit: str = "×"
    detail: str = ""  # the raw timings behind the ratio, for the closing note

    @property
    def passed(self) -> bool:
        return self.value <= self.target if self.better == "lower" else self.value >= self.target


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str


Measure = Callable[[], Figure | Skipped]


@dataclass
class Registry:
    measures: list[tuple[str, Measure]] = field(default_factory=list)

    def add(self, name: str, measure: Measure) -> Measure:
        self.measures.append((name, measure))
        return measure


REGISTRY = Registry()


def figure(name: str) -> Callable[[Measure], Measure]:
    """Register a measurement under `name` (the row `make bench --only` selects)."""

    def register(measure: Measure) -> Measure:
        return REGISTRY.add(name, measure)

    return register
