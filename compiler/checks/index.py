"""An index of one workflow for the checks: its steps in document order with the containers
each sits in, the items each produces, and the named containers a reference can point at
(phases, parallel blocks and their branches, decisions and their paths, loops).

Built once per workflow; resolution and the rules only read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from compiler.checks.names import content_tokens, normalise, title_tokens
from compiler.model import (
    Block,
    Branch,
    DecisionBlock,
    DecisionPath,
    Item,
    LoopBlock,
    ParallelBlock,
    Phase,
    Provenance,
    Span,
    Step,
    Workflow,
)

ContainerKind = Literal["phase", "parallel", "branch", "decision", "path", "loop"]


class Membership(NamedTuple):
    """One level of nesting a step sits in: `block` is the parallel/decision/loop id,
    `member` the branch or path id (None for a loop body)."""

    kind: Literal["parallel", "decision", "loop"]
    block: str
    member: str | None


@dataclass
class Container:
    """Something a reference can name by its title: `[Branch A results]`, `[impact
    assessment]` → "Customer Impact Assessment", `[all investigation results]`."""

    id: str
    kind: ContainerKind
    title: str
    label: str | None
    number: int | None
    span: Span
    provenance: Provenance = "explicit"
    step_ids: list[str] = field(default_factory=list)

    @property
    def tokens(self) -> frozenset[str]:
        return title_tokens(self.title)


class StepInfo(NamedTuple):
    step: Step
    phase: Phase
    order: int
    memberships: tuple[Membership, ...]
    containers: tuple[str, ...]  # ids of every container holding the step, outermost first


class Produced(NamedTuple):
    """An item a step produces, with its comparison keys precomputed."""

    step_id: str
    item: Item
    order: int
    key: str
    tokens: frozenset[str]


@dataclass
class WorkflowIndex:
    """A workflow's steps, containers and produced items, looked up by id."""

    workflow: Workflow
    steps: dict[str, StepInfo] = field(default_factory=dict)
    containers: dict[str, Container] = field(default_factory=dict)
    produced: list[Produced] = field(default_factory=list)

    def step_order(self) -> list[str]:
        return list(self.steps)

    def items_of(self, step_id: str) -> list[Produced]:
        return [item for item in self.produced if item.step_id == step_id]

    def sibling_branch(self, left: str, right: str) -> str | None:
        """The parallel block id when `left` and `right` run in different branches of it."""
        for mine in self.steps[left].memberships:
            if mine.kind != "parallel":
                continue
            for theirs in self.steps[right].memberships:
                if theirs.block == mine.block and theirs.member != mine.member:
                    return mine.block
        return None

    def exclusive_path(self, left: str, right: str) -> str | None:
        """The decision id when `left` and `right` sit on different paths of one decision."""
        for mine in self.steps[left].memberships:
            if mine.kind != "decision":
                continue
            for theirs in self.steps[right].memberships:
                if theirs.block == mine.block and theirs.member != mine.member:
                    return mine.block
        return None

    def shared_loop(self, left: str, right: str) -> str | None:
        loops = {m.block for m in self.steps[left].memberships if m.kind == "loop"}
        for theirs in self.steps[right].memberships:
            if theirs.kind == "loop" and theirs.block in loops:
                return theirs.block
        return None


def build_index(workflow: Workflow) -> WorkflowIndex:
    index = WorkflowIndex(workflow)
    for phase in workflow.phases:
        container = Container(
            phase.id, "phase", phase.title, phase.label, phase.number, phase.span, phase.provenance
        )
        index.containers[phase.id] = container
        _walk(index, phase, phase.blocks, (), (phase.id,))
    return index


def _walk(
    index: WorkflowIndex,
    phase: Phase,
    blocks: tuple[Block, ...],
    memberships: tuple[Membership, ...],
    containers: tuple[str, ...],
) -> None:
    for block in blocks:
        if isinstance(block, Step):
            _add_step(index, phase, block, memberships, containers)
        elif isinstance(block, ParallelBlock):
            title = block.title or ""
            _container(index, block.id, "parallel", title, None, block)
            for branch in block.branches:
                _container(index, branch.id, "branch", branch.title, branch.label, branch)
                inner = (*memberships, Membership("parallel", block.id, branch.id))
                _walk(index, phase, branch.blocks, inner, (*containers, block.id, branch.id))
        elif isinstance(block, DecisionBlock):
            _container(index, block.id, "decision", block.question or "", None, block)
            for path in block.paths:
                _container(index, path.id, "path", path.title, path.label, path)
                inner = (*memberships, Membership("decision", block.id, path.id))
                _walk(index, phase, path.blocks, inner, (*containers, block.id, path.id))
        elif isinstance(block, LoopBlock):
            _container(index, block.id, "loop", "", None, block)
            inner = (*memberships, Membership("loop", block.id, None))
            _walk(index, phase, block.body, inner, (*containers, block.id))


def _container(
    index: WorkflowIndex,
    container_id: str,
    kind: ContainerKind,
    title: str,
    label: str | None,
    element: ParallelBlock | Branch | DecisionBlock | DecisionPath | LoopBlock,
) -> None:
    # A container's only step may share its id (`phase-3/branch-a`): keep the container.
    index.containers.setdefault(
        container_id,
        Container(container_id, kind, title, label, None, element.span, element.provenance),
    )


def _add_step(
    index: WorkflowIndex,
    phase: Phase,
    step: Step,
    memberships: tuple[Membership, ...],
    containers: tuple[str, ...],
) -> None:
    order = len(index.steps)
    index.steps[step.id] = StepInfo(step, phase, order, memberships, containers)
    for container_id in containers:
        index.containers[container_id].step_ids.append(step.id)
    for item in step.produces:
        index.produced.append(
            Produced(step.id, item, order, normalise(item.name), content_tokens(item.name))
        )
