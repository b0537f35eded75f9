"""Mutable drafts of the model, filled in by the recogniser. `compiler.parse.structure` turns
the structure the prose describes into typed blocks (parallel groups, routing decisions,
loops) and `compiler.parse.freeze` freezes the drafts into the model with stable ids.

Each draft is one element being recognised, so drafts compare by identity (`eq=False`):
`blocks.index(step)` and `step in blocks` find that step, not another with the same
contents, and do so without comparing forty fields (nor generating `__eq__` at import).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from compiler.model import (
    Field_,
    Item,
    Note,
    Provenance,
    Reference,
    Span,
    make_span,
)


def extend(span: Span, other: Span) -> Span:
    """The smallest span covering both."""
    if _covers(span, other):
        return span  # a step growing over its own lines, most often: no new span to build
    start = min((span.line, span.column), (other.line, other.column))
    end = max((span.end_line, span.end_column), (other.end_line, other.end_column))
    return make_span(start[0], start[1], end[0], end[1])


def _covers(span: Span, other: Span) -> bool:
    return (span.line, span.column) <= (other.line, other.column) and (
        other.end_line,
        other.end_column,
    ) <= (span.end_line, span.end_column)


@dataclass(eq=False)
class StepDraft:
    """A step as the recogniser fills it in; frozen into a `model.Step`."""

    title: str
    span: Span
    label: str | None = None
    label_provenance: Provenance = "explicit"
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
    batch: int | None = None  # steps launched together in prose share a batch number
    fan_out: bool = False  # "spawn one agent per file in parallel": many copies at once
    #: the coordinator's own work between agents ("Collect the results. Write `x.md`"),
    #: kept because a later step reads what it writes; never a branch of a parallel group
    coordinator: bool = False
    agent_from_title: bool = False  # the agent was read from the step's own heading
    agent_stated: bool = False  # some explicit invocation named the agent
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
    #: "For each skill in the list, run X": what the step runs once for (a loop of itself,
    #: unless it fans out: then the copies run together)
    each: str | None = None
    titled_by_agent: bool = False
    route: str | None = None  # one of several alternatives ("Python issues → …")
    route_question: str | None = None  # the heading the routing list stands under
    #: explicit once a form made for steps states it: a `Step N:` heading, a numbered heading
    #: inside an explicit phase, or an explicit invocation (`subagent_type=`, `Task(...)`)
    provenance: Provenance = "inferred"
    #: the run of field bullets that follows the agent invocation is still going on
    fields_open: bool = False

    def grow(self, span: Span) -> None:
        self.span = extend(self.span, span)


@dataclass(eq=False)
class ContainerDraft:
    """What phases, branches and paths share: blocks in document order, and notes."""

    span: Span
    blocks: list[BlockDraft] = field(default_factory=list)
    parallel_hint: bool = False
    #: how the parallel hint was given: a title word ("Parallel Implementation") is
    #: explicit, a sentence in the body ("run these in parallel") inferred
    parallel_provenance: Provenance = "inferred"
    notes: list[Note] = field(default_factory=list)
    provenance: Provenance = "explicit"

    def grow(self, span: Span) -> None:
        self.span = extend(self.span, span)

    def steps(self) -> list[StepDraft]:
        return [block for block in self.blocks if isinstance(block, StepDraft)]


@dataclass(eq=False)
class PhaseDraft(ContainerDraft):
    """A phase being recognised; frozen into a `model.Phase`."""

    title: str = ""
    number: int | None = None
    label: str | None = None
    implicit: bool = False
    #: added after the page's own phases (the hand-offs its front matter offers): the
    #: page's one implicit phase is still `main`, and its steps keep their ids
    appended: bool = False


@dataclass(eq=False)
class BranchDraft(ContainerDraft):
    """One branch of a parallel group being recognised."""

    label: str = ""
    title: str = ""


@dataclass(eq=False)
class ParallelDraft:
    """A group of branches that run at the same time; frozen into a `model.ParallelBlock`."""

    span: Span
    title: str | None = None
    branches: list[BranchDraft] = field(default_factory=list)
    heading_level: int = 0
    provenance: Provenance = "explicit"
    fan_out: bool = False


@dataclass(eq=False)
class PathDraft(ContainerDraft):
    """One way out of a decision being recognised; frozen into a `model.DecisionPath`."""

    role: Literal["path", "if", "elif", "else"] = "path"
    default: bool = False  # "Path A: Traditional (Default)"
    label: str = ""
    title: str = ""
    condition: str | None = None
    condition_span: Span | None = None


@dataclass(eq=False)
class DecisionDraft:
    """A decision and its paths; frozen into a `model.DecisionBlock`."""

    span: Span
    question: str | None = None
    paths: list[PathDraft] = field(default_factory=list)
    provenance: Provenance = "inferred"
    #: the run of field bullets that follows the agent invocation is still going on
    fields_open: bool = False


Gate = Literal["approval", "question", "wait"]


@dataclass(eq=False)
class CheckpointDraft:
    """An approval gate; frozen into a `model.Checkpoint`."""

    span: Span
    title: str
    gate: Gate = "approval"
    label: str | None = None
    provenance: Provenance = "explicit"


def append_gate(container: ContainerDraft, span: Span, title: str, gate: Gate) -> None:
    """A gate the prose infers ("wait for the user", "get a 👍 before proceeding") after the
    container's last block, unless the container already ends with a gate."""
    if container.blocks and isinstance(container.blocks[-1], CheckpointDraft):
        return
    container.blocks.append(
        CheckpointDraft(span=span, title=title, gate=gate, provenance="inferred")
    )


@dataclass(eq=False)
class LoopBlockDraft:
    """Blocks from a "return to Step N" target up to the step that says it."""

    body: list[BlockDraft]
    closer: StepDraft


BlockDraft = StepDraft | ParallelDraft | DecisionDraft | CheckpointDraft | LoopBlockDraft
