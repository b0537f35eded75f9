"""Text and JSON reports of a Monte Carlo simulation (`drillbook simulate --runs N`), and the
what-if comparison table the text and HTML reports share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from compiler import __version__
from compiler.durations import format_duration
from compiler.simulate.montecarlo import MonteCarlo
from compiler.simulate.report_json import dump, number
from compiler.simulate.stats import Spread
from compiler.simulate.whatif import WhatIf

#: A what-if variant and what its runs gave.
Compared = tuple[WhatIf, MonteCarlo]

_BAR_WIDTH = 40


def share(count: int, runs: int) -> str:
    """`count` of `runs` as a percentage with one decimal."""
    return f"{100 * count / runs:.1f}%"


def _spread_text(value: Spread | None) -> str:
    if value is None:
        return "no run measured it"
    parts = [f"p{rank} {format_duration(seconds)}" for rank, seconds in value.percentiles]
    parts.append(f"min {format_duration(value.minimum)}")
    parts.append(f"max {format_duration(value.maximum)}")
    return "  ".join(parts)


def outcome_lines(report: MonteCarlo) -> list[str]:
    """`completed 918`, then per other outcome the elements that caused it:
    `failed 82 runs: phase-4 74, phase-3/branch-b 8`."""
    lines = [f"completed {report.statuses.get('completed', 0)}"]
    for status, count in report.statuses.items():
        if status == "completed":
            continue
        causes = ", ".join(f"{s.element} {s.runs}" for s in report.stops if s.status == status)
        lines.append(f"{status} {count} run{'s' if count != 1 else ''}: {causes}")
    return lines


@dataclass(frozen=True)
class Figure:
    """One cell of the what-if comparison: a percentage of runs, or a time in seconds (None:
    no run measured it)."""

    kind: Literal["percent", "time"]
    value: float | None

    def text(self) -> str:
        if self.value is None:
            return "–"
        return f"{self.value:.1f}%" if self.kind == "percent" else format_duration(self.value)

    def change(self, baseline: Figure) -> tuple[str, str]:
        """How this differs from the baseline's figure, and whether that is `better`,
        `worse` or the `same` (more runs meeting an objective is better, more time worse)."""
        if self.value is None or baseline.value is None:
            return "", "same"
        delta = self.value - baseline.value
        if self.kind == "percent":
            text, delta = f"{delta:+.1f} pt".replace("-", "−"), round(delta, 1)
        else:
            text = ("+" if delta > 0 else "−") + format_duration(abs(delta))
            delta = -round(delta)  # less time is better
        if delta == 0:
            return "", "same"
        return text, "better" if delta > 0 else "worse"


def comparison_table(
    report: MonteCarlo, variants: Sequence[Compared]
) -> tuple[list[str], list[tuple[str, list[Figure]]]]:
    """Headings and rows (baseline first) comparing the variants on what the objectives ask."""
    heads = ["variant", "completed", "total p50", "total p90"]
    for slo in report.slos:
        heads.append(f"{slo.name} met")
        if slo.kind == "deadline":
            heads.append(f"{slo.name} p90")
    rows = []
    for name, result in [("baseline", report), *((w.name, r) for w, r in variants)]:
        runs = result.runs
        cells = [_percent(result.statuses.get("completed", 0), runs)]
        cells += [_time(result.total, 50), _time(result.total, 90)]
        for slo in result.slos:
            cells.append(_percent(slo.met, runs))
            if slo.kind == "deadline":
                cells.append(_time(slo.measure, 90))
        rows.append((name, cells))
    return heads, rows


def _percent(count: int, runs: int) -> Figure:
    return Figure("percent", 100 * count / runs)  # the arithmetic of `share`: the same text


def _time(value: Spread | None, rank: int) -> Figure:
    return Figure("time", None if value is None else value.at(rank))


def render_montecarlo_text(report: MonteCarlo, variants: Sequence[Compared] = ()) -> str:
    plan = report.plan
    runs = report.runs
    lines = [
        f"Monte Carlo: {runs} runs of {plan.document_path} (seed {report.seed})",
        f"  scenario  {plan.scenario_file or '(none: default durations)'}",
    ]
    first, *others = outcome_lines(report)
    lines.append(f"  runs      {first}")
    lines.extend(f"            {line}" for line in others)
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
                f"  {head:<{width}}  {share(slo.met, runs):>6} met   "
                f"{measure}: {_spread_text(slo.measure)}"
            )
    if report.critical:
        lines.append("")
        lines.append("On the critical path (share of runs)")
        for step_id, count in report.critical[:10]:
            lines.append(f"  {share(count, runs):>6}  {step_id}")
    if any(path for path, _ in report.paths):
        lines.append("")
        lines.append("Paths taken")
        for path, count in report.paths:
            lines.append(f"  {share(count, runs):>6}  {' → '.join(path) or '(no decision)'}")
    if variants:
        lines.append("")
        lines.append(f"What if (each variant: {runs} runs, seed {report.seed})")
        heads, figures = comparison_table(report, variants)
        rows = [[name, *(cell.text() for cell in cells)] for name, cells in figures]
        widths = [max(len(row[i]) for row in [heads, *rows]) for i in range(len(heads))]
        for row in [heads, *rows]:
            cells = [row[0].ljust(widths[0])]
            cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
            lines.append("  " + "  ".join(cells).rstrip())
        for variant, _ in variants:
            lines.append(f"  {variant.name}: {variant.description}")
    lines.append("")
    lines.append("Expectations (share of runs in which each held)")
    for name, expected, count in report.expectations:
        wanted = expected if expected.startswith("≤") else f"= {expected}"
        lines.append(f"  {share(count, runs):>6}  {name} {wanted}")
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


def render_montecarlo_json(report: MonteCarlo, variants: Sequence[Compared] = ()) -> str:
    data = _montecarlo_data(report)
    if variants:
        data["what_if"] = [
            {"name": w.name, "description": w.description, **_montecarlo_data(r)}
            for w, r in variants
        ]
    return dump(data)


def _montecarlo_data(report: MonteCarlo) -> dict[str, Any]:
    runs = report.runs
    return {
        "drillbook": __version__,
        "document": report.plan.document_path,
        "scenario": report.plan.scenario_file,
        "runs": runs,
        "seed": report.seed,
        "passed": report.passed,
        "statuses": report.statuses,
        "stopped_by": [
            {"status": stop.status, "id": stop.element, "runs": stop.runs} for stop in report.stops
        ],
        "step_failures": [
            {"id": f.step, "failed_runs": f.failed, "retried_runs": f.retried}
            for f in report.failures
        ],
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
