"""The text report of a simulated run: a timeline a person reads top to bottom, then the path,
the critical path, the objectives, the expectations and the diagnostics (compiler style)."""

from __future__ import annotations

from compiler.diagnostics import Diagnostic, sorted_diagnostics
from compiler.durations import format_duration
from compiler.simulate.result import RunResult

#: Events shown in the timeline unless `verbose` (context reads and writes are in JSON).
_QUIET = frozenset({"read", "write"})


def clock(seconds: float) -> str:
    """`H:MM:SS` from the start of the run (fractions of a second are rounded)."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def render_text(result: RunResult, *, verbose: bool = False) -> str:
    plan = result.plan
    lines = [f"Simulated run of {plan.document_path}"]
    if plan.workflow.title:
        lines.append(f"  workflow  {plan.workflow.title}")
    scenario = plan.scenario_file or "(none: default durations)"
    lines.append(f"  scenario  {scenario}  (seed {result.seed})")
    if plan.max_parallel is not None:
        lines.append(f"  agents    at most {plan.max_parallel} at once")
    for note in plan.notes:
        lines.append(f"  note      {note}")
    lines.append("")
    events = [e for e in result.trace if verbose or e.kind not in _QUIET]
    width = max((len(e.id) for e in events), default=4)
    for event in events:
        lines.append(
            f"  {clock(event.time_s)}  {event.kind:<10} {event.id:<{width}}  {event.message}"
        )
    lines.append("")
    lines.append(f"Path taken     {' → '.join(result.path) if result.path else '(no decision)'}")
    if result.critical:
        lines.append(f"Critical path  {' → '.join(result.critical)}")
    outcome = result.status if result.reason is None else f"{result.status}: {result.reason}"
    lines.append(f"Total          {format_duration(result.total_s)} ({outcome})")
    if result.slos:
        lines.append("")
        lines.append("Objectives")
        name_width = max(len(v.name) for v in result.slos)
        limits = [
            f"{'within' if v.kind == 'deadline' else 'every'} {format_duration(v.limit_s)}"
            for v in result.slos
        ]
        limit_width = max(len(limit) for limit in limits)
        expected = {c.name[4:]: c.held for c in result.expectations if c.name.startswith("slo ")}
        for verdict, limit in zip(result.slos, limits, strict=True):
            mark = "met   " if verdict.status == "met" else "MISSED"
            detail = verdict.detail
            if verdict.status == "missed" and expected.get(verdict.name):
                mark = "missed"  # and expected to be: not a failure of this scenario
                detail += " (expected by the scenario)"
            lines.append(
                f"  {mark}  {verdict.name:<{name_width}}  {limit:<{limit_width}}  {detail}"
            )
            if verdict.note:
                pad = " " * (6 + 2 + name_width + 2 + limit_width + 2)
                lines.append(f"  {pad}({verdict.note})")
    shown = [c for c in result.expectations if not c.name.startswith("slo ")]
    if shown:
        lines.append("")
        lines.append("Expectations")
        name_width = max(len(c.name) for c in shown)
        for check in shown:
            mark = "ok    " if check.held else "FAILED"
            detail = (
                check.actual if check.held else f"expected {check.expected}, got {check.actual}"
            )
            lines.append(f"  {mark}  {check.name:<{name_width}}  {detail}")
    diagnostics = sorted_diagnostics(result.diagnostics)
    if diagnostics:
        lines.append("")
        lines.extend(diagnostic_line(d) for d in diagnostics)
    lines.append("")
    lines.append("PASSED" if result.passed else "FAILED: " + failure_summary(result))
    return "\n".join(lines) + "\n"


def diagnostic_line(diagnostic: Diagnostic) -> str:
    return (
        f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}: {diagnostic.severity} "
        f"{diagnostic.code} {diagnostic.rule}: {diagnostic.message}"
    )


def failure_summary(result: RunResult) -> str:
    failed = [c for c in result.expectations if not c.held]
    details = {verdict.name: verdict.detail for verdict in result.slos}
    parts = []
    for check in failed:
        if check.name.startswith("slo "):
            name = check.name[4:]
            parts.append(f"SLO {name!r} {check.actual} ({details.get(name, 'not judged')})")
        elif check.name == "status":
            parts.append(f"the run {check.actual}")
        else:
            parts.append(f"{check.name} expected {check.expected}, got {check.actual}")
    return "; ".join(parts)
