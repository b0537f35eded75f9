"""The batch Monte Carlo engine against the event engine: identical results on fixed durations
for every spec scenario, the same distributions on random ones (two-sample Kolmogorov–Smirnov
on 10,000 runs), the features that fall back to the event engine, chunking, and the CLI's
run cap and progress bar."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from compiler.parse import parse_document
from compiler.simulate import Plan, plan_for, read_scenario
from compiler.simulate.batch_plan import compile_plan
from compiler.simulate.distributions import Duration
from compiler.simulate.montecarlo import MonteCarlo, monte_carlo
from compiler.simulate.report_montecarlo import render_montecarlo_json, render_montecarlo_text
from compiler.simulate.report_montecarlo_html import render_montecarlo_html
from compiler.simulate.stats import Sample
from compiler.simulate.tally import Counts
from compiler.source import read_source
from tests.conftest import ROOT, SPECS
from tests.simulation_builders import decision, document, parallel, path, phase, step
from tests.simulation_builders import plan as build_plan
from tests.test_simulate_properties import runs as simulation_runs

BENCH = ROOT / "benchmarks" / "playbooks" / "incident-drill.md"
SCENARIOS = sorted(
    [*SPECS.glob("*.scenario.yaml"), *SPECS.glob("*.scenarios/*.scenario.yaml")],
    key=lambda p: p.as_posix(),
)


def document_of(scenario: Path) -> Path:
    if scenario.parent.name.endswith(".scenarios"):
        return scenario.parent.with_name(scenario.parent.name.removesuffix(".scenarios") + ".md")
    return scenario.with_name(scenario.name.removesuffix(".scenario.yaml") + ".md")


def plan_of(scenario: Path, doc: Path | None = None) -> Plan:
    doc = doc or document_of(scenario)
    parsed = parse_document(read_source(doc, doc.relative_to(ROOT).as_posix()))
    loaded = read_scenario(scenario, scenario.relative_to(ROOT).as_posix())
    return plan_for(parsed, loaded)


def fixed(plan: Plan) -> Plan:
    """`plan` with every duration at its most likely value and no random failures."""

    def still(duration: Duration) -> Duration:
        return Duration.fixed(duration.mode if duration.kind == "triangular" else duration.low)

    steps = {
        key: dataclasses.replace(step, duration=still(step.duration), failure_rate=0.0)
        for key, step in plan.steps.items()
    }
    checkpoints = {
        key: dataclasses.replace(gate, wait=still(gate.wait))
        for key, gate in plan.checkpoints.items()
    }
    return dataclasses.replace(plan, steps=steps, checkpoints=checkpoints)


def figures(report: MonteCarlo) -> str:
    """Everything the reports show (JSON and text), engine aside."""
    return render_montecarlo_json(report) + render_montecarlo_text(report)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.relative_to(SPECS).as_posix())
def test_both_engines_agree_exactly_on_fixed_durations(scenario: Path) -> None:
    plan = fixed(plan_of(scenario))
    batch = monte_carlo(plan, 7, plan.seed, engine="batch")
    event = monte_carlo(plan, 7, plan.seed, engine="event")
    assert batch.engine == "batch" and event.engine == "event"
    assert figures(batch) == figures(event)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.relative_to(SPECS).as_posix())
def test_every_spec_scenario_runs_on_the_batch_engine(scenario: Path) -> None:
    assert not isinstance(compile_plan(plan_of(scenario)), str)


def with_slots(plan: Plan, slots: int) -> Plan:
    return dataclasses.replace(plan, max_parallel=slots)


@pytest.mark.parametrize("slots", [1, 2])
def test_engines_agree_on_fixed_durations_when_branches_wait_for_slots(slots: int) -> None:
    """Payments with fewer slots than containment branches: queued steps, handed-over slots."""
    plan = with_slots(fixed(plan_of(SPECS / "payments-outage.scenario.yaml")), slots)
    batch = monte_carlo(plan, 3, plan.seed, engine="batch")
    assert figures(batch) == figures(monte_carlo(plan, 3, plan.seed, engine="event"))


def scripted(plan: Plan, changes: dict[str, dict[str, Any]]) -> Plan:
    steps = dict(plan.steps)
    for key, change in changes.items():
        steps[key] = dataclasses.replace(steps[key], **change)
    return dataclasses.replace(plan, steps=steps)


@pytest.mark.parametrize("slots", [None, 1, 2])
def test_engines_agree_when_a_branch_fails_and_stops_the_run(slots: int | None) -> None:
    """A failure inside a parallel block stops the run at that instant: later starts never
    happen, running steps are cancelled, later milestones are not reached."""
    plan = fixed(plan_of(SPECS / "payments-outage.scenario.yaml"))
    plan = scripted(
        with_slots(plan, slots) if slots else plan,
        {
            "phase-3/branch-b": {"fail": 2, "retries": 1},
            "phase-3/branch-c": {"skip": True},
            "phase-1": {"fail": 1, "retries": 1},
        },
    )
    batch = monte_carlo(plan, 3, plan.seed, engine="batch")
    assert batch.statuses == {"failed": 3}
    assert figures(batch) == figures(monte_carlo(plan, 3, plan.seed, engine="event"))


# --- the same distributions on random durations ------------------------------------------


def ks_statistic(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sample Kolmogorov–Smirnov statistic: the largest gap between the two empirical
    distribution functions."""
    a, b = np.sort(a), np.sort(b)
    points = np.concatenate([a, b])
    gap = np.searchsorted(a, points, side="right") / a.size
    gap -= np.searchsorted(b, points, side="right") / b.size
    return float(np.abs(gap).max())


def ks_critical(n: int, m: int, alpha: float = 0.001) -> float:
    """The statistic two samples of one distribution exceed with probability `alpha`."""
    return math.sqrt(-math.log(alpha / 2) / 2) * math.sqrt((n + m) / (n * m))


def expanded(values: Sequence[float] | Sample) -> np.ndarray:
    """Every value of a measure (the batch engine keeps counts; exact below 70 minutes)."""
    if isinstance(values, Sequence):
        return np.array(values)
    assert isinstance(values, Counts) and values.shift == 0
    where = np.flatnonzero(values.counts)
    return np.repeat((where + values.origin) / 1000, values.counts[where])


def test_ks_statistic_tells_distributions_apart() -> None:
    rng = np.random.default_rng(3)
    same = ks_statistic(rng.normal(0, 1, 5000), rng.normal(0, 1, 5000))
    shifted = ks_statistic(rng.normal(0, 1, 5000), rng.normal(0.2, 1, 5000))
    assert same < ks_critical(5000, 5000) < shifted
    assert ks_statistic(np.array([1.0, 2.0]), np.array([3.0, 4.0])) == 1.0


RANDOM_CASES = {
    "bench: decision, 4 branches under 3 slots, triangular": (
        BENCH.with_suffix(".scenario.yaml"),
        BENCH,
        None,
    ),
    "release train: 2 slots, failure rate with retries": (
        SPECS / "release-train.scenario.yaml",
        None,
        None,
    ),
    "payments: 2 slots, a flaky step": (SPECS / "payments-outage.scenario.yaml", None, 2),
}


@pytest.mark.parametrize("case", list(RANDOM_CASES))
def test_both_engines_draw_the_same_distributions(case: str) -> None:
    scenario, doc, slots = RANDOM_CASES[case]
    plan = plan_of(scenario, doc)
    if slots is not None:
        steps = dict(plan.steps)
        steps["phase-4"] = dataclasses.replace(steps["phase-4"], failure_rate=0.2, retries=1)
        plan = dataclasses.replace(with_slots(plan, slots), steps=steps)
    runs = 10_000
    batch = monte_carlo(plan, runs, 5, engine="batch")
    event = monte_carlo(plan, runs, 5, engine="event")
    measures = [("total", batch.totals, event.totals)]
    measures += [
        (mine.name, mine.values, theirs.values)
        for mine, theirs in zip(batch.slos, event.slos, strict=True)
    ]
    assert len(measures) >= 2
    for name, mine, theirs in measures:
        a, b = expanded(mine), expanded(theirs)
        assert a.size and b.size, name
        assert ks_statistic(a, b) < ks_critical(a.size, b.size), name
    for ours, others in zip(batch.slos, event.slos, strict=True):
        assert abs(ours.met - others.met) / runs < 0.03
    assert abs(batch.passed - event.passed) / runs < 0.03
    for status, count in event.statuses.items():
        assert abs(batch.statuses.get(status, 0) - count) / runs < 0.02


# --- what falls back to the event engine -------------------------------------------------


def test_a_step_that_may_fail_and_continue_runs_on_the_event_engine() -> None:
    plan = plan_of(SPECS / "payments-outage.scenario.yaml")
    steps = dict(plan.steps)
    steps["phase-4"] = dataclasses.replace(
        steps["phase-4"], failure_rate=0.5, on_failure="continue"
    )
    plan = dataclasses.replace(plan, steps=steps)
    reason = compile_plan(plan)
    assert isinstance(reason, str) and "phase-4 fails at random" in reason and "continue" in reason
    report = monte_carlo(plan, 5, 1)
    assert report.engine == "event" and report.engine_reason == reason
    with pytest.raises(ValueError, match="continue"):
        monte_carlo(plan, 5, 1, engine="batch")


def test_the_time_budget_runs_on_the_event_engine() -> None:
    plan = plan_of(SPECS / "payments-outage.scenario.yaml")
    report = monte_carlo(plan, 5, 1, budget=True)
    assert report.engine == "event" and "budget" in report.engine_reason
    assert report.budgets
    assert monte_carlo(plan, 5, 1).engine == "batch"


def test_branches_that_hold_more_than_steps_under_too_few_slots_run_on_the_event_engine() -> None:
    plan = with_slots(plan_of(SPECS / "payments-outage.scenario.yaml"), 1)
    assert not isinstance(compile_plan(plan), str)  # branches of plain steps: scheduled
    nested = document(
        phase(
            "phase-1",
            parallel(
                "phase-1/parallel",
                (
                    "phase-1/branch-a",
                    [step("a"), parallel("inner", ("b1", [step("b")]), ("c1", [step("c")]))],
                ),
                ("phase-1/branch-b", [step("d")]),
            ),
        )
    )
    reason = compile_plan(build_plan(nested, {"resources": {"max_parallel_agents": 2}}))
    assert isinstance(reason, str) and "agent slots" in reason
    enough = compile_plan(build_plan(nested, {"resources": {"max_parallel_agents": 3}}))
    assert not isinstance(enough, str)  # never more steps at once than slots: no queue


def test_a_decision_inside_a_branch_runs_on_the_event_engine() -> None:
    inside = document(
        phase(
            "phase-1",
            parallel(
                "phase-1/parallel",
                (
                    "phase-1/branch-a",
                    [
                        decision(
                            "phase-1/decision",
                            path("phase-1/path-a", "A", [step("a")], default=True),
                        )
                    ],
                ),
                ("phase-1/branch-b", [step("b")]),
            ),
        )
    )
    reason = compile_plan(build_plan(inside))
    assert isinstance(reason, str) and "inside a parallel branch" in reason


# --- chunks, memory, determinism ---------------------------------------------------------


def test_results_depend_on_seed_and_runs_not_on_chunks() -> None:
    plan = plan_of(BENCH.with_suffix(".scenario.yaml"), BENCH)
    whole = monte_carlo(plan, 3000, 9)
    chunked = monte_carlo(plan, 3000, 9, chunk=701)
    assert figures(whole) == figures(chunked)
    assert figures(whole) != figures(monte_carlo(plan, 3000, 10))


def test_counts_widen_their_bins_past_seventy_minutes_and_keep_min_max_mean_exact() -> None:
    from compiler.simulate.tally import LIMIT

    counts = Counts()
    counts.add(np.array([1000, 2000, 3000], np.int64))
    assert counts.shift == 0 and counts.percentile(50) == 2.0
    counts.add(np.array([LIMIT * 3 + 7], np.int64))  # a spread of 3.5 hours
    assert counts.shift == 2 and counts.counts.size <= LIMIT
    assert counts.minimum == 1.0 and counts.maximum == (LIMIT * 3 + 7) / 1000
    assert counts.spread() is not None and counts.spread().mean == round(  # type: ignore[union-attr]
        (6000 + LIMIT * 3 + 7) / 4 / 1000, 3
    )
    assert counts.percentile(50) == 2.0  # 2000 ms sits on a 4 ms edge
    assert sum(b.count for b in counts.histogram(12)) == 4


def test_html_report_of_batch_runs_draws_its_histograms_from_counts() -> None:
    plan = plan_of(BENCH.with_suffix(".scenario.yaml"), BENCH)
    report = monte_carlo(plan, 2000, 3)
    assert report.engine == "batch"
    page = render_montecarlo_html(report)
    assert "2000 runs from" in page


# --- the command line --------------------------------------------------------------------


def test_simulate_accepts_ten_million_runs_and_no_more(cli) -> None:
    # Accepted by --runs, then refused for another reason (before any run is made).
    accepted = cli("simulate", str(BENCH), "--runs", "10000000", "--format", "mermaid")
    assert accepted.code == 2 and "mermaid shows one run" in accepted.stderr
    too_many = cli("simulate", str(BENCH), "--runs", "10000001")
    assert too_many.code == 2 and "10000000" in too_many.stderr
    diff = cli("diff", str(BENCH), str(BENCH), "--runs", "10000001")
    assert diff.code == 2


def test_verbose_says_which_engine_ran_and_no_progress_bar_in_a_pipe(cli) -> None:
    scenario = str(BENCH.with_suffix(".scenario.yaml"))
    result = cli(
        "simulate",
        str(BENCH),
        "--scenario",
        scenario,
        "--runs",
        "25000",
        "-v",
        "--format",
        "json",
        "--what-if",
        "no-failures",
    )
    assert "drillbook: runs: batch engine" in result.stderr
    assert "what-if no-failures: batch engine" in result.stderr
    assert "█" not in result.stderr and "%" not in result.stderr  # no bar when not a terminal
    assert json.loads(result.stdout)["runs"] == 25000
    fallback = cli(
        "simulate", str(BENCH), "--scenario", scenario, "--runs", "20", "-v", "--format", "html"
    )
    assert "event engine (the time budget" in fallback.stderr
    assert "note:" not in result.stderr + fallback.stderr  # few runs, or the batch engine


def test_a_long_run_on_the_event_engine_comes_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from compiler.cli import simulate_cmd

    monkeypatch.setattr(simulate_cmd, "SLOW_FROM", 30)  # what "long" means, scaled down
    scenario = str(BENCH.with_suffix(".scenario.yaml"))
    argv = [str(BENCH), "--scenario", scenario, "--runs", "40", "--format"]
    slow = CliRunner().invoke(simulate_cmd.simulate_command, [*argv, "html"])
    assert "note: runs: the event engine runs these 40 runs one by one" in slow.stderr
    assert "time budget" in slow.stderr
    fast = CliRunner().invoke(simulate_cmd.simulate_command, [*argv, "json"])
    assert "note:" not in fast.stderr and json.loads(fast.stdout)["runs"] == 40


# --- any workflow ------------------------------------------------------------------------


# derandomize: the suite explores the same 200 workflows on every run, so CI is repeatable;
# a tie the batch engine breaks differently (below) is a known, tracked difference.
@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(simulation_runs())
def test_any_workflow_the_batch_engine_takes_gives_the_event_engines_figures(
    case: tuple[Any, dict[str, Any]],
) -> None:
    """Random workflows (nested blocks, scripted failures, slot limits, rejected checkpoints)
    with durations of 1, 2 or 3 minutes, so that steps often end at the same instant: where
    the batch engine runs them, it agrees exactly."""
    doc, scenario = case
    for script in scenario["steps"].values():
        script["duration"] = (script["duration"] % 3 + 1) * 60
    plan = build_plan(doc, scenario)
    if isinstance(compile_plan(plan), str):
        return
    batch = monte_carlo(plan, 2, plan.seed, engine="batch")
    assert figures(batch) == figures(monte_carlo(plan, 2, plan.seed, engine="event"))


def test_a_terminal_shows_a_progress_bar_for_long_runs() -> None:
    """The other side of the pipe test: stderr on a pseudo-terminal gets the bar."""
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    scenario = str(BENCH.with_suffix(".scenario.yaml"))
    argv = [sys.executable, "-m", "compiler", "simulate", str(BENCH), "--scenario", scenario]
    done = subprocess.run(
        [*argv, "--runs", "30000", "--format", "json"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=follower, timeout=300,
    )  # fmt: skip
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal is closed once everything is read
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert done.returncode in (0, 1)
    assert b"runs" in shown and b"100%" in shown
    assert json.loads(done.stdout)["runs"] == 30000


@pytest.mark.xfail(
    strict=True,
    reason="known difference: two steps that fail for good at the same instant, in parallel "
    "branches, whose last attempts also began at the same instant: the event engine names "
    "the one whose previous wait began first (its heap order), the batch engine the one "
    "written first. Totals and statuses agree; only the step named as the stop differs.",
)
def test_a_simultaneous_stop_names_the_same_step_in_both_engines() -> None:
    """Found by the property test above (a random seed): s4 fails for good at 4m after three
    1-minute attempts, s7 at 4m after waiting 3 minutes for s6."""
    doc = document(
        phase(
            "phase-1",
            parallel(
                "par-1",
                (
                    "par-1/branch-0",
                    [step("s2"), parallel("par-3", ("par-3/branch-0", [step("s4"), step("s5")]))],
                ),
                ("par-1/branch-1", [step("s6"), step("s7")]),
            ),
        )
    )
    steps = {
        "s2": {"duration": 60},
        "s4": {"duration": 60, "fail": 3, "retries": 2, "on_failure": "stop"},
        "s5": {"duration": 60},
        "s6": {"duration": 180},
        "s7": {"duration": 60, "fail": 1, "retries": 0, "on_failure": "stop"},
    }
    plan = build_plan(doc, {"seed": 0, "steps": steps})
    assert not isinstance(compile_plan(plan), str)
    batch = monte_carlo(plan, 2, plan.seed, engine="batch")
    assert figures(batch) == figures(monte_carlo(plan, 2, plan.seed, engine="event"))
