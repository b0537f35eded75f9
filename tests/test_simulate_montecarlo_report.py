"""The Monte Carlo report: the text failure line, the HTML page (snapshot, self-contained,
hostile-safe, deterministic), the milestone budget, and what-if variants that change what
they say they change."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from compiler.parse import parse_document
from compiler.simulate import Plan, plan_for, read_scenario
from compiler.simulate.montecarlo import MonteCarlo, monte_carlo
from compiler.simulate.report_montecarlo import (
    Compared,
    outcome_lines,
    render_montecarlo_text,
)
from compiler.simulate.report_montecarlo_html import render_montecarlo_html
from compiler.simulate.whatif import WhatIfError, what_if
from compiler.source import read_source
from tests.conftest import ROOT, SPECS
from tests.simulation_builders import document, parallel, phase, step
from tests.simulation_builders import plan as build_plan

PAYMENTS = SPECS / "payments-outage.md"
RELEASE = SPECS / "release-train.md"


def spec_plan(doc: Path, scenario_file: Path | None = None, seed: int | None = None) -> Plan:
    relative = doc.relative_to(ROOT).as_posix()
    parsed = parse_document(read_source(doc, relative))
    scenario_file = scenario_file or doc.with_suffix(".scenario.yaml")
    loaded = read_scenario(scenario_file, scenario_file.relative_to(ROOT).as_posix())
    return plan_for(parsed, loaded, seed=seed)


def with_variants(
    plan: Plan, runs: int, *specs: str, budget: bool = True
) -> tuple[MonteCarlo, list[Compared]]:
    variants = [what_if(plan, spec) for spec in specs]
    report = monte_carlo(plan, runs, plan.seed, budget=budget)
    return report, [(v, monte_carlo(v.plan, runs, plan.seed, budget=budget)) for v in variants]


def flaky_payments(runs: int = 300) -> tuple[MonteCarlo, list[Compared]]:
    """The payments spec with a step that fails now and then (and is retried once)."""
    plan = spec_plan(PAYMENTS)
    steps = dict(plan.steps)
    steps["phase-4"] = dataclasses.replace(steps["phase-4"], failure_rate=0.2, retries=1)
    steps["phase-3/branch-b"] = dataclasses.replace(steps["phase-3/branch-b"], failure_rate=0.05)
    flaky = dataclasses.replace(plan, steps=steps)
    return with_variants(flaky, runs, "no-failures", "faster:phase-3:25%")


# --- text ------------------------------------------------------------------------------


def test_the_failure_line_names_the_steps_that_failed():
    report, _ = flaky_payments()
    failed = report.statuses["failed"]
    stops = {stop.element: stop.runs for stop in report.stops if stop.status == "failed"}
    assert set(stops) == {"phase-4", "phase-3/branch-b"} and sum(stops.values()) == failed
    ranked = sorted(stops.items(), key=lambda item: (-item[1], item[0]))
    expected = f"failed {failed} runs: " + ", ".join(f"{s} {n}" for s, n in ranked)
    text = render_montecarlo_text(report)
    assert f"\n            {expected}\n" in text
    assert f"  runs      completed {report.statuses['completed']}\n" in text


def test_text_report_with_what_if_variants(snapshot_text):
    report, variants = flaky_payments()
    assert render_montecarlo_text(report, variants) == snapshot_text


# --- what-if variants ---------------------------------------------------------------


def test_no_failures_leaves_no_failed_run():
    report, [(_, variant)] = with_variants(flaky_payments()[0].plan, 300, "no-failures")
    assert report.statuses.get("failed", 0) > 0
    assert variant.statuses == {"completed": 300}
    assert variant.failures == [] and variant.stops == []


def test_one_more_slot_never_makes_a_fixed_run_longer_and_here_makes_it_shorter():
    doc = document(
        phase("phase-1", parallel("p", ("p/a", [step("a")]), ("p/b", [step("b")]))),
        phase("phase-2", step("c")),
    )
    plan = build_plan(doc, {"resources": {"max_parallel_agents": 1}})
    report, [(variant_of, variant)] = with_variants(plan, 3, "slots+1")
    assert variant_of.plan.max_parallel == 2
    assert report.total is not None and variant.total is not None
    assert variant.total.maximum < report.total.minimum  # 10m instead of 15m: a and b overlap


def test_one_more_slot_on_a_spec_does_not_lengthen_the_total():
    report, [(_, variant)] = with_variants(spec_plan(RELEASE), 400, "slots+1")
    assert report.total is not None and variant.total is not None
    assert variant.total.at(50) <= report.total.at(50)
    assert variant.total.at(90) <= report.total.at(90)


def test_a_faster_step_shortens_exactly_that_step():
    plan = spec_plan(PAYMENTS)
    variant = what_if(plan, "faster:phase-4:25%")
    assert variant.plan.steps["phase-4"].duration.low == plan.steps["phase-4"].duration.low * 0.75
    unchanged = {k for k in plan.steps if plan.steps[k] == variant.plan.steps[k]}
    assert unchanged == set(plan.steps) - {"phase-4"}
    # A phase speeds up every step inside it, distributions included.
    phase_3 = what_if(plan, "faster:phase-3:50%").plan.steps["phase-3/branch-a"].duration
    assert (phase_3.low, phase_3.mode, phase_3.high) == (180.0, 300.0, 540.0)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("everything", "write no-failures, slots+N or faster:ID:P%"),
        ("faster:phase-4:0%", "between 0 and 100"),
        ("faster:nowhere:10%", "no step is or lies inside 'nowhere'"),
        ("slots+1", "sets no resources.max_parallel_agents"),
    ],
)
def test_bad_variants_say_why_in_one_line(spec, message):
    with pytest.raises(WhatIfError) as caught:
        what_if(spec_plan(PAYMENTS), spec)
    assert message in str(caught.value) and "\n" not in str(caught.value)


# --- the milestone budget -----------------------------------------------------------


def test_the_budget_of_a_fixed_run_adds_up_to_the_milestone():
    doc = document(
        phase("phase-1", step("a")),
        phase("phase-2", parallel("p", ("p/x", [step("x")]), ("p/y", [step("y")]))),
        phase("phase-3", step("z")),
    )
    plan = build_plan(
        doc,
        {
            "steps": {"a": {"duration": "4m"}, "x": {"duration": "9m"}, "y": {"duration": "3m"}},
            "slo": [{"name": "RTO", "within": "20m", "until": "phase-2"}],
        },
    )
    report = monte_carlo(plan, 5, 1, budget=True)
    [budget] = report.budgets
    assert (budget.slo, budget.milestone, budget.reached) == ("RTO", "phase-2", 5)
    medians = {c.element: c.median_s for c in budget.contributions}
    assert medians == {"a": 240.0, "x": 540.0}  # y finished first: the milestone waited on x
    assert [c.element for c in budget.contributions] == ["x", "a"]  # largest first
    assert monte_carlo(plan, 5, 1).budgets == []  # only on request


# --- the HTML page ----------------------------------------------------------------------


def test_html_report_snapshot(snapshot_html):
    report, variants = flaky_payments()
    assert render_montecarlo_html(report, variants) == snapshot_html


def test_html_report_is_self_contained_and_shows_every_part():
    report, variants = flaky_payments()
    page = render_montecarlo_html(report, variants)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<script" not in page and "@import" not in page and "url(" not in page
    # A histogram for the total and for each objective, each limit marked.
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="db-histogram"') == 3
    assert page.count('<g class="marker limit">') == 3  # finishes_within, RTO, updates
    for part in ('id="budget"', 'id="critical-path"', 'id="failures"', 'id="what-if"'):
        assert part in page
    assert "<code>faster:phase-3:25%</code>" in page
    assert "<h3>Runs that did not complete</h3>" in page and "<h3>Steps that failed</h3>" in page
    assert f"<li>{outcome_lines(report)[1]}</li>" in page
    assert f"failed {report.statuses['failed']} runs: phase-" in page


def test_html_report_is_byte_identical_for_the_same_seed():
    first = render_montecarlo_html(*flaky_payments(120))
    assert render_montecarlo_html(*flaky_payments(120)) == first


HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="alert(1)">'


def hostile_report() -> tuple[MonteCarlo, list[Compared]]:
    evil = dataclasses.replace(step("s1", agent=HOSTILE), title=HOSTILE)
    doc = document(phase("phase-1", evil), phase("phase-2", step("s2")))
    doc = dataclasses.replace(
        doc, workflows=(dataclasses.replace(doc.workflows[0], title=HOSTILE),)
    )
    plan = build_plan(
        doc,
        {
            "steps": {"s1": {"duration": {"min": "1m", "mode": "2m", "max": "5m"}}},
            "defaults": {"failure_rate": 0.1},
            "slo": [{"name": HOSTILE, "within": "5m", "until": "s1"}],
        },
    )
    return with_variants(plan, 50, "no-failures", "faster:s1:10%")


def test_hostile_titles_agents_and_slo_names_are_escaped():
    page = render_montecarlo_html(*hostile_report())
    assert "<script" not in page and "<img" not in page and 'onerror="' not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "onerror=&#34;alert(1)&#34;" in page  # shown as text


# --- histograms ---------------------------------------------------------------------------


def counted(chart, css: str) -> int:
    return sum(int(bar.tip.split(": ")[1].split()[0]) for bar in chart.bars if bar.css == css)


@pytest.mark.parametrize(
    ("values", "under", "over"),
    [
        ([600.0, 1200.0, 1200.0, 1800.0, 2400.0], 3, 2),  # 1200 is on time: under the limit
        ([1200.0] * 4, 4, 0),  # every run exactly on the limit
        ([1300.0] * 4, 0, 4),
        ([100.0, 200.0, 300.0], 3, 0),  # far under: the axis still reaches the limit
    ],
)
def test_a_histogram_splits_runs_at_the_limit_exactly(values, under, over):
    from compiler.simulate.histogram_chart import histogram_chart

    chart = histogram_chart("h", "t", sorted(values), 1200.0, "deadline")
    assert chart is not None
    assert (counted(chart, "under"), counted(chart, "over")) == (under, over)
    limit = next(m for m in chart.markers if m.css == "limit")
    edges = {float(bar.x) - 0.5 for bar in chart.bars} | {
        float(bar.x) - 0.5 + float(bar.width) + 1 for bar in chart.bars
    }
    assert any(abs(edge - float(limit.x)) < 0.2 for edge in edges)  # an edge on the limit


@pytest.mark.parametrize(
    ("figure", "baseline", "change"),
    [
        (("percent", 100.0), ("percent", 90.7), ("+9.3 pt", "better")),
        (("percent", 80.0), ("percent", 90.0), ("−10.0 pt", "worse")),
        (("time", 3360.0), ("time", 3420.0), ("−1m", "better")),
        (("time", 7245.0), ("time", 3600.0), ("+1h0m45s", "worse")),
        (("time", 60.2), ("time", 60.0), ("", "same")),
        (("time", None), ("time", 60.0), ("", "same")),
    ],
)
def test_a_what_if_figure_says_how_it_differs_from_the_baseline(figure, baseline, change):
    from compiler.simulate.report_montecarlo import Figure

    assert Figure(*figure).change(Figure(*baseline)) == change


def test_the_mean_contributions_add_up_to_the_mean_milestone():
    report, _ = flaky_payments()
    [budget] = report.budgets  # RTO until phase-4; the cadence has no budget
    [rto] = [slo for slo in report.slos if slo.name == budget.slo]
    assert rto.measure is not None and budget.reached == rto.measure.count
    total = sum(c.mean_s for c in budget.contributions)
    assert abs(total - rto.measure.mean) < 0.01 * len(budget.contributions)
