"""Where a recovery objective (RTO) is measured to: the step that restores service.

A document that says `**RTO**: 30 minutes` rarely says which step ends recovery, and judging
it at the end of the workflow counts the post-incident review against the outage. So, unless
the scenario (`until:`), the document (`30 minutes, until Phase 4`) or the configuration
(`milestones = {RTO = "phase-4"}`) pins it, the milestone is inferred: the last step whose
title or agent says it restores service (resolution, recovery, mitigation, rollback…), not
counting steps that say they validate, communicate, document or review. When no step says so,
the objective stays judged at the end of the workflow, and the note says why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from compiler.simulate.index import WorkflowIndex
from compiler.simulate.recovery_words import AFTER_RECOVERY, Purpose, purposes_of

#: How a document pins the milestone in the requirement's own text: `30 minutes, until Phase 4`,
#: `30 minutes (ends at phase-4)`, `30 minutes (hasta Fase 4)`.
_PIN = re.compile(
    r"(?:\buntil\b|\bends? (?:at|with)\b|\bhasta\b|\baté\b|jusqu'(?:à|au)|\bbis\b)[:\s]+"
    r"(?P<target>[^();,]+)",
    re.IGNORECASE,
)
_PHASE_NUMBER = re.compile(r"^(?:phase|fase|etappe|этап|aşama)\s*(\d+)\b", re.IGNORECASE)

How = Literal["document", "config", "inferred", "end"]


@dataclass(frozen=True)
class Milestone:
    element: str | None  # None: the end of the workflow
    how: How
    reason: str


def document_pin(text: str) -> str | None:
    """The milestone a requirement's text names (`30 minutes, until Phase 4` → `Phase 4`)."""
    found = _PIN.search(text)
    return found.group("target").strip().rstrip(".") if found else None


def resolve_element(index: WorkflowIndex, written: str) -> str | None:
    """An element id from an id (`phase-4`), a phase number (`Phase 4`) or a title."""
    if written in index.elements:
        return written
    number = _PHASE_NUMBER.match(written)
    if number and f"phase-{number.group(1)}" in index.elements:
        return f"phase-{number.group(1)}"
    wanted = _words(written)
    titled = [e for e, found in index.elements.items() if _words(found[0].title) == wanted]
    return titled[0] if len(titled) == 1 else None


def recovery_milestone(
    index: WorkflowIndex, name: str, text: str, pins: Mapping[str, str]
) -> Milestone:
    """The milestone of recovery objective `name` whose requirement reads `text`."""
    pinned: tuple[tuple[How, str | None], ...] = (
        ("document", document_pin(text)),
        ("config", _config_pin(name, pins)),
    )
    for how, written in pinned:
        if written is None:
            continue
        element = resolve_element(index, written)
        where = "the document" if how == "document" else "the configuration"
        if element is not None:
            return Milestone(
                element, how, f"{name} ends at {element} ({index.title(element)}), as {where} says"
            )
        inferred = infer_milestone(index)
        return Milestone(
            inferred.element,
            inferred.how,
            f"{where} says {name} ends at {written!r}, which names no phase or step here; "
            + inferred.reason,
        )
    inferred = infer_milestone(index)
    return Milestone(inferred.element, inferred.how, f"{name} {inferred.reason}")


def infer_milestone(index: WorkflowIndex) -> Milestone:
    """The last step that restores service, and why (see the module docstring)."""
    purposes = {step_id: step_purpose(index, step_id) for step_id in index.steps}
    recovering = [s for s, (purpose, _, _) in purposes.items() if purpose == "recovery"]
    if not recovering:
        return Milestone(
            None,
            "end",
            "is judged at the end of the workflow: no step's title or agent says it restores "
            "service (resolution, recovery, mitigation, rollback, …)",
        )
    last = recovering[-1]
    element = _finishing_element(index, last)
    _, word, where = purposes[last]
    later = _later_work(index, purposes, last)
    after = f"; after it come {later}" if later else ""
    return Milestone(
        element,
        "inferred",
        f"ends at {element} ({index.title(element)}): the last step that restores service "
        f"({word!r} in its {where}){after}",
    )


def step_purpose(index: WorkflowIndex, step_id: str) -> tuple[Purpose | None, str, str]:
    """What a step is for (recovery or after-recovery work), the word that says so and where
    it was read: the step's own title and agent first, then the titles that hold it."""
    step = index.steps[step_id]
    texts = [("title or agent", f"{step.title} {step.agent or ''}")]
    container = index.containers.get(step_id)
    while container is not None:
        kind = index.kinds(container)[0]
        texts.append((f"{kind} title", index.title(container)))
        container = index.containers.get(container)
    for where, text in texts:
        found = purposes_of(text)
        for purpose in (*AFTER_RECOVERY, "recovery"):
            if purpose in found:
                return purpose, found[purpose], where
    return None, "", ""


def _finishing_element(index: WorkflowIndex, step_id: str) -> str:
    """The element whose finish means recovery is done: the step itself, or the decision it
    is a path of (whichever path the run takes ends recovery)."""
    container = index.containers.get(step_id)
    while container is not None:
        if "path" in index.kinds(container):
            return index.path_decision[container]
        container = index.containers.get(container)
    return step_id


def _later_work(
    index: WorkflowIndex, purposes: dict[str, tuple[Purpose | None, str, str]], last: str
) -> str:
    """`phase-5 (validation, communication, documentation), phase-6 (post-incident)`."""
    order = index.step_order[last]
    phase = index.step_phase[last]
    by_phase: dict[str, list[str]] = {}
    for step_id, (purpose, _, _) in purposes.items():
        # the later phases only: a parallel sibling of the milestone runs beside it, not after
        if index.step_order[step_id] > order and index.step_phase[step_id] != phase:
            kinds = by_phase.setdefault(index.step_phase[step_id], [])
            label = purpose or "other work"
            if label not in kinds:
                kinds.append(label)
    return ", ".join(f"{phase} ({', '.join(kinds)})" for phase, kinds in by_phase.items())


def _config_pin(name: str, pins: Mapping[str, str]) -> str | None:
    lowered = {key.lower(): value for key, value in pins.items()}
    return lowered.get(name.lower())


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))
