"""Objectives a run is judged against (SLOs): as a scenario states them, or as the document's
requirements imply them when the scenario is silent.

A document says `**RTO (Recovery Time Objective)**: 30 minutes` but rarely which step ends
recovery: `compiler.simulate.milestone` pins or infers it (and the note says which and why). An
`updates every 15 minutes` duty needs the steps that send the updates; without a scenario
naming them, the steps whose agent, id or title mention communication, update or status.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from compiler.model import Document, Requirement, Span
from compiler.simulate.index import WorkflowIndex
from compiler.simulate.milestone import Milestone, recovery_milestone

#: Words that mark a step as the one doing the recurring updates, when a scenario does not say.
CADENCE_WORDS = ("communicat", "update", "status")


@dataclass(frozen=True)
class SloPlan:
    name: str
    kind: Literal["deadline", "cadence"]
    limit_s: float
    until: str | None  # None: the end of the workflow
    steps: frozenset[str]  # cadence: the steps whose finishes count
    file: str  # where the objective was written (scenario or document)
    span: Span
    source: Literal["scenario", "document"]
    note: str | None = None


def matching_steps(index: WorkflowIndex, glob: str) -> list[str]:
    """Steps whose id or agent matches `glob` (case-insensitive)."""
    pattern = glob.lower()
    return [
        step_id
        for step_id, step in index.steps.items()
        if fnmatch.fnmatchcase(step_id.lower(), pattern)
        or (step.agent and fnmatch.fnmatchcase(step.agent.lower(), pattern))
    ]


def cadence_steps(index: WorkflowIndex) -> list[str]:
    """Steps that look like they send the updates a cadence requires."""
    return [
        step_id
        for step_id, step in index.steps.items()
        if any(
            word in text.lower()
            for word in CADENCE_WORDS
            for text in (step_id, step.agent or "", step.title)
        )
    ]


def cadence_note(steps: list[str]) -> str:
    if not steps:
        return (
            "no step looks like it sends updates (agent, id or title mentioning "
            "communication, update or status), so the gap is the whole run"
        )
    return "updates are taken to be the finishes of " + ", ".join(steps)


def is_recovery_objective(requirement: Requirement) -> bool:
    name = requirement.name.lower()
    return name.startswith("rto") or "recovery time" in name


def short_name(name: str) -> str:
    """`RTO (Recovery Time Objective)` → `RTO`."""
    return name.split("(")[0].strip() or name


def document_slos(
    document: Document, index: WorkflowIndex, pins: Mapping[str, str] | None = None
) -> tuple[tuple[SloPlan, ...], list[str]]:
    """The SLOs the document's requirements imply, and notes saying how they are judged.
    `pins` maps an objective's name to its milestone (from the configuration)."""
    plans: list[SloPlan] = []
    notes: list[str] = []
    for requirement in document.requirements:
        if requirement.seconds is None:
            continue
        if requirement.kind == "duration" and is_recovery_objective(requirement):
            name = short_name(requirement.name)
            milestone = recovery_milestone(index, name, requirement.text, pins or {})
            notes.append(milestone.reason)
            plans.append(
                _requirement_slo(
                    document.path, requirement, "deadline", milestone.reason, [], milestone.element
                )
            )
        elif requirement.kind == "cadence":
            steps = cadence_steps(index)
            note = cadence_note(steps)
            notes.append(f"{short_name(requirement.name)} cadence: {note}")
            plans.append(_requirement_slo(document.path, requirement, "cadence", note, steps))
    return tuple(plans), notes


def known_milestone(
    document: Document, index: WorkflowIndex, name: str, pins: Mapping[str, str] | None = None
) -> tuple[Milestone, str] | None:
    """The milestone of the objective `name` as the document or the configuration knows it
    (the recovery objective the document states under that name, with its pin or the
    inferred step; or the configuration's `milestones` entry), for a scenario deadline that
    names no `until:`, with who knows it ("the document", "the configuration"). None when
    neither knows an objective of that name."""
    wanted = name.strip().lower()
    for requirement in document.requirements:
        if (
            requirement.seconds is not None
            and requirement.kind == "duration"
            and is_recovery_objective(requirement)
            and short_name(requirement.name).lower() == wanted
        ):
            milestone = recovery_milestone(index, name, requirement.text, pins or {})
            return milestone, "the document"
    if any(key.lower() == wanted for key in (pins or {})):
        return recovery_milestone(index, name, "", pins or {}), "the configuration"
    return None


def _requirement_slo(
    file: str,
    requirement: Requirement,
    kind: Literal["deadline", "cadence"],
    note: str,
    steps: list[str] | None = None,
    until: str | None = None,
) -> SloPlan:
    assert requirement.seconds is not None
    return SloPlan(
        short_name(requirement.name),
        kind,
        float(requirement.seconds),
        until,
        frozenset(steps or ()),
        file,
        requirement.span,
        "document",
        note,
    )
