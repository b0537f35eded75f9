"""Freezing drafts into the immutable model, with stable, readable ids: `phase-3/branch-c`,
`phase-2/path-a`, `phase-1/step-2`, and a container's only step shares its id."""

from __future__ import annotations

from compiler.model import (
    Block,
    Branch,
    Checkpoint,
    DecisionBlock,
    DecisionPath,
    LoopBlock,
    ParallelBlock,
    Phase,
    Step,
)
from compiler.parse.builder import (
    BlockDraft,
    CheckpointDraft,
    DecisionDraft,
    LoopBlockDraft,
    ParallelDraft,
    PhaseDraft,
    StepDraft,
    extend,
)
from compiler.parse.patterns import slug, without_stray_markup
from compiler.parse.structure import structure


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
    implicit_count = sum(1 for phase in phases if phase.implicit and not phase.appended)
    for phase in phases:
        if phase.implicit:
            alone = implicit_count == 1 and not phase.appended
            phase_id = ids.take("main" if alone else slug(phase.title or "main"))
            prefix = "" if phase_id == ids.prefix + "main" else phase_id + "/"
        else:
            phase_id = ids.take(f"phase-{slug(phase.label or str(phase.number or 0))}")
            prefix = phase_id + "/"
        blocks = _freeze_blocks(structure(phase), phase_id, prefix, ids)
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
                provenance=phase.provenance,
            )
        )
    return tuple(frozen)


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
                    provenance=block.provenance,
                )
            )
            continue
        label = branch.label or chr(ord("A") + index)
        branch_id = ids.take(prefix.removeprefix(ids.prefix) + f"branch-{slug(label)}")
        inner = _freeze_blocks(structure(branch), branch_id, branch_id + "/", ids)
        branches.append(
            Branch(
                id=branch_id,
                label=label,
                title=branch.title,
                blocks=inner,
                notes=tuple(branch.notes),
                span=branch.span,
                provenance=branch.provenance,
            )
        )
    return ParallelBlock(
        id=parallel_id,
        title=block.title,
        branches=tuple(branches),
        span=block.span,
        provenance=block.provenance,
        fan_out=block.fan_out,
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
        inner = _freeze_blocks(structure(path), path_id, path_id + "/", ids)
        paths.append(
            DecisionPath(
                id=path_id,
                role=path.role,
                label=path.label or name,
                title=without_stray_markup(path.title) or path.title,
                condition=without_stray_markup(path.condition),
                condition_span=path.condition_span,
                is_default=path.role == "else" or path.default,
                blocks=inner,
                notes=tuple(path.notes),
                span=path.span,
                provenance=path.provenance,
            )
        )
    return DecisionBlock(
        id=decision_id,
        question=block.question,
        paths=tuple(paths),
        span=block.span,
        provenance=block.provenance,
    )


def _freeze_checkpoint(block: CheckpointDraft, prefix: str, ids: IdAllocator) -> Checkpoint:
    if block.label:
        checkpoint_id = ids.take(f"phase-checkpoint-{slug(block.label)}")
    else:
        checkpoint_id = ids.take(prefix.removeprefix(ids.prefix) + "checkpoint")
    return Checkpoint(
        id=checkpoint_id,
        title=block.title,
        gate=block.gate,
        span=block.span,
        provenance=block.provenance,
    )


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
        label_provenance=step.label_provenance,
        title=step.title,
        agent=step.agent,
        agent_span=step.agent_span,
        model=step.model,
        description=step.description,
        prompt=step.prompt,
        prompt_span=step.prompt_span,
        optional=step.optional,
        condition=without_stray_markup(step.condition),
        applicability=step.applicability,
        background=step.background,
        produces=tuple(step.produces),
        consumes=tuple(step.consumes),
        fields=tuple(step.fields),
        notes=tuple(step.notes),
        span=step.span,
        provenance=step.provenance,
    )
