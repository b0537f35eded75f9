"""Simulation speed, as ratios measured in the same process.

Monte Carlo: 1,000 runs of the seed (or of specs/payments-outage.md without ../shared) cost
at most 1.2x a thousand separate single runs timed the same way: collecting percentiles,
histogram and critical-path shares adds next to nothing per run. Binding a scenario and
running it once costs at most half of parsing the document.
"""

from __future__ import annotations

import gc
from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.conftest import ROOT, SEED, best_of
from compiler.parse import parse_text
from compiler.simulate import Plan, parse_scenario, plan_for, run
from compiler.simulate.montecarlo import monte_carlo

RUNS = 1000
MONTE_CARLO_RATIO = 1.2
RUN_VS_PARSE_RATIO = 0.5

ESTIMATES = ROOT / "tests" / "fixtures" / "scenarios" / "incident-response-estimates.scenario.yaml"


def _subject() -> tuple[str, str, str]:
    if SEED.exists():
        return str(SEED), SEED.read_text(encoding="utf-8"), ESTIMATES.read_text(encoding="utf-8")
    doc = ROOT / "specs" / "payments-outage.md"
    scenario = ROOT / "specs" / "payments-outage.scenario.yaml"
    return str(doc), doc.read_text(encoding="utf-8"), Path(scenario).read_text(encoding="utf-8")


def _singles(plan: Plan) -> None:
    """RUNS separate runs, each from a fresh `Random(seed)`, results dropped as they come
    (as Monte Carlo keeps only its tallies); garbage collection off, as in the benchmark."""
    gc.disable()
    try:
        for _ in range(RUNS):
            run(plan)
    finally:
        gc.enable()


def test_monte_carlo_vs_single_runs(benchmark: BenchmarkFixture) -> None:
    path, text, scenario_text = _subject()
    document = parse_text(text, path)
    plan = plan_for(document, parse_scenario(scenario_text, "scenario.yaml"))
    singles = best_of(3, lambda: _singles(plan))
    benchmark.pedantic(lambda: monte_carlo(plan, RUNS, 7), rounds=3)  # type: ignore[no-untyped-call]
    assert benchmark.stats is not None
    ratio = benchmark.stats.stats.min / singles
    benchmark.extra_info["single_runs_s"] = round(singles, 4)
    benchmark.extra_info["ratio"] = round(ratio, 2)
    print(f"\n{RUNS} Monte Carlo runs: {ratio:.2f}x {RUNS} single runs (≤ {MONTE_CARLO_RATIO}x)")
    assert ratio <= MONTE_CARLO_RATIO


def test_single_run_vs_parse(benchmark: BenchmarkFixture) -> None:
    path, text, scenario_text = _subject()
    parse = best_of(20, lambda: parse_text(text, path))
    document = parse_text(text, path)
    scenario = parse_scenario(scenario_text, "scenario.yaml")
    benchmark.pedantic(lambda: run(plan_for(document, scenario)), rounds=20)  # type: ignore[no-untyped-call]
    assert benchmark.stats is not None
    ratio = benchmark.stats.stats.min / parse
    benchmark.extra_info["parse_s"] = round(parse, 6)
    benchmark.extra_info["ratio"] = round(ratio, 2)
    print(f"\nbind + run: {ratio:.2f}x parsing the document (target ≤ {RUN_VS_PARSE_RATIO}x)")
    assert ratio <= RUN_VS_PARSE_RATIO
