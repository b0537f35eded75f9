"""The structure prose describes, made typed before freezing: steps labelled 1A/1B, steps
"in parallel with Step N" and background calls become parallel blocks; routing alternatives
become a decision; "return to Step N … max 2 retries" becomes a loop."""

from __future__ import annotations

import re
from dataclasses import dataclass

from compiler.parse.builder import (
    BlockDraft,
    BranchDraft,
    ContainerDraft,
    DecisionDraft,
    LoopBlockDraft,
    ParallelDraft,
    PathDraft,
    StepDraft,
    extend,
)


def structure(container: ContainerDraft) -> list[BlockDraft]:
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
            if first_label(candidate) == target:
                body = out[index:]
                del out[index:]
                out.append(LoopBlockDraft(body=list(body), closer=closer))
                break
    return out


def first_label(block: object) -> str | None:
    if isinstance(block, StepDraft):
        return (block.label or "").lower() or None
    if isinstance(block, ParallelDraft) and block.branches and block.branches[0].blocks:
        return first_label(block.branches[0].blocks[0])
    if isinstance(block, LoopBlockDraft) and block.body:
        return first_label(block.body[0])
    return None
