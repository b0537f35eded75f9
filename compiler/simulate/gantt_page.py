"""The Gantt page of a simulated run (`drillbook simulate --format html`): the timeline in
both layouts (the phone's is shown by a media query, so the page needs no script), the
summary, the objectives, the expectations, the diagnostics and the trace."""

from __future__ import annotations

from dataclasses import dataclass

from compiler.diagnostics import sorted_diagnostics
from compiler.durations import format_duration
from compiler.simulate.gantt import STACKED, Chart, chart_model
from compiler.simulate.report_text import clock, diagnostic_line
from compiler.simulate.result import RunResult


@dataclass
class Summary:
    label: str
    value: str
    css: str = ""


@dataclass
class Page:
    title: str
    document: str
    scenario: str
    chart: Chart
    narrow_chart: Chart  # the same timeline with labels above the bars, for phones
    summary: list[Summary]
    slos: list[dict[str, str]]
    expectations: list[dict[str, str]]
    diagnostics: list[str]
    trace: list[dict[str, str]]
    notes: list[str]
    verdict: str
    verdict_css: str


def _objective_word(kind: str) -> str:
    return "within" if kind == "deadline" else "every"


def page_model(result: RunResult) -> Page:
    plan = result.plan
    outcome = result.status if result.reason is None else f"{result.status}: {result.reason}"
    summary = [
        Summary("Total", format_duration(result.total_s)),
        Summary("Outcome", outcome, "ok" if result.status == "completed" else "bad"),
        Summary("Path taken", " → ".join(result.path) or "(no decision)"),
        Summary("Seed", str(result.seed)),
    ]
    slos = [
        {
            "name": v.name,
            "objective": f"{_objective_word(v.kind)} {format_duration(v.limit_s)}",
            "status": v.status,
            "detail": v.detail,
            "note": v.note or "",
            "source": v.source,
        }
        for v in result.slos
    ]
    expectations = [
        {
            "name": c.name,
            "status": "ok" if c.held else "failed",
            "expected": c.expected,
            "actual": c.actual,
        }
        for c in result.expectations
    ]
    trace = [
        {"time": clock(e.time_s), "kind": e.kind, "id": e.id, "message": e.message}
        for e in result.trace
    ]
    return Page(
        title=plan.workflow.title or plan.document_path,
        document=plan.document_path,
        scenario=plan.scenario_file or "(none: default durations)",
        chart=chart_model(result),
        narrow_chart=chart_model(result, "gantt-narrow-", STACKED),
        summary=summary,
        slos=slos,
        expectations=expectations,
        diagnostics=[diagnostic_line(d) for d in sorted_diagnostics(result.diagnostics)],
        trace=trace,
        notes=list(plan.notes),
        verdict="Passed" if result.passed else "Failed",
        verdict_css="ok" if result.passed else "bad",
    )


def render_html(result: RunResult) -> str:
    from compiler.templating import render_template

    page = page_model(result)
    return render_template("gantt.html.j2", page=page, chart=page.chart)
