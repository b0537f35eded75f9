"""`drillbook simulate`: run a workflow on a virtual clock with a scenario's scripted agents."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from compiler.cli.common import (
    UsageProblem,
    echo_diagnostic_line,
    load,
    milestone_pins,
    write_output,
)
from compiler.model import Document
from compiler.simulate import LoadedScenario, RunResult, ScenarioError, plan_for, read_scenario, run
from compiler.simulate.bind import Plan
from compiler.simulate.discovery import (
    default_scenario,
    document_by_convention,
    document_from_workflow,
)
from compiler.simulate.gantt_page import render_html
from compiler.simulate.mermaid import render_mermaid
from compiler.simulate.montecarlo import MonteCarlo, monte_carlo
from compiler.simulate.report_json import render_json
from compiler.simulate.report_montecarlo import (
    Compared,
    render_montecarlo_json,
    render_montecarlo_text,
)
from compiler.simulate.report_text import render_text
from compiler.simulate.whatif import WhatIfError, what_if

#: The most Monte Carlo runs (chunked, so memory does not grow with them).
MAX_RUNS = 10_000_000
#: Runs from which a terminal shows a progress bar.
PROGRESS_FROM = 20_000
#: Runs beyond which falling back to the event engine is worth a note (it is slow, and its
#: memory grows with the runs).
SLOW_FROM = 100_000


@click.command("simulate")
@click.argument("doc", required=False)
@click.option(
    "-s",
    "--scenario",
    "scenario_path",
    help="Scenario file (YAML or JSON). Default: DOC's own DOC.scenario.yaml if there is one, "
    "else default durations.",
)
@click.option(
    "--runs",
    type=click.IntRange(1, MAX_RUNS),
    default=1,
    show_default=True,
    help="Monte Carlo: repeat the run with fresh draws from the duration distributions "
    "(at most 10,000,000; memory stays bounded).",
)
@click.option("--seed", type=int, help="Seed of the random draws (overrides the scenario's).")
@click.option(
    "--what-if",
    "what_ifs",
    multiple=True,
    metavar="VARIANT",
    help="With --runs: also run a variant, same seed, side by side with the baseline. "
    "no-failures: no step fails; slots+N: N more agent slots; faster:ID:P%: the step ID (or "
    "the steps inside phase/branch/path ID) P% faster, e.g. faster:phase-4:20%. Repeatable.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html", "mermaid"]),
    default="text",
    show_default=True,
    help="text: a timeline; json: steps, path, SLOs, trace, diagnostics; html: a Gantt page "
    "(with --runs: a Monte Carlo report page); mermaid: a Mermaid gantt chart.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here, not stdout.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="text: also show context reads and writes; with --runs: say which engine ran and why.",
)
def simulate_command(
    doc: str | None,
    scenario_path: str | None,
    runs: int,
    seed: int | None,
    what_ifs: tuple[str, ...],
    fmt: str,
    output: str | None,
    verbose: bool,
) -> int:
    """Rehearse a workflow on a virtual clock: no agent is called.

    Exit status: 0 when the run completes and every SLO and expectation holds, 1 when not
    (an SLO missed, an expectation failed, the run failed), 2 for a bad scenario or usage.
    """
    if runs > 1 and fmt == "mermaid":
        raise UsageProblem("--format mermaid shows one run; use text, json or html with --runs")
    if what_ifs and runs < 2:
        raise UsageProblem("--what-if compares Monte Carlo runs: add --runs N (say 1000)")
    try:
        loaded = _scenario(doc, scenario_path)
        document_path = _document_path(doc, loaded, scenario_path)
        if loaded is None and doc is not None:
            found = default_scenario(Path(doc))
            if found is not None:
                loaded = _read(str(found))
        document = load_document(document_path)
        if document is None:
            return 2
        plan = plan_for(document, loaded, seed=seed, milestones=milestone_pins(document_path))
    except ScenarioError as exc:
        raise UsageProblem(exc.describe()) from None
    if runs > 1:
        try:
            variants = [what_if(plan, spec) for spec in what_ifs]
        except WhatIfError as exc:
            raise UsageProblem(str(exc)) from None
        # The budget walks every run's chain: only the HTML page shows it.
        budget = fmt == "html"
        labelled = [("runs", plan), *((f"what-if {v.name}", v.plan) for v in variants)]
        reports = [
            _monte_carlo(p, runs, plan.seed, budget, label, verbose) for label, p in labelled
        ]
        report, compared = reports[0], list(zip(variants, reports[1:], strict=True))
        write_output(output, _render_runs(report, compared, fmt))
        return 0 if report.all_passed else 1
    result = run(plan)
    write_output(output, _render(result, fmt, verbose))
    return 0 if result.passed else 1


def _monte_carlo(
    plan: Plan, runs: int, seed: int, budget: bool, label: str, verbose: bool
) -> MonteCarlo:
    """Monte Carlo runs, with a progress bar on a terminal for long ones (never in a pipe)."""
    stream = sys.stderr
    if runs > SLOW_FROM:
        from compiler.simulate.batch_plan import compile_plan

        reason = compile_plan(plan, budget=budget)
        if isinstance(reason, str):
            click.echo(
                f"drillbook: note: {label}: the event engine runs these {runs} runs one by one, "
                f"a few thousand a second, and keeps every run's figures ({reason})",
                err=True,
            )
    if runs < PROGRESS_FROM or not stream.isatty():
        report = monte_carlo(plan, runs, seed, budget=budget)
    else:
        with click.progressbar(length=runs, label=label, file=stream) as bar:

            def advance(done: int) -> None:
                bar.update(done)

            report = monte_carlo(plan, runs, seed, budget=budget, progress=advance)
    if verbose:
        click.echo(f"drillbook: {label}: {engine_line(report)}", err=True)
    return report


def engine_line(report: MonteCarlo) -> str:
    """Which engine ran the runs, and why (what --verbose prints)."""
    if report.engine == "batch":
        return "batch engine (vectorised: every feature of this plan allows it)"
    return f"event engine ({report.engine_reason})"


def _render(result: RunResult, fmt: str, verbose: bool) -> str:
    if fmt == "json":
        return render_json(result)
    if fmt == "html":
        return render_html(result)
    if fmt == "mermaid":
        return render_mermaid(result)
    return render_text(result, verbose=verbose)


def _render_runs(report: MonteCarlo, compared: list[Compared], fmt: str) -> str:
    if fmt == "json":
        return render_montecarlo_json(report, compared)
    if fmt == "html":
        from compiler.simulate.report_montecarlo_html import render_montecarlo_html

        return render_montecarlo_html(report, compared)
    return render_montecarlo_text(report, compared)


def _read(path: str) -> LoadedScenario:
    return read_scenario(Path(path), path)


def _scenario(doc: str | None, scenario_path: str | None) -> LoadedScenario | None:
    if scenario_path is None:
        if doc is None:
            raise UsageProblem("name a document, a --scenario, or both")
        return None
    return _read(scenario_path)


def _note_other_document(doc: str, loaded: LoadedScenario, scenario_path: str) -> None:
    """The scenario was written for another document (its `workflow:` key, or the name it
    carries beside one): say so, since its step ids will not fit."""
    named = loaded.scenario.workflow
    target = (
        document_from_workflow(Path(scenario_path), named)
        if named
        else document_by_convention(Path(scenario_path))
    )
    if target is not None and target.resolve() != Path(doc).resolve():
        click.echo(
            f"drillbook: note: {scenario_path} is written for {target}; simulating {doc}, "
            "the document given on the command line",
            err=True,
        )


def _document_path(
    doc: str | None, loaded: LoadedScenario | None, scenario_path: str | None
) -> str:
    if doc is not None:
        if loaded is not None and scenario_path is not None:
            _note_other_document(doc, loaded, scenario_path)
        return doc
    assert loaded is not None and scenario_path is not None
    workflow = loaded.scenario.workflow
    if workflow:
        return str(document_from_workflow(Path(scenario_path), workflow))
    found = document_by_convention(Path(scenario_path))
    if found is None:
        raise UsageProblem(
            f"{scenario_path} has no `workflow:` key and no document beside it: name the document"
        )
    return str(found)


def load_document(path: str) -> Document | None:
    """The parsed document, or None after printing why it cannot be read."""
    loaded = load(path)
    if loaded.problem is not None:
        echo_diagnostic_line(loaded.problem)
        return None
    return loaded.document
