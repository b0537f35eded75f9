"""Two versions of a playbook compared as workflows, not as text (`drillbook diff`).

Steps are paired across the versions by what a reader recognises them by: the same id and
title first, then `compiler.step_matching` (title and agent, nearest position), then what
they read and produce. A paired step may be renamed, moved (to another phase, into or out
of a parallel block or decision path) or changed (agent, condition, the references its
prompt reads, its outputs); the rest were added or removed. Findings are compared by rule,
reference and step, so a line that moved is not a new finding; the objectives the host page
states are compared by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from compiler.checks import check_document
from compiler.checks.config import LintConfig
from compiler.diagnostics import Diagnostic
from compiler.model import (
    Block,
    DecisionBlock,
    Document,
    LoopBlock,
    ParallelBlock,
    Step,
    Workflow,
)
from compiler.step_matching import StepIdentity, find_step

Kind = Literal["added", "removed", "renamed", "moved", "changed"]


@dataclass(frozen=True)
class StepView:
    """A step as the comparison sees it."""

    id: str
    title: str
    agent: str | None
    phase: str  # the phase's id and title
    phase_title: str
    within: str  # "" or "parallel block", "decision path 'Path A'", "loop"
    condition: str | None
    reads: tuple[str, ...]
    produces: tuple[str, ...]
    line: int
    position: int

    @property
    def place(self) -> str:
        return f"{self.phase}" + (f" ({self.within})" if self.within else "")

    def identity(self) -> StepIdentity:
        return StepIdentity(self.id, self.title, self.agent, self.position)


@dataclass(frozen=True)
class StepChange:
    kind: Kind
    old: StepView | None
    new: StepView | None
    details: tuple[str, ...] = ()
    matched_by: str | None = None


@dataclass(frozen=True)
class RequirementChange:
    name: str
    old: str | None
    new: str | None


@dataclass
class Comparison:
    old_path: str
    new_path: str
    steps: list[StepChange] = field(default_factory=list)
    requirements: list[RequirementChange] = field(default_factory=list)
    gained: list[Diagnostic] = field(default_factory=list)  # findings only the new one has
    lost: list[Diagnostic] = field(default_factory=list)  # findings the new one fixed

    @property
    def new_errors(self) -> list[Diagnostic]:
        return [d for d in self.gained if d.severity == "error"]

    @property
    def unchanged(self) -> bool:
        return not (self.steps or self.requirements or self.gained or self.lost)


def compare(
    old: Document,
    new: Document,
    config: LintConfig | None = None,
    *,
    old_text: str | None = None,
    new_text: str | None = None,
) -> Comparison:
    result = Comparison(old.path, new.path)
    old_steps, new_steps = step_views(old), step_views(new)
    pairs = _pairs(old_steps, new_steps)
    result.steps = _step_changes(old_steps, new_steps, pairs)
    result.requirements = _requirement_changes(old, new)
    old_found = _findings(old, config, old_text)
    new_found = _findings(new, config, new_text)
    # A finding in an old step is keyed by the id of the new step it was paired with, so a
    # step renamed, moved or renumbered keeps its findings; one in a removed step cannot
    # match anything in the new version.
    now_called = {before.id: after.id for before, after, _ in pairs}
    old_keys = {
        _finding_key(d, old_steps, lambda id: now_called.get(id, f"removed {id}")): d
        for d in old_found
    }
    new_keys = {_finding_key(d, new_steps, lambda id: id): d for d in new_found}
    result.gained = [d for key, d in new_keys.items() if key not in old_keys]
    result.lost = [d for key, d in old_keys.items() if key not in new_keys]
    return result


def step_views(document: Document) -> list[StepView]:
    """Every step of the document's main workflow, in document order."""
    workflow = _main(document)
    if workflow is None:
        return []
    views: list[StepView] = []
    for phase in workflow.phases:
        for step, within in _walk(phase.blocks, ""):
            if any(v.id == step.id for v in views):
                continue  # a step shared by two paths is one step
            views.append(
                StepView(
                    id=step.id,
                    title=step.title,
                    agent=step.agent,
                    phase=f"{phase.id} '{phase.title}'",
                    phase_title=phase.title,
                    within=within,
                    condition=step.condition,
                    reads=tuple(sorted({r.text for r in step.consumes})),
                    produces=tuple(sorted({i.name for i in step.produces})),
                    line=step.span.line,
                    position=len(views),
                )
            )
    return views


def _main(document: Document) -> Workflow | None:
    with_steps = [w for w in document.workflows if any(p.blocks for p in w.phases)]
    return with_steps[0] if with_steps else None


def _walk(blocks: tuple[Block, ...], within: str) -> Iterator[tuple[Step, str]]:
    for block in blocks:
        if isinstance(block, Step):
            yield block, within
        elif isinstance(block, ParallelBlock):
            for branch in block.branches:
                yield from _walk(branch.blocks, "parallel block")
        elif isinstance(block, DecisionBlock):
            for path in block.paths:
                yield from _walk(path.blocks, f"decision path '{path.title or path.label}'")
        elif isinstance(block, LoopBlock):
            yield from _walk(block.body, "loop")


# --- pairing steps -------------------------------------------------------------------------


def _step_changes(
    old: list[StepView], new: list[StepView], pairs: list[tuple[StepView, StepView, str]]
) -> list[StepChange]:
    changes: list[StepChange] = []
    paired_new = {n.id for _, n, _ in pairs}
    paired_old = {o.id for o, _, _ in pairs}
    for before, after, how in pairs:
        change = _paired_change(before, after, how)
        if change is not None:
            changes.append(change)
    changes.extend(StepChange("removed", step, None) for step in old if step.id not in paired_old)
    changes.extend(StepChange("added", None, step) for step in new if step.id not in paired_new)
    order = {"removed": 0, "added": 1, "renamed": 2, "moved": 3, "changed": 4}
    return sorted(
        changes,
        key=lambda c: (
            (c.new or c.old).position if (c.new or c.old) else 0,  # type: ignore[union-attr]
            order[c.kind],
        ),
    )


def _pairs(old: list[StepView], new: list[StepView]) -> list[tuple[StepView, StepView, str]]:
    """Old and new steps that are the same step, each paired once."""
    pairs: list[tuple[StepView, StepView, str]] = []
    free = {step.id: step for step in new}
    # Same place and title (the common case: nothing happened to the step).
    for step in old:
        twin = free.get(step.id)
        if twin is not None and _words(twin.title) == _words(step.title):
            pairs.append((step, twin, "id and title"))
            del free[step.id]
    paired = {o.id for o, _, _ in pairs}
    # By title and agent, then by what the step reads and produces.
    for step in old:
        if step.id in paired:
            continue
        found = find_step(step.identity(), [s.identity() for s in free.values()])
        twin = free.get(found.step.id) if found is not None else None
        how: str = found.how if found is not None else ""
        if twin is None:
            twin, how = _same_io(step, list(free.values())), "what it reads and produces"
        if twin is not None:
            pairs.append((step, twin, how))
            paired.add(step.id)
            del free[twin.id]
    return pairs


def _same_io(step: StepView, candidates: list[StepView]) -> StepView | None:
    """The one candidate that produces what `step` produced (and reads what it read)."""
    if not step.produces:
        return None
    same = [c for c in candidates if c.produces == step.produces and c.reads == step.reads]
    return same[0] if len(same) == 1 else None


def _paired_change(before: StepView, after: StepView, how: str) -> StepChange | None:
    details: list[str] = []
    renamed = (
        _stated_title(before)
        and _stated_title(after)
        and _words(before.title) != _words(after.title)
    )
    # Phases are recognised by title: renumbering them moves nothing.
    moved = _words(before.phase_title) != _words(after.phase_title) or before.within != after.within
    if before.agent != after.agent:
        details.append(f"agent {before.agent or 'none'} → {after.agent or 'none'}")
    if before.condition != after.condition:
        details.append(f"condition {before.condition or 'none'} → {after.condition or 'none'}")
    details.extend(_set_change("reads", before.reads, after.reads))
    details.extend(_set_change("produces", before.produces, after.produces))
    if renamed:
        return StepChange("renamed", before, after, tuple(details), how)
    if moved:
        return StepChange("moved", before, after, tuple(details), how)
    if details:
        return StepChange("changed", before, after, tuple(details), how)
    return None


def _stated_title(step: StepView) -> bool:
    """Is the title the author's own? A step alone in its phase takes the phase's title and
    one without a heading its agent's name: when that changes, nothing was renamed."""
    derived = {_words(step.phase_title), _words(step.agent or "")}
    return _words(step.title) not in derived


def _set_change(what: str, before: tuple[str, ...], after: tuple[str, ...]) -> list[str]:
    gained = [item for item in after if item not in before]
    lost = [item for item in before if item not in after]
    parts = [f"+[{item}]" for item in gained] + [f"−[{item}]" for item in lost]
    return [f"{what} {' '.join(parts)}"] if parts else []


# --- requirements and findings -------------------------------------------------------------


def _requirement_changes(old: Document, new: Document) -> list[RequirementChange]:
    before = {r.name: r.text for r in old.requirements}
    after = {r.name: r.text for r in new.requirements}
    return [
        RequirementChange(name, before.get(name), after.get(name))
        for name in sorted(before.keys() | after.keys())
        if before.get(name) != after.get(name)
    ]


def _findings(document: Document, config: LintConfig | None, text: str | None) -> list[Diagnostic]:
    """The document's findings; none for a side that is empty (a file added or deleted
    between the versions, `/dev/null`): "no workflow found" there is not news."""
    if text is not None and not text.strip():
        return []
    return check_document(document, config, source=text if text is not None else "")


#: Line numbers and position ids change with every edit above them.
_POSITIONS = re.compile(r"\(?\blines? \d+\)?|:\d+\b|\b(?:phase|step)-\d+(?:/[\w-]+)*")


def _finding_key(
    diagnostic: Diagnostic, steps: list[StepView], step_key: Callable[[str], str]
) -> tuple[str, str, str]:
    """What makes a finding the same finding in both versions: its rule, what it is about
    (the reference, else its message without line numbers) and the step it sits in, known by
    `step_key` (the step's identity across the versions, from the step pairing) — not its
    line, which moves with every edit above it, nor its title, which a rename changes."""
    containing = [s for s in steps if s.line <= diagnostic.line]
    where = step_key(containing[-1].id) if containing else ""
    about = diagnostic.reference or _POSITIONS.sub("", diagnostic.message)
    return (diagnostic.code, about, where)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))
