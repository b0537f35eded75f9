"""Judging a finished run: SLO verdicts (WF501, WF502) and the scenario's expectations.

A deadline is judged on when its milestone (`until`, by default the end of the workflow)
finished. A cadence is judged on the gaps between the run's start, every finish of a matching
step, and the run's end (or its `until` milestone): the longest gap must not exceed `every`.
Every verdict's detail names the measured time, the milestone and the margin.
"""

from __future__ import annotations

from dataclasses import replace

from compiler.diagnostics import Diagnostic, Related
from compiler.durations import format_duration
from compiler.simulate.objectives import SloPlan
from compiler.simulate.result import ExpectationResult, RunResult, SloVerdict
from compiler.simulate.rules import cadence_violated, slo_exceeded


def judge_run(result: RunResult) -> RunResult:
    """Fill in `slos`, `expectations` and the SLO diagnostics of `result` (returns it)."""
    result.diagnostics.extend(result.plan.warnings)
    for slo in result.plan.slos:
        verdict = (
            judge_deadline(result, slo) if slo.kind == "deadline" else judge_cadence(result, slo)
        )
        result.slos.append(verdict)
    result.expectations.extend(check_expectations(result))
    return result


def milestone_name(slo: SloPlan) -> str:
    return slo.until or "the workflow"


def margin_text(margin_s: float, limit: str) -> str:
    """`2m inside the 30m objective` / `8m over the 30m objective`."""
    if margin_s >= 0:
        return f"{format_duration(margin_s)} inside {limit}"
    return f"{format_duration(-margin_s)} over {limit}"


def judge_deadline(result: RunResult, slo: SloPlan) -> SloVerdict:
    milestone = result.finished.get(slo.until or "end")
    met = milestone is not None and milestone <= slo.limit_s
    name = milestone_name(slo)
    limit = f"the {format_duration(slo.limit_s)} objective"
    margin = None if milestone is None else slo.limit_s - milestone
    if milestone is None or margin is None:
        detail = (
            f"{name} never finished in this run (objective: within {format_duration(slo.limit_s)})"
        )
    else:
        detail = f"{name} finished at {format_duration(milestone)}, {margin_text(margin, limit)}"
    verdict = SloVerdict(
        slo.name,
        "deadline",
        "met" if met else "missed",
        slo.limit_s,
        milestone,
        slo.until,
        slo.source,
        detail,
        slo.note,
        margin,
    )
    if not met:
        related = _element_related(result, slo.until)
        report_miss(
            result,
            slo,
            slo_exceeded(slo.file, slo.span, slo.name, slo.limit_s, name, milestone, related),
        )
    return verdict


def report_miss(result: RunResult, slo: SloPlan, diagnostic: Diagnostic) -> None:
    """A missed objective is an error, unless the scenario expects it to be missed (a
    rehearsal of the bad day): then it is an info saying so, and the run still passes."""
    if dict(result.plan.expect.slos).get(slo.name) == "missed":
        diagnostic = replace(
            diagnostic,
            severity="info",
            message=f"{diagnostic.message} (expected by the scenario)",
        )
    result.diagnostics.append(diagnostic)


def cadence_points(result: RunResult, slo: SloPlan) -> tuple[list[float], float]:
    """The update times (start, matching finishes) and the horizon they are judged up to."""
    horizon = result.finished.get(slo.until) if slo.until else None
    if horizon is None:
        horizon = result.total_s
    times = sorted(t for step in slo.steps for t in result.step_finishes.get(step, ()))
    return [0.0, *(t for t in times if t <= horizon)], horizon


def judge_cadence(result: RunResult, slo: SloPlan) -> SloVerdict:
    points, horizon = cadence_points(result, slo)
    edges = [*points, horizon]
    gaps = [(edges[i], edges[i + 1]) for i in range(len(edges) - 1)]
    longest = max(gaps, key=lambda gap: gap[1] - gap[0])
    too_long = [gap for gap in gaps if gap[1] - gap[0] > slo.limit_s]
    updates = len(points) - 1
    horizon_name = f"{slo.until} finished" if slo.until else "the end of the run"
    longest_s = longest[1] - longest[0]
    detail = (
        f"longest gap {format_duration(longest_s)} ({gap_text(longest)}), "
        f"{margin_text(slo.limit_s - longest_s, f'the {format_duration(slo.limit_s)} interval')}; "
        f"{updates} update{'s' if updates != 1 else ''} up to {format_duration(horizon)} "
        f"({horizon_name})"
    )
    if len(too_long) > 1:
        over = ", ".join(gap_text(gap) for gap in too_long)
        detail += f"; gaps over {format_duration(slo.limit_s)}: {over}"
    verdict = SloVerdict(
        slo.name,
        "cadence",
        "missed" if too_long else "met",
        slo.limit_s,
        longest_s,
        slo.until,
        slo.source,
        detail,
        slo.note,
        slo.limit_s - longest_s,
    )
    if too_long:
        related = tuple(
            Related(file=result.plan.document_path, line=span.line, message=f"{step} sends updates")
            for step in sorted(slo.steps)
            if (span := result.plan.index.span(step)) is not None
        )
        report_miss(
            result,
            slo,
            cadence_violated(slo.file, slo.span, slo.name, slo.limit_s, too_long, related),
        )
    return verdict


def gap_text(gap: tuple[float, float]) -> str:
    start = "start" if gap[0] == 0 else format_duration(gap[0])
    return f"{start}–{format_duration(gap[1])}"


def _element_related(result: RunResult, element: str | None) -> tuple[Related, ...]:
    if element is None:
        return ()
    span = result.plan.index.span(element)
    if span is None:
        return ()
    when = result.finished.get(element)
    said = f"finished at {format_duration(when)}" if when is not None else "never finished"
    return (Related(file=result.plan.document_path, line=span.line, message=f"{element} {said}"),)


def check_expectations(result: RunResult) -> list[ExpectationResult]:
    """The scenario's `expect`, plus the implicit ones: the run completes and every SLO is met
    unless `expect` says otherwise."""
    expect = result.plan.expect
    checks: list[ExpectationResult] = []
    wanted_status = expect.status or "completed"
    checks.append(
        ExpectationResult(
            "status", result.status == wanted_status, wanted_status, _status_text(result)
        )
    )
    if expect.path is not None:
        checks.append(
            ExpectationResult(
                "path",
                tuple(result.path) == expect.path,
                " → ".join(expect.path) or "(no decision)",
                " → ".join(result.path) or "(no decision)",
            )
        )
    if expect.finishes_within is not None:
        checks.append(
            ExpectationResult(
                "finishes_within",
                result.status == "completed" and result.total_s <= expect.finishes_within,
                f"≤ {format_duration(expect.finishes_within)}",
                format_duration(result.total_s),
            )
        )
    expected_slos = dict(expect.slos)
    for verdict in result.slos:
        wanted = expected_slos.get(verdict.name, "met")
        checks.append(
            ExpectationResult(
                f"slo {verdict.name}", verdict.status == wanted, wanted, verdict.status
            )
        )
    statuses: dict[str, str] = {}
    for activity in result.activities:
        if activity.kind == "step":
            statuses[activity.id] = activity.status
    for step_id, wanted in expect.steps:
        actual = statuses.get(step_id, "not run")
        checks.append(ExpectationResult(f"step {step_id}", actual == wanted, wanted, actual))
    return checks


def _status_text(result: RunResult) -> str:
    return result.status if result.reason is None else f"{result.status} ({result.reason})"
