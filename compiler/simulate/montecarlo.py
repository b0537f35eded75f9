"""Monte Carlo: the same plan run N times with fresh draws from one `random.Random(seed)`.

Reports percentiles (nearest rank, so every figure is a time some run actually took) of the
total and of each SLO's measure, the share of runs in which each SLO holds, a histogram of
totals, and how often each step is on the critical path. Run 1 draws exactly what a single
`drillbook simulate --seed K` run draws.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field

from compiler.simulate.bind import Plan
from compiler.simulate.result import RunResult
from compiler.simulate.runner import run_plan
from compiler.simulate.verdicts import judge_run

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


@dataclass(frozen=True)
class SloSummary:
    name: str
    kind: str
    limit_s: float
    met: int
    measure: Spread | None


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int


@dataclass
class MonteCarlo:
    plan: Plan
    runs: int
    seed: int
    statuses: dict[str, int]
    total: Spread | None
    histogram: list[Bin]
    slos: list[SloSummary]
    critical: list[tuple[str, int]]
    expectations: list[tuple[str, str, int]]  # name, what was expected, runs it held in
    paths: list[tuple[tuple[str, ...], int]]
    passed: int
    first: RunResult
    notes: list[str] = field(default_factory=list)

    @property
    def all_passed(self) -> bool:
        return self.passed == self.runs


def monte_carlo(plan: Plan, runs: int, seed: int) -> MonteCarlo:
    if runs < 1:
        raise ValueError("runs must be at least 1")
    rng = random.Random(seed)
    totals: list[float] = []
    statuses: Counter[str] = Counter()
    critical: Counter[str] = Counter()
    paths: Counter[tuple[str, ...]] = Counter()
    held: Counter[str] = Counter()
    slo_met: Counter[str] = Counter()
    slo_values: dict[str, list[float]] = {slo.name: [] for slo in plan.slos}
    passed = 0
    first: RunResult | None = None
    for _ in range(runs):
        result = judge_run(run_plan(plan, rng))
        result.seed = seed
        if first is None:
            first = result
        statuses[result.status] += 1
        if result.status == "completed":
            totals.append(result.total_s)
        for step_id in {key.split("#", 1)[0] for key in result.critical}:
            critical[step_id] += 1
        paths[tuple(result.path)] += 1
        for check in result.expectations:
            held[check.name] += check.held
        for verdict in result.slos:
            slo_met[verdict.name] += verdict.status == "met"
            if verdict.actual_s is not None:
                slo_values[verdict.name].append(verdict.actual_s)
        passed += result.passed
    assert first is not None
    slos = [
        SloSummary(slo.name, slo.kind, slo.limit_s, slo_met[slo.name], spread(slo_values[slo.name]))
        for slo in plan.slos
    ]
    kinds = {a.id: a.kind for a in first.activities}
    ranked_critical = sorted(
        ((step, count) for step, count in critical.items() if kinds.get(step, "step") == "step"),
        key=lambda item: (-item[1], plan.index.step_order.get(item[0], 0), item[0]),
    )
    return MonteCarlo(
        plan=plan,
        runs=runs,
        seed=seed,
        statuses=dict(sorted(statuses.items())),
        total=spread(totals),
        histogram=histogram(totals),
        slos=slos,
        critical=ranked_critical,
        expectations=[(c.name, c.expected, held[c.name]) for c in first.expectations],
        paths=sorted(paths.items(), key=lambda item: (-item[1], item[0])),
        passed=passed,
        first=first,
        notes=list(plan.notes),
    )


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


def histogram(values: list[float], bins: int = HISTOGRAM_BINS) -> list[Bin]:
    if not values:
        return []
    low, high = min(values), max(values)
    if low == high:
        return [Bin(low, high, len(values))]
    width = (high - low) / bins
    counts = [0] * bins
    for value in values:
        counts[min(bins - 1, int((value - low) / width))] += 1
    return [
        Bin(round(low + i * width, 3), round(low + (i + 1) * width, 3), count)
        for i, count in enumerate(counts)
    ]
