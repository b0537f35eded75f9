"""Monte Carlo: the same plan run N times with fresh draws from one `random.Random(seed)`.

Reports percentiles (nearest rank, so every figure is a time some run actually took) of the
total and of each SLO's measure, the share of runs in which each SLO holds, a histogram of
totals, how often each step is on the critical path, which elements stopped the runs that did
not complete and how often each step failed; on request, the time budget of each deadline's
milestone (`budget`), which costs a walk of every run's chain.

Two engines give these figures. The batch engine (`compiler.simulate.batch`, numpy) runs all
runs of a chunk at once and is used whenever the plan's features allow it (see
`compiler.simulate.batch_plan` for the ones that do not); the event engine runs the runs one by
one through `run_plan`, drawing from one `random.Random(seed)` (its run 1 draws exactly what a
single `drillbook simulate --seed K` run draws). On fixed durations both give identical
results; on random ones the same distributions from different draws.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from compiler.simulate.bind import Plan
from compiler.simulate.budget import Budget, BudgetTally
from compiler.simulate.result import RunResult
from compiler.simulate.runner import run_plan
from compiler.simulate.stats import HISTOGRAM_BINS, Bin, Sample, Spread, histogram, spread
from compiler.simulate.verdicts import judge_run

if TYPE_CHECKING:
    from compiler.simulate.batch import Summary

Engine = Literal["auto", "batch", "event"]
Progress = Callable[[int], None]
#: The event engine reports progress every so many runs.
_EVENT_STEP = 1000


@dataclass(frozen=True)
class SloSummary:
    name: str
    kind: str
    limit_s: float
    until: str | None
    met: int
    measure: Spread | None
    values: Sequence[float] | Sample  # the measure of every run that has one, sorted


@dataclass(frozen=True)
class Stop:
    """Runs that ended as `status` because of `element` (a failed step, a rejected checkpoint,
    a decision with no path)."""

    status: str
    element: str
    runs: int


@dataclass(frozen=True)
class StepFailures:
    step: str
    failed: int  # runs in which the step failed for good
    retried: int  # runs in which it failed an attempt and then succeeded


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
    totals: Sequence[float] | Sample = ()  # total of every completed run, sorted
    stops: list[Stop] = field(default_factory=list)
    failures: list[StepFailures] = field(default_factory=list)
    budgets: list[Budget] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    engine: str = "event"  # which engine ran: "batch" or "event"
    engine_reason: str = ""  # why the event engine ran, when it did

    @property
    def all_passed(self) -> bool:
        return self.passed == self.runs


def monte_carlo(
    plan: Plan,
    runs: int,
    seed: int,
    *,
    budget: bool = False,
    engine: Engine = "auto",
    progress: Progress | None = None,
    chunk: int | None = None,
) -> MonteCarlo:
    """`runs` runs of `plan`; the batch engine when the plan allows it (or `engine` says so),
    else the event engine. `progress` hears how many more runs are done, now and then."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    reason = "asked for the event engine"
    if engine != "event":
        from compiler.simulate.batch_plan import compile_plan

        program = compile_plan(plan, budget=budget)
        if isinstance(program, str):
            reason = program
        else:
            from compiler.simulate.batch import run_batch

            summary = run_batch(program, plan, runs, seed, progress, chunk)
            return _from_summary(plan, runs, seed, summary)
    if engine == "batch":
        raise ValueError(f"the batch engine cannot run this plan: {reason}")
    report = _event_monte_carlo(plan, runs, seed, budget, progress)
    report.engine_reason = reason
    return report


def _event_monte_carlo(
    plan: Plan, runs: int, seed: int, budget: bool, progress: Progress | None
) -> MonteCarlo:
    rng = random.Random(seed)
    totals: list[float] = []
    statuses: Counter[str] = Counter()
    critical: Counter[str] = Counter()
    paths: Counter[tuple[str, ...]] = Counter()
    held: Counter[str] = Counter()
    slo_met: Counter[str] = Counter()
    slo_values: dict[str, list[float]] = {slo.name: [] for slo in plan.slos}
    stops: Counter[tuple[str, str]] = Counter()
    failed: Counter[str] = Counter()
    retried: Counter[str] = Counter()
    tally = BudgetTally(plan) if budget else None
    passed = 0
    first: RunResult | None = None
    for number in range(1, runs + 1):
        if progress is not None and number % _EVENT_STEP == 0:
            progress(_EVENT_STEP)
        result = judge_run(run_plan(plan, rng))
        result.seed = seed
        if first is None:
            first = result
        statuses[result.status] += 1
        if result.status == "completed":
            totals.append(result.total_s)
        else:
            stops[result.status, _stopped_by(result)] += 1
        troubled = [a for a in result.activities if a.failed_attempts]
        if troubled:  # counted once per run, however often a loop ran the step
            failed_now = {a.id for a in troubled if a.status == "failed"}
            failed.update(failed_now)
            retried.update({a.id for a in troubled} - failed_now)
        if tally is not None:
            tally.add(result)
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
    if progress is not None and runs % _EVENT_STEP:
        progress(runs % _EVENT_STEP)
    slos = [
        SloSummary(
            slo.name,
            slo.kind,
            slo.limit_s,
            slo.until,
            slo_met[slo.name],
            spread(slo_values[slo.name]),
            tuple(sorted(slo_values[slo.name])),
        )
        for slo in plan.slos
    ]
    return MonteCarlo(
        plan=plan,
        runs=runs,
        seed=seed,
        statuses=dict(sorted(statuses.items())),
        total=spread(totals),
        histogram=histogram(totals),
        slos=slos,
        critical=_ranked_critical(plan, first, critical),
        expectations=[(c.name, c.expected, held[c.name]) for c in first.expectations],
        paths=sorted(paths.items(), key=lambda item: (-item[1], item[0])),
        passed=passed,
        first=first,
        totals=tuple(sorted(totals)),
        stops=_stops(stops),
        failures=_failures(plan, failed, retried),
        budgets=tally.budgets() if tally is not None else [],
        notes=list(plan.notes),
    )


def _from_summary(plan: Plan, runs: int, seed: int, summary: Summary) -> MonteCarlo:
    """The report of the batch engine's tallies (the shape the event engine gives)."""
    first = judge_run(run_plan(plan, random.Random(seed)))  # names the expectations
    first.seed = seed
    slos = [
        SloSummary(
            slo.name,
            slo.kind,
            slo.limit_s,
            slo.until,
            summary.slo_met[slo.name],
            summary.slo_values[slo.name].spread(),
            summary.slo_values[slo.name],
        )
        for slo in plan.slos
    ]
    totals = summary.totals
    return MonteCarlo(
        plan=plan,
        runs=runs,
        seed=seed,
        statuses=dict(sorted(summary.statuses.items())),
        total=totals.spread(),
        histogram=totals.histogram(HISTOGRAM_BINS),
        slos=slos,
        critical=_ranked_critical(plan, first, summary.critical),
        expectations=[(c.name, c.expected, summary.held[c.name]) for c in first.expectations],
        paths=sorted(summary.paths.items(), key=lambda item: (-item[1], item[0])),
        passed=summary.passed,
        first=first,
        totals=totals,
        stops=_stops(summary.stops),
        failures=_failures(plan, summary.failed, summary.retried),
        notes=list(plan.notes),
        engine="batch",
    )


def _ranked_critical(plan: Plan, first: RunResult, critical: Counter[str]) -> list[tuple[str, int]]:
    kinds = {a.id: a.kind for a in first.activities}
    return sorted(
        ((step, count) for step, count in critical.items() if kinds.get(step, "step") == "step"),
        key=lambda item: (-item[1], plan.index.step_order.get(item[0], 0), item[0]),
    )


def _stops(stops: Counter[tuple[str, str]]) -> list[Stop]:
    return [
        Stop(status, element, count)
        for (status, element), count in sorted(
            stops.items(), key=lambda item: (item[0][0], -item[1], item[0][1])
        )
    ]


def _failures(plan: Plan, failed: Counter[str], retried: Counter[str]) -> list[StepFailures]:
    order = plan.index.step_order
    return sorted(
        (StepFailures(s, failed[s], retried[s]) for s in set(failed) | set(retried)),
        key=lambda f: (-f.failed, -f.retried, order.get(f.step, len(order)), f.step),
    )


def _stopped_by(result: RunResult) -> str:
    """The element whose failure, rejection or dead end stopped the run."""
    for event in reversed(result.trace):
        if event.kind == "stop":
            return event.id
    return "(unknown)"
