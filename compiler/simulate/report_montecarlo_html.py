"""The Monte Carlo report page (`drillbook simulate --runs N --format html`): a view-model of
plain strings and chart coordinates, rendered by `templates/montecarlo.html.j2` in the house
look of the playbook report.

The page answers, in order: how likely each objective is (share of runs, percentiles, a
histogram with the limit marked); where the time to each deadline's milestone goes (the
budget); which steps the end of the run waits on; what fails and stops runs; and how the
what-if variants compare with the baseline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from compiler import __version__
from compiler.durations import format_duration
from compiler.simulate.budget import Budget
from compiler.simulate.histogram_chart import HistogramChart, histogram_chart
from compiler.simulate.montecarlo import MonteCarlo
from compiler.simulate.report_montecarlo import Compared, comparison_table, outcome_lines, share
from compiler.simulate.stats import Spread


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    css: str = ""


@dataclass(frozen=True)
class Measure:
    """One row of the percentile table, and its histogram."""

    name: str
    objective: str
    met: str
    met_css: str
    cells: tuple[str, ...]
    chart: HistogramChart | None


@dataclass(frozen=True)
class ShareRow:
    """An element with figures and a bar (`width`: percent of the bar's full length)."""

    element: str
    title: str
    agent: str
    cells: tuple[str, ...]
    width: str


@dataclass(frozen=True)
class BudgetView:
    name: str
    caption: str
    rows: tuple[ShareRow, ...]


@dataclass(frozen=True)
class Cell:
    text: str
    change: str  # against the baseline, e.g. `+16.9 pt` or `−2m51s` ("" for the same)
    css: str  # better | worse | same


@dataclass(frozen=True)
class Comparison:
    heads: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]
    descriptions: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class MonteCarloPage:
    generator: str
    title: str
    document: str
    scenario: str
    verdict: str
    verdict_css: str
    cards: tuple[Card, ...]
    outcomes: tuple[str, ...]
    spread_heads: tuple[str, ...]
    measures: tuple[Measure, ...]
    budgets: tuple[BudgetView, ...]
    critical: tuple[ShareRow, ...]
    stops: tuple[ShareRow, ...]  # what stopped the runs that did not complete
    failures: tuple[ShareRow, ...]
    paths: tuple[tuple[str, str], ...]
    comparison: Comparison | None
    expectations: tuple[tuple[str, str, str], ...]
    notes: tuple[str, ...]


def _width(part: float, whole: float) -> str:
    return f"{min(100.0, 100 * part / whole):.1f}" if whole > 0 else "0.0"


def _spread_cells(value: Spread | None) -> tuple[str, ...]:
    if value is None:
        return ("–",) * 6
    ranks = tuple(format_duration(seconds) for _, seconds in value.percentiles)
    return (*ranks, format_duration(value.minimum), format_duration(value.maximum))


class _Labels:
    """Titles and agents of elements, for the tables."""

    def __init__(self, report: MonteCarlo) -> None:
        self.index = report.plan.index

    def row(self, element: str, cells: tuple[str, ...], width: str) -> ShareRow:
        step = self.index.steps.get(element)
        agent = (step.agent if step else None) or ""
        return ShareRow(element, self.index.title(element), agent, cells, width)


def page_model(report: MonteCarlo, variants: Sequence[Compared] = ()) -> MonteCarloPage:
    plan = report.plan
    runs = report.runs
    labels = _Labels(report)
    completed = report.statuses.get("completed", 0)
    cards = [
        Card("Runs", f"{runs} (seed {report.seed})"),
        Card("Completed", share(completed, runs), "ok" if completed == runs else "bad"),
    ]
    if report.total is not None:
        cards.append(Card("Total p50 / p90", f"{_p(report.total, 50)} / {_p(report.total, 90)}"))
    for slo in report.slos:
        cards.append(Card(f"P({slo.name} met)", share(slo.met, runs), _css(slo.met, runs)))
    return MonteCarloPage(
        generator=f"drillbook {__version__}",
        title=plan.workflow.title or plan.document_path,
        document=plan.document_path,
        scenario=plan.scenario_file or "(none: default durations)",
        verdict="Every run passed" if report.all_passed else _failed_verdict(report),
        verdict_css="ok" if report.all_passed else "error",
        cards=tuple(cards),
        outcomes=tuple(outcome_lines(report)),
        spread_heads=("p50", "p90", "p95", "p99", "min", "max"),
        measures=tuple(_measures(report)),
        budgets=tuple(_budget_view(budget, report, labels) for budget in report.budgets),
        critical=tuple(
            labels.row(step, (share(count, runs),), _width(count, runs))
            for step, count in report.critical
        ),
        stops=tuple(
            labels.row(stop.element, (stop.status, share(stop.runs, runs)), _width(stop.runs, runs))
            for stop in report.stops
        ),
        failures=tuple(
            labels.row(
                f.step,
                (share(f.failed, runs), share(f.retried, runs)),
                _width(f.failed, runs),
            )
            for f in report.failures
        ),
        paths=tuple(
            (share(count, runs), " → ".join(path) or "(no decision)")
            for path, count in report.paths
        ),
        comparison=_comparison(report, variants),
        expectations=tuple(
            (name, expected if expected.startswith("≤") else f"= {expected}", share(held, runs))
            for name, expected, held in report.expectations
        ),
        notes=tuple(report.notes),
    )


def _p(value: Spread, rank: int) -> str:
    return format_duration(value.at(rank))


def _css(met: int, runs: int) -> str:
    return "ok" if met == runs else ("bad" if met * 2 < runs else "warn")


def _failed_verdict(report: MonteCarlo) -> str:
    return f"{report.runs - report.passed} of {report.runs} runs failed an expectation or an SLO"


def _measures(report: MonteCarlo) -> list[Measure]:
    runs = report.runs
    expect = report.plan.expect.finishes_within
    measures = [
        Measure(
            "Total time",
            f"finishes within {format_duration(expect)}" if expect else "completed runs",
            "",
            "",
            _spread_cells(report.total),
            histogram_chart("hist-total", "Total time", report.totals, expect, "expected"),
        )
    ]
    for number, slo in enumerate(report.slos, start=1):
        deadline = slo.kind == "deadline"
        milestone = slo.until or "the end of the workflow"
        what = f"{milestone} finished" if deadline else "longest gap between updates"
        measures.append(
            Measure(
                slo.name,
                f"{'within' if deadline else 'every'} {format_duration(slo.limit_s)} ({what})",
                share(slo.met, runs),
                _css(slo.met, runs),
                _spread_cells(slo.measure),
                histogram_chart(
                    f"hist-slo-{number}",
                    f"{slo.name}: {what}",
                    slo.values,
                    slo.limit_s,
                    "deadline" if deadline else "limit",
                ),
            )
        )
    return measures


def _budget_view(budget: Budget, report: MonteCarlo, labels: _Labels) -> BudgetView:
    measure = next((slo.measure for slo in report.slos if slo.name == budget.slo), None)
    reached = f"{budget.reached} runs reached it"
    if measure is not None:
        reached += f", at a median of {_p(measure, 50)} and a mean of "
        reached += format_duration(measure.mean)
    caption = (
        f"{budget.slo}: {budget.milestone} within {format_duration(budget.limit_s)} — "
        f"{reached}. Each step's time from the previous step on the milestone's chain to its "
        "own finish (slot waits and retries included): the means add up to the milestone's "
        "mean; bars are the median against the deadline."
    )
    rows = tuple(
        labels.row(
            c.element,
            (
                format_duration(c.median_s),
                format_duration(c.p90_s),
                format_duration(c.mean_s),
                share(c.on_chain, budget.reached),
            ),
            _width(c.median_s, budget.limit_s),
        )
        for c in budget.contributions
    )
    return BudgetView(budget.slo, caption, rows)


def _comparison(report: MonteCarlo, variants: Sequence[Compared]) -> Comparison | None:
    if not variants:
        return None
    heads, rows = comparison_table(report, variants)
    baseline = rows[0][1]
    return Comparison(
        tuple(heads),
        tuple(
            (
                name,
                tuple(Cell(f.text(), *f.change(b)) for f, b in zip(cells, baseline, strict=True)),
            )
            for name, cells in rows
        ),
        tuple((w.name, w.description) for w, _ in variants),
    )


def render_montecarlo_html(report: MonteCarlo, variants: Sequence[Compared] = ()) -> str:
    from compiler.templating import render_template

    return render_template("montecarlo.html.j2", page=page_model(report, variants))
