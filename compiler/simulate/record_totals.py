"""Does a recorded run add up? The record's own recovery total ("Total Resolution Time: 25
minutes") against its phase durations up to the step that restores service (the recovery
milestone): a replay can follow only one of them, so a difference is reported (WF503) and the
replay follows the phases, which say where the time went."""

from __future__ import annotations

from collections.abc import Mapping

from compiler.diagnostics import Diagnostic
from compiler.durations import format_duration
from compiler.model import Document, RecordedPhase
from compiler.simulate.index import WorkflowIndex
from compiler.simulate.milestone import Milestone, infer_milestone, recovery_milestone
from compiler.simulate.objectives import is_recovery_objective, short_name
from compiler.simulate.rules import results_mismatch

#: Names of a recorded metric that is the time to recovery.
RECOVERY_TOTALS = (
    "resolution time",
    "recovery time",
    "time to resolve",
    "time to resolution",
    "time to recover",
    "time to restore",
    "mttr",
)


def recovery_milestone_of(
    document: Document, index: WorkflowIndex, pins: Mapping[str, str]
) -> Milestone:
    """The milestone of the document's recovery objective (inferred when it states none)."""
    for requirement in document.requirements:
        if requirement.kind == "duration" and is_recovery_objective(requirement):
            name = short_name(requirement.name)
            return recovery_milestone(index, name, requirement.text, pins)
    return infer_milestone(index)


def total_mismatches(
    document: Document,
    index: WorkflowIndex,
    matched: Mapping[str, RecordedPhase],
    pins: Mapping[str, str],
) -> list[Diagnostic]:
    """WF503 for each recorded recovery total that its phases up to the milestone contradict."""
    record = document.recorded_run
    if record is None:
        return []
    milestone = recovery_milestone_of(document, index, pins)
    if milestone.element is None:
        return []
    last_phase = index.elements[milestone.element][0].phase
    parts: list[tuple[str, int]] = []
    for phase in index.workflow.phases:
        recorded = matched.get(phase.id)
        if recorded is None or recorded.duration_s is None:
            return []  # the phases do not give a total to compare with
        parts.append((f"Phase {phase.number}" if phase.number else phase.id, recorded.duration_s))
        if phase.id == last_phase:
            break
    phases_total = sum(seconds for _, seconds in parts)
    found = []
    for metric in record.metrics:
        name = metric.name.lower()
        if metric.kind != "duration" or metric.seconds is None:
            continue
        if not any(total in name for total in RECOVERY_TOTALS):
            continue
        if metric.seconds == phases_total:
            continue
        added = " + ".join(f"{label} {format_duration(s)}" for label, s in parts)
        found.append(
            results_mismatch(
                document.path,
                metric.span,
                f"the record's {metric.name!r} is {format_duration(metric.seconds)}, but its "
                f"phases add up to {format_duration(phases_total)} by the end of "
                f"{milestone.element} ({index.title(milestone.element)}), where service is "
                f"restored ({added}); the replay follows the phases",
                metric.name,
            )
        )
    return found
