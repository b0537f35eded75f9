"""Every element of a workflow by id, with the container that directly holds it.

Scenarios name things loosely (`decisions: {phase-2: path-a}` names the decision by its phase
and the path by its last segment); this index is what those names are resolved against, and
what coverage and scenario skeletons are computed from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from compiler.model import (
    Block,
    Checkpoint,
    DecisionBlock,
    DecisionPath,
    LoopBlock,
    ParallelBlock,
    Span,
    Step,
    Workflow,
    iter_blocks,
)

ElementKind = str  # "phase" | "step" | "parallel" | "branch" | "decision" | "path" | …


@dataclass(frozen=True)
class Element:
    id: str
    kind: ElementKind
    title: str
    span: Span
    container: str | None  # id of the phase / branch / path / loop holding it
    phase: str


@dataclass
class WorkflowIndex:
    workflow: Workflow
    elements: dict[str, list[Element]] = field(default_factory=dict)
    steps: dict[str, Step] = field(default_factory=dict)
    step_order: dict[str, int] = field(default_factory=dict)
    step_phase: dict[str, str] = field(default_factory=dict)
    decisions: dict[str, DecisionBlock] = field(default_factory=dict)

    @property
    def stated_decisions(self) -> dict[str, DecisionBlock]:
        """Decisions the document states (not ones read out of prose): the ones a rehearsal
        chooses between and that decision-path coverage counts."""
        return {k: d for k, d in self.decisions.items() if d.provenance == "explicit"}

    @property
    def stated_paths(self) -> list[str]:
        return [p.id for d in self.stated_decisions.values() for p in d.paths]

    paths: dict[str, DecisionPath] = field(default_factory=dict)
    path_decision: dict[str, str] = field(default_factory=dict)
    checkpoints: dict[str, Checkpoint] = field(default_factory=dict)
    loops: dict[str, LoopBlock] = field(default_factory=dict)
    containers: dict[str, str | None] = field(default_factory=dict)

    @property
    def agents(self) -> list[str]:
        return sorted({step.agent for step in self.steps.values() if step.agent})

    def element_ids(self) -> list[str]:
        return list(self.elements)

    def kinds(self, element_id: str) -> list[str]:
        return [element.kind for element in self.elements.get(element_id, [])]

    def span(self, element_id: str) -> Span | None:
        found = self.elements.get(element_id)
        return found[0].span if found else None

    def short_key(self, element_id: str, known: Mapping[str, object]) -> str:
        """How a scenario can name `element_id`: its container's id when the id is derived from
        it and the container holds no other element of the same kind (`phase-2` for
        `phase-2/decision`), else its own id."""
        container = self.containers.get(element_id)
        if container is None or container in known or not element_id.startswith(container + "/"):
            return element_id
        siblings = [other for other in known if self.containers.get(other) == container]
        return container if siblings == [element_id] else element_id

    def within(self, element_id: str) -> frozenset[str]:
        """`element_id` and every element it holds, at any depth."""
        inside = set()
        for candidate in self.containers:
            current: str | None = candidate
            while current is not None and current != element_id:
                current = self.containers.get(current)
            if current == element_id:
                inside.add(candidate)
        return frozenset(inside)

    def title(self, element_id: str) -> str:
        found = self.elements.get(element_id)
        return found[0].title if found else element_id


def index_workflow(workflow: Workflow) -> WorkflowIndex:
    index = WorkflowIndex(workflow)
    for phase in workflow.phases:
        _add(index, Element(phase.id, "phase", phase.title, phase.span, None, phase.id))
        _blocks(index, phase.blocks, phase.id, phase.id)
    return index


def _add(index: WorkflowIndex, element: Element) -> None:
    index.elements.setdefault(element.id, []).append(element)
    index.containers.setdefault(element.id, element.container)


def _blocks(index: WorkflowIndex, blocks: tuple[Block, ...], container: str, phase: str) -> None:
    for block in blocks:
        if isinstance(block, Step):
            _add(index, Element(block.id, "step", block.title, block.span, container, phase))
            if block.id not in index.steps:
                index.step_order[block.id] = len(index.steps)
                index.steps[block.id] = block
                index.step_phase[block.id] = phase
        elif isinstance(block, Checkpoint):
            _add(index, Element(block.id, "checkpoint", block.title, block.span, container, phase))
            index.checkpoints.setdefault(block.id, block)
        elif isinstance(block, ParallelBlock):
            title = block.title or "parallel block"
            _add(index, Element(block.id, "parallel", title, block.span, container, phase))
            for branch in block.branches:
                _add(
                    index, Element(branch.id, "branch", branch.title, branch.span, block.id, phase)
                )
                _blocks(index, branch.blocks, branch.id, phase)
        elif isinstance(block, DecisionBlock):
            title = block.question or "decision"
            _add(index, Element(block.id, "decision", title, block.span, container, phase))
            index.decisions.setdefault(block.id, block)
            for path in block.paths:
                _add(index, Element(path.id, "path", path.title, path.span, block.id, phase))
                index.paths.setdefault(path.id, path)
                index.path_decision.setdefault(path.id, block.id)
                _blocks(index, path.blocks, path.id, phase)
        else:
            _add(index, Element(block.id, "loop", block.text, block.span, container, phase))
            index.loops.setdefault(block.id, block)
            _blocks(index, block.body, block.id, phase)


def main_workflow(workflows: tuple[Workflow, ...]) -> Workflow | None:
    """The workflow a document's simulation runs: the first one with a step, else the first
    with anything to run (a checkpoint, say); None when there is nothing to simulate."""
    runnable = [w for w in workflows if any(p.blocks for p in w.phases)]
    for workflow in runnable:
        if any(isinstance(b, Step) for p in workflow.phases for b in iter_blocks(p.blocks)):
            return workflow
    return runnable[0] if runnable else None
