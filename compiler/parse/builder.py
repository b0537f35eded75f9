"""Mutable drafts of the model, filled in by the recogniser and frozen once at the end.

Freezing is where the structure the prose describes becomes typed: steps labelled 1A/1B,
steps "in parallel with Step 5" and background calls become parallel blocks, "return to
Step 3 … max 2 iterations" becomes a loop, and every element gets its stable id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from compiler.model import (
    Block,
    Branch,
    Checkpoint,
    DecisionBlock,
    DecisionPath,
    Field_,
    Item,
    LoopBlock,
    Note,
    ParallelBlock,
    Phase,
    Reference,
    Span,
    Step,
)
from compiler.parse.patterns import slug


def extend(span: Span, other: Span) -> Span:
    """The smallest span covering both."""
    start = min((span.line, span.column), (other.line, other.column))
    end = max((span.end_line, span.end_column), (other.end_line, other.end_column))
    return Span(line=start[0], column=start[1], end_line=end[0], end_column=end[1])


@dataclass
class StepDraft:
    title: str
    span: Span
    label: str | None = None
    from_heading: bool = False
    named_step: bool = False  # the heading says "Step N", not just "N."
    agent: str | None = None
    agent_span: Span | None = None
    model: str | None = None
    description: str | None = None
    prompt: str | None = None
    prompt_span: Span | None = None
    optional: bool = False
    condition: str | None = None
    applicability: str | None = None
    background: bool = False
    produces: list[Item] = field(default_factory=list)
    consumes: list[Reference] = field(default_factory=list)
    fields: list[Field_] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    parallel_with: str | None = None
    loop_to: str | None = None
    loop_until: str | None = None
    loop_when: str | None = None
    loop_max: int | None = None
    loop_text: str | None = None
    loop_span: Span | None = None
    titled_by_agent: bool = False
    route: str | None = None  # one of several alternatives ("Python issues → …")
    route_question: str | None = None  # the heading the routing list stands under

    def grow(self, span: Span) -> None:
        self.span = extend(self.span, span)


@dataclass
class ContainerDraft:
    span: Span
    blocks: list[BlockDraft] = field(default_factory=list)
    parallel_hint: bool = False

    def grow(self, span: Span) -> None:
        self.span = extend(self.span, span)

    def steps(self) -> list[StepDraft]:
        return [block for block in self.blocks if isinstance(block, StepDraft)]


@dataclass
class PhaseDraft(ContainerDraft):
    title: str = ""
    number: int | None = None
    label: str | None = None
    implicit: bool = False
    notes: list[Note] = field(default_factory=list)


@dataclass
class BranchDraft(ContainerDraft):
    label: str = ""
    title: str = ""


@dataclass
class ParallelDraft:
    span: Span
    title: str | None = None
    branches: list[BranchDraft] = field(default_factory=list)
    heading_level: int = 0


@dataclass
class PathDraft(ContainerDraft):
    role: Literal["path", "if", "elif", "else"] = "path"
    default: bool = False  # "Path A: Traditional (Default)"
    label: str = ""
    title: str = ""
    condition: str | None = None
    condition_span: Span | None = None


@dataclass
class DecisionDraft:
    span: Span
    question: str | None = None
    paths: list[PathDraft] = field(default_factory=list)


@dataclass
class CheckpointDraft:
    span: Span
    title: str
    gate: Literal["approval", "question", "wait"] = "approval"
    label: str | None = None


@dataclass
class LoopBlockDraft:
    """Blocks from a "return to Step N" target up to the step that says it."""

    body: list[BlockDraft]
    closer: StepDraft


BlockDraft = StepDraft | ParallelDraft | DecisionDraft | CheckpointDraft | LoopBlockDraft


# --- freezing ---------------------------------------------------------------------------


class IdAllocator:
    """Hands out unique ids; a clash gets `-2`, `-3`… so ids stay stable and readable."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.used: set[str] = set()

    def take(self, wanted: str) -> str:
        wanted = self.prefix + wanted
        candidate = wanted
        counter = 2
        while candidate in self.used:
            candidate = f"{wanted}-{counter}"
            counter += 1
        self.used.add(candidate)
        return candidate


def freeze_phases(phases: list[PhaseDraft], ids: IdAllocator) -> tuple[Phase, ...]:
    frozen: list[Phase] = []
    implicit_count = sum(1 for phase in phases if phase.implicit)
    for phase in phases:
        if phase.implicit:
            phase_id = ids.take("main" if implicit_count == 1 else slug(phase.title or "main"))
            prefix = "" if phase_id == ids.prefix + "main" else phase_id + "/"
        else:
            phase_id = ids.take(f"phase-{(phase.label or str(phase.number or 0)).lower()}")
            prefix = phase_id + "/"
        blocks = _freeze_blocks(_structure(phase), phase_id, prefix, ids)
        frozen.append(
            Phase(
                id=phase_id,
                number=phase.number,
                label=phase.label,
                title=phase.title,
                implicit=phase.implicit,
                blocks=blocks,
                notes=tuple(phase.notes),
                span=phase.span,
            )
        )
    return tuple(frozen)


def _structure(container: ContainerDraft) -> list[BlockDraft]:
    """Turn prose structure (1A/1B labels, "in parallel with Step N", background calls,
    "return to Step N") into parallel groups and loops, in document order."""
    blocks = _group_parallel(container)
    return _group_loops(_group_routes(blocks))


@dataclass
class _AutoParallel:
    """A parallel group formed from steps (each step is its own branch)."""

    steps: list[StepDraft]
    title: str | None = None


def _group_parallel(container: ContainerDraft) -> list[BlockDraft]:
    blocks: list[BlockDraft | _AutoParallel] = []
    only_steps = all(isinstance(block, StepDraft) for block in container.blocks)
    if container.parallel_hint and only_steps and len(container.blocks) >= 2:
        steps = [block for block in container.blocks if isinstance(block, StepDraft)]
        return [_as_parallel_draft(_AutoParallel(steps))]
    for block in container.blocks:
        previous = blocks[-1] if blocks else None
        if isinstance(block, StepDraft) and _joins(previous, block):
            if isinstance(previous, _AutoParallel):
                previous.steps.append(block)
            elif isinstance(previous, StepDraft):
                blocks[-1] = _AutoParallel([previous, block])
            continue
        blocks.append(block)
    return [_as_parallel_draft(b) if isinstance(b, _AutoParallel) else b for b in blocks]


def _joins(previous: BlockDraft | _AutoParallel | None, step: StepDraft) -> bool:
    if previous is None:
        return False
    members = previous.steps if isinstance(previous, _AutoParallel) else [previous]
    if not all(isinstance(member, StepDraft) for member in members):
        return False
    steps = [member for member in members if isinstance(member, StepDraft)]
    last = steps[-1]
    if step.parallel_with and any(
        (member.label or "").lower() == step.parallel_with.lower() for member in steps
    ):
        return True
    if step.background and last.background:
        return True
    return _letter_pair(last.label, step.label)


def _letter_pair(left: str | None, right: str | None) -> bool:
    """Labels like 1A and 1B (or 4a…4d): the same number with different letters."""
    if not left or not right:
        return False
    a = re.fullmatch(r"(\d+(?:\.\d+)*)([a-z])", left.lower())
    b = re.fullmatch(r"(\d+(?:\.\d+)*)([a-z])", right.lower())
    return bool(a and b and a.group(1) == b.group(1) and a.group(2) != b.group(2))


def _as_parallel_draft(group: _AutoParallel) -> ParallelDraft:
    span = group.steps[0].span
    for step in group.steps[1:]:
        span = extend(span, step.span)
    branches = [
        BranchDraft(span=step.span, blocks=[step], label="", title=step.title)
        for step in group.steps
    ]
    return ParallelDraft(span=span, title=group.title, branches=branches, heading_level=-1)


def _group_routes(blocks: list[BlockDraft]) -> list[BlockDraft]:
    """Consecutive alternative steps ("Python issues → python-pro", "### For Code Errors")
    form one decision whose paths are the alternatives; a lone one is a conditional step."""
    out: list[BlockDraft] = []
    run: list[StepDraft] = []

    def flush() -> None:
        if len(run) == 1:
            run[0].optional = True
            run[0].condition = run[0].condition or run[0].route
            out.append(run[0])
        elif run:
            span = run[0].span
            for step in run[1:]:
                span = extend(span, step.span)
            paths = [
                PathDraft(
                    span=step.span,
                    blocks=[step],
                    role="path",
                    label=chr(ord("A") + index) if index < 26 else str(index + 1),
                    title=step.route or step.title,
                    condition=step.route,
                )
                for index, step in enumerate(run)
            ]
            for step in run:
                step.route = None  # the path now carries the condition
            question = next((step.route_question for step in run if step.route_question), None)
            out.append(DecisionDraft(span=span, question=question, paths=paths))
        run.clear()

    for block in blocks:
        if isinstance(block, StepDraft) and block.route:
            run.append(block)
            continue
        flush()
        out.append(block)
    flush()
    return out


def _group_loops(blocks: list[BlockDraft]) -> list[BlockDraft]:
    out: list[BlockDraft] = []
    for block in blocks:
        out.append(block)
        closer = block if isinstance(block, StepDraft) else None
        if closer is None or closer.loop_to is None:
            continue
        target = closer.loop_to.lower()
        for index in range(len(out) - 1, -1, -1):
            candidate = out[index]
            if _first_label(candidate) == target:
                body = out[index:]
                del out[index:]
                out.append(LoopBlockDraft(body=list(body), closer=closer))
                break
    return out


def _first_label(block: object) -> str | None:
    if isinstance(block, StepDraft):
        return (block.label or "").lower() or None
    if isinstance(block, ParallelDraft) and block.branches and block.branches[0].blocks:
        return _first_label(block.branches[0].blocks[0])
    if isinstance(block, LoopBlockDraft) and block.body:
        return _first_label(block.body[0])
    return None


def _freeze_blocks(
    blocks: list[BlockDraft], container_id: str, prefix: str, ids: IdAllocator
) -> tuple[Block, ...]:
    steps = [b for b in blocks if isinstance(b, StepDraft)]
    lone = len(steps) == 1 and not steps[0].from_heading and container_id != ids.prefix + "main"
    counters: dict[str, int] = {}
    ordinal = 0
    frozen: list[Block] = []
    for block in blocks:
        if isinstance(block, StepDraft):
            ordinal += 1
            if lone:
                step_id = container_id  # a container's only step shares its id
            else:
                step_id = ids.take(
                    f"{prefix.removeprefix(ids.prefix)}step-{_label_id(block, ordinal)}"
                )
            frozen.append(_freeze_step(block, step_id))
        elif isinstance(block, ParallelDraft):
            frozen.append(_freeze_parallel(block, prefix, ids, counters))
        elif isinstance(block, DecisionDraft):
            frozen.append(_freeze_decision(block, prefix, ids, counters))
        elif isinstance(block, CheckpointDraft):
            frozen.append(_freeze_checkpoint(block, prefix, ids))
        elif isinstance(block, LoopBlockDraft):
            frozen.append(_freeze_loop(block, container_id, prefix, ids, counters))
    return tuple(frozen)


def _label_id(step: StepDraft, ordinal: int) -> str:
    if step.label:
        return slug(step.label)
    return str(ordinal)


def _numbered(kind: str, prefix: str, ids: IdAllocator, counters: dict[str, int]) -> str:
    counters[kind] = counters.get(kind, 0) + 1
    count = counters[kind]
    base = prefix.removeprefix(ids.prefix) + kind
    return ids.take(base if count == 1 else f"{base}-{count}")


def _freeze_parallel(
    block: ParallelDraft, prefix: str, ids: IdAllocator, counters: dict[str, int]
) -> ParallelBlock:
    parallel_id = _numbered("parallel", prefix, ids, counters)
    branches: list[Branch] = []
    for index, branch in enumerate(block.branches):
        if block.heading_level == -1:
            # An automatic group: each branch is one step and takes that step's id.
            step = branch.blocks[0]
            assert isinstance(step, StepDraft)
            step_id = ids.take(
                prefix.removeprefix(ids.prefix) + f"step-{_label_id(step, index + 1)}"
            )
            frozen_step = _freeze_step(step, step_id)
            branches.append(
                Branch(
                    id=step_id,
                    label=step.label or str(index + 1),
                    title=branch.title,
                    blocks=(frozen_step,),
                    span=branch.span,
                )
            )
            continue
        label = branch.label or chr(ord("A") + index)
        branch_id = ids.take(prefix.removeprefix(ids.prefix) + f"branch-{slug(label)}")
        inner = _freeze_blocks(_structure(branch), branch_id, branch_id + "/", ids)
        branches.append(
            Branch(id=branch_id, label=label, title=branch.title, blocks=inner, span=branch.span)
        )
    return ParallelBlock(
        id=parallel_id, title=block.title, branches=tuple(branches), span=block.span
    )


def _freeze_decision(
    block: DecisionDraft, prefix: str, ids: IdAllocator, counters: dict[str, int]
) -> DecisionBlock:
    decision_id = _numbered("decision", prefix, ids, counters)
    paths: list[DecisionPath] = []
    elif_count = 0
    for index, path in enumerate(block.paths):
        if path.role == "if":
            name = "if"
        elif path.role == "elif":
            elif_count += 1
            name = f"elif-{elif_count}"
        elif path.role == "else":
            name = "else"
        else:
            name = f"path-{slug(path.label or chr(ord('a') + index))}"
        path_id = ids.take(prefix.removeprefix(ids.prefix) + name)
        inner = _freeze_blocks(_structure(path), path_id, path_id + "/", ids)
        paths.append(
            DecisionPath(
                id=path_id,
                role=path.role,
                label=path.label or name,
                title=path.title,
                condition=path.condition,
                condition_span=path.condition_span,
                is_default=path.role == "else" or path.default,
                blocks=inner,
                span=path.span,
            )
        )
    return DecisionBlock(
        id=decision_id, question=block.question, paths=tuple(paths), span=block.span
    )


def _freeze_checkpoint(block: CheckpointDraft, prefix: str, ids: IdAllocator) -> Checkpoint:
    if block.label:
        checkpoint_id = ids.take(f"phase-checkpoint-{slug(block.label)}")
    else:
        checkpoint_id = ids.take(prefix.removeprefix(ids.prefix) + "checkpoint")
    return Checkpoint(id=checkpoint_id, title=block.title, gate=block.gate, span=block.span)


def _freeze_loop(
    block: LoopBlockDraft,
    container_id: str,
    prefix: str,
    ids: IdAllocator,
    counters: dict[str, int],
) -> LoopBlock:
    loop_id = _numbered("loop", prefix, ids, counters)
    body = _freeze_blocks(block.body, container_id, prefix, ids)
    closer = block.closer
    span = closer.loop_span or closer.span
    for member in block.body:
        if isinstance(member, StepDraft | ParallelDraft | LoopBlockDraft):
            first = member.span if not isinstance(member, LoopBlockDraft) else member.closer.span
            span = extend(span, first)
    return LoopBlock(
        id=loop_id,
        until=closer.loop_until,
        repeat_when=closer.loop_when,
        max_iterations=closer.loop_max,
        body=body,
        text=closer.loop_text or "",
        span=span,
    )


def _freeze_step(step: StepDraft, step_id: str) -> Step:
    return Step(
        id=step_id,
        label=step.label,
        title=step.title,
        agent=step.agent,
        agent_span=step.agent_span,
        model=step.model,
        description=step.description,
        prompt=step.prompt,
        prompt_span=step.prompt_span,
        optional=step.optional,
        condition=step.condition,
        applicability=step.applicability,
        background=step.background,
        produces=tuple(step.produces),
        consumes=tuple(step.consumes),
        fields=tuple(step.fields),
        notes=tuple(step.notes),
        span=step.span,
    )
