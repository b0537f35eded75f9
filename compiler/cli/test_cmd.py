"""`drillbook test PATH…`: run the scenarios of documents, check expectations and coverage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from compiler.cli.common import UsageProblem, expand_paths, load, milestone_pins, write_output
from compiler.diagnostics import sorted_diagnostics
from compiler.durations import format_duration
from compiler.model import Document
from compiler.simulate.discovery import SUFFIXES, is_scenario_file
from compiler.simulate.index import main_workflow
from compiler.simulate.report_json import dump, number
from compiler.simulate.report_text import diagnostic_line, failure_summary
from compiler.simulate.slo_figures import slo_figures
from compiler.simulate.testing import (
    DocumentReport,
    ScenarioOutcome,
    Suite,
    collect,
    find_scenarios,
    run_suite,
)


@click.command("test")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--fail-under-coverage",
    type=click.FloatRange(0, 100),
    metavar="PCT",
    help="Fail when less than PCT percent of all decision paths are taken by some scenario.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit"]),
    default="text",
    show_default=True,
    help="junit: JUnit XML for CI test reports (one test case per scenario).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here, not stdout.")
def test_command(
    paths: tuple[str, ...], fail_under_coverage: float | None, fmt: str, output: str | None
) -> int:
    """Run every scenario of the documents in PATHs and report decision-path coverage.

    PATH is a folder (its *.md documents and every scenario file in it), a document (with the
    DOC.scenario.yaml, DOC.NAME.scenario.yaml and DOC.scenarios/* files beside it) or a
    scenario file. Exit status: 0 all passed, 1 a scenario failed or coverage is under
    --fail-under-coverage, 2 a scenario or document could not be read.
    """
    documents: list[str] = []
    scenarios: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            documents.extend(expand_paths([raw]))
            scenarios.extend(find_scenarios(path))
        elif path.is_file() and (is_scenario_file(path) or path.suffix.lower() in SUFFIXES):
            scenarios.append(raw)
        elif path.exists():
            documents.append(raw)
        else:
            raise UsageProblem(f"no such file or directory: {raw}")
    groups, problems = collect(documents, list(scenarios))
    cache: dict[str, Document | None] = {}

    def load_document(path: str) -> Document | None:
        if path not in cache:
            loaded = load(path) if Path(path).exists() else None
            cache[path] = loaded.document if loaded is not None else None
        return cache[path]

    suite = run_suite(groups, load_document, milestone_pins)
    suite.errors.extend(problems)
    shown = [d for d in suite.documents if _worth_showing(d, load_document)]
    if fmt == "junit":
        from compiler.simulate.report_junit import format_junit

        text = format_junit(suite, shown)
    elif fmt == "json":
        text = _json(suite, shown)
    else:
        text = _text(suite, shown, fail_under_coverage)
    write_output(output, text)
    if suite.errors or any(o.error for o in suite.outcomes) or any(d.problem for d in shown):
        return 2
    failed = any(not o.passed for o in suite.outcomes)
    under = fail_under_coverage is not None and suite.coverage < fail_under_coverage
    return 1 if failed or under else 0


def _worth_showing(report: DocumentReport, load_document: Any) -> bool:
    """Documents without a workflow (a README in the folder) are not test subjects."""
    if report.outcomes or report.problem:
        return True
    document = load_document(report.path)
    return document is not None and main_workflow(document.workflows) is not None


def _outcome_line(outcome: ScenarioOutcome) -> str:
    if outcome.error is not None:
        return "  ERROR  " + outcome.error.replace("\n", "\n         ")
    result = outcome.result
    assert result is not None
    route = f", path {' → '.join(result.path)}" if result.path else ""
    summary = f"{outcome.name} — {format_duration(result.total_s)} {result.status}{route}"
    if outcome.passed:
        figures = slo_figures(result)
        line = f"  PASS   {outcome.file}  {summary}"
        return f"{line}\n         SLOs: {figures}" if figures else line
    return f"  FAIL   {outcome.file}  {summary}\n         {failure_summary(result)}"


def _coverage_line(report: DocumentReport) -> str:
    if not report.paths:
        return "  decision paths: none"
    share = 100 * report.covered / len(report.paths)
    return f"  decision paths: {report.covered}/{len(report.paths)} taken ({share:.0f}%)"


def _text(suite: Suite, shown: list[DocumentReport], threshold: float | None) -> str:
    lines: list[str] = []
    for report in shown:
        lines.append(report.path)
        if report.problem:
            lines.append(f"  ERROR  {report.problem}")
        if not report.outcomes and not report.problem:
            lines.append("  no scenarios (write one with `drillbook scenario init`)")
        lines.extend(_outcome_line(outcome) for outcome in report.outcomes)
        lines.append(_coverage_line(report))
    diagnostics = sorted_diagnostics([d for r in shown for d in r.diagnostics])
    if diagnostics:
        lines.append("")
        lines.extend(diagnostic_line(d) for d in diagnostics)
    for error in suite.errors:
        lines.append(f"drillbook: error: {error}")
    outcomes = [o for r in shown for o in r.outcomes]
    passed = sum(o.passed for o in outcomes)
    errors = sum(o.error is not None for o in outcomes)
    failed = len(outcomes) - passed - errors
    total = sum(len(r.paths) for r in shown)
    covered = sum(r.covered for r in shown)
    coverage = (
        f"decision-path coverage {suite.coverage:.0f}% ({covered}/{total})"
        if total
        else "no decision paths to cover"
    )
    lines.append("")
    lines.append(
        f"{len(outcomes)} scenario{'s' if len(outcomes) != 1 else ''} in {len(shown)} "
        f"document{'s' if len(shown) != 1 else ''}: {passed} passed, {failed} failed"
        + (f", {errors} unreadable" if errors else "")
        + f"; {coverage}"
    )
    if threshold is not None and suite.coverage < threshold:
        lines.append(f"FAILED: coverage {suite.coverage:.0f}% is under {threshold:g}%")
    return "\n".join(lines) + "\n"


def _json(suite: Suite, shown: list[DocumentReport]) -> str:
    documents = []
    for report in shown:
        scenarios = []
        for outcome in report.outcomes:
            entry: dict[str, Any] = {"file": outcome.file, "name": outcome.name}
            if outcome.error is not None:
                entry.update(passed=False, error=outcome.error)
            else:
                result = outcome.result
                assert result is not None
                # an SLO check carries its verdict's figures (time, milestone, margin)
                details = {verdict.name: verdict.detail for verdict in result.slos}
                entry.update(
                    passed=outcome.passed,
                    status=result.status,
                    total_s=number(result.total_s),
                    path=list(result.path),
                    # every objective's figures, passed or not (as the text's SLOs line)
                    slos=[
                        {
                            "name": v.name,
                            "kind": v.kind,
                            "status": v.status,
                            "limit_s": number(v.limit_s),
                            "actual_s": None if v.actual_s is None else number(v.actual_s),
                            "margin_s": None if v.margin_s is None else number(v.margin_s),
                            "until": v.until,
                        }
                        for v in result.slos
                    ],
                    failed_checks=[
                        {"name": c.name, "expected": c.expected, "actual": c.actual}
                        | ({"detail": details[c.name[4:]]} if c.name[4:] in details else {})
                        for c in result.expectations
                        if not c.held
                    ],
                )
            scenarios.append(entry)
        documents.append(
            {
                "path": report.path,
                "problem": report.problem,
                "scenarios": scenarios,
                "paths": {
                    "total": len(report.paths),
                    "taken": sorted(report.taken & set(report.paths)),
                },
                "diagnostics": [d.as_json() for d in sorted_diagnostics(report.diagnostics)],
            }
        )
    return dump(
        {
            "documents": documents,
            "errors": suite.errors,
            "coverage_percent": round(suite.coverage, 2),
            "passed": sum(o.passed for r in shown for o in r.outcomes),
            "scenarios": sum(len(r.outcomes) for r in shown),
        }
    )
