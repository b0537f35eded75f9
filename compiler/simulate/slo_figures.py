"""One compact phrase per objective of a run, for lines that only say "passed": the measured
time (or longest gap), its milestone, the limit and the margin, as `drillbook test` prints
under a PASS and puts in a JUnit test case's output."""

from __future__ import annotations

from compiler.durations import format_duration
from compiler.simulate.result import RunResult, SloVerdict


def slo_figures(result: RunResult) -> str:
    """`RTO 28m32s to phase-4 (limit 45m), 16m28s to spare; updates longest gap 38m (every
    20m), 18m over, missed as expected`; "" for a run with no objectives."""
    expected = {check.name[4:] for check in result.expectations if check.name.startswith("slo ")}
    return "; ".join(_figure(verdict, verdict.name in expected) for verdict in result.slos)


def _figure(verdict: SloVerdict, expected: bool) -> str:
    limit = format_duration(verdict.limit_s)
    if verdict.kind == "cadence":
        measured = (
            f"longest gap {format_duration(verdict.actual_s)}"
            if verdict.actual_s is not None
            else "no gap measured"
        )
        text = f"{verdict.name} {measured} (every {limit})"
    else:
        if verdict.actual_s is None:
            measured = f"{verdict.until or 'end'} never reached"
        else:
            milestone = f" to {verdict.until}" if verdict.until else ""
            measured = f"{format_duration(verdict.actual_s)}{milestone}"
        text = f"{verdict.name} {measured} (limit {limit})"
    if verdict.margin_s is not None:
        margin = format_duration(abs(verdict.margin_s))
        text += f", {margin} to spare" if verdict.margin_s >= 0 else f", {margin} over"
    if verdict.status == "missed":
        text += ", missed as expected" if expected else ", missed"
    return text
