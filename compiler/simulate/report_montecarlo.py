"""Text and JSON reports of a Monte Carlo simulation (`drillbook simulate --runs N`)."""

from __future__ import annotations

from typing import Any

from compiler import __version__
from compiler.durations import format_duration
from compiler.simulate.montecarlo import MonteCarlo, Spread
from compiler.simulate.report_json import dump, number

_BAR_WIDTH = 40


def _share(count: int, runs: int) -> str:
    return f"{100 * count / runs:.1f}%"


def _spread_text(value: Spread | None) -> str:
    if value is None:
        return "no run measured it"
    parts = [f"p{rank} {format_duration(seconds)}" for rank, seconds in value.percentiles]
    parts.append(f"min {format_duration(value.minimum)}")
    parts.append(f"max {format_duration(value.maximum)}")
    return "  ".join(parts)


def render_montecarlo_text(report: MonteCarlo) -> str:
    plan = report.plan
    runs = report.runs
    lines = [
        f"Monte Carlo: {runs} runs of {plan.document_path} (seed {report.seed})",
        f"  scenario  {plan.scenario_file or '(none: default durations)'}",
    ]
    outcome = ", ".join(f"{status} {count}" for status, count in report.statuses.items())
    lines.append(f"  runs      {outcome}")
    lines.append("")
    lines.append(f"Total time (completed runs)  {_spread_text(report.total)}")
    if report.histogram:
        peak = max(b.count for b in report.histogram)
        spans = [f"{format_duration(b.low)}–{format_duration(b.high)}" for b in report.histogram]
        width = max(len(span) for span in spans)
        lines.append("")
        for span, bucket in zip(spans, report.histogram, strict=True):
            # A bucket with any run in it shows at least one block.
            bar = "█" * max(round(_BAR_WIDTH * bucket.count / peak), 1 if bucket.count else 0)
            lines.append(f"  {span:>{width}}  {bar:<{_BAR_WIDTH}} {bucket.count}")
    if report.slos:
        lines.append("")
        lines.append("Objectives (share of runs that meet each, and its measure across runs)")
        heads = [
            f"{slo.name} {'within' if slo.kind == 'deadline' else 'every'} "
            f"{format_duration(slo.limit_s)}"
            for slo in report.slos
        ]
        width = max(len(head) for head in heads)
        for head, slo in zip(heads, report.slos, strict=True):
            measure = "milestone" if slo.kind == "deadline" else "longest gap"
            lines.append(
                f"  {head:<{width}}  {_share(slo.met, runs):>6} met   "
                f"{measure}: {_spread_text(slo.measure)}"
            )
    if report.critical:
        lines.append("")
        lines.append("On the critical path (share of runs)")
        for step_id, count in report.critical[:10]:
            lines.append(f"  {_share(count, runs):>6}  {step_id}")
    if any(path for path, _ in report.paths):
        lines.append("")
        lines.append("Paths taken")
        for path, count in report.paths:
            lines.append(f"  {_share(count, runs):>6}  {' → '.join(path) or '(no decision)'}")
    lines.append("")
    lines.append("Expectations (share of runs in which each held)")
    for name, expected, count in report.expectations:
        wanted = expected if expected.startswith("≤") else f"= {expected}"
        lines.append(f"  {_share(count, runs):>6}  {name} {wanted}")
    lines.append("")
    verdict = (
        "every run passed"
        if report.all_passed
        else (f"{runs - report.passed} of {runs} runs failed an expectation or an SLO")
    )
    lines.append(("PASSED: " if report.all_passed else "FAILED: ") + verdict)
    return "\n".join(lines) + "\n"


def _spread_data(value: Spread | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "count": value.count,
        **{f"p{rank}": number(seconds) for rank, seconds in value.percentiles},
        "min": number(value.minimum),
        "max": number(value.maximum),
        "mean": number(value.mean),
    }


def render_montecarlo_json(report: MonteCarlo) -> str:
    runs = report.runs
    data = {
        "drillbook": __version__,
        "document": report.plan.document_path,
        "scenario": report.plan.scenario_file,
        "runs": runs,
        "seed": report.seed,
        "passed": report.passed,
        "statuses": report.statuses,
        "total_s": _spread_data(report.total),
        "histogram": [
            {"from_s": number(b.low), "to_s": number(b.high), "count": b.count}
            for b in report.histogram
        ],
        "slos": [
            {
                "name": slo.name,
                "kind": slo.kind,
                "limit_s": number(slo.limit_s),
                "probability_met": round(slo.met / runs, 4),
                "actual_s": _spread_data(slo.measure),
            }
            for slo in report.slos
        ],
        "critical_steps": [
            {"id": step_id, "share": round(count / runs, 4)} for step_id, count in report.critical
        ],
        "paths": [
            {"path": list(path), "share": round(count / runs, 4)} for path, count in report.paths
        ],
        "expectations": [
            {"name": name, "expected": expected, "probability_held": round(count / runs, 4)}
            for name, expected, count in report.expectations
        ],
        "notes": report.notes,
    }
    return dump(data)
