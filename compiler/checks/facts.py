"""What the rules look at: one document with, per workflow, its index, control graph and
resolved references, each computed once and shared by every rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from compiler.checks.config import LintConfig
from compiler.checks.conventions import Conventions, read_conventions
from compiler.checks.index import WorkflowIndex, build_index
from compiler.checks.resolve import Resolved, resolve_indexed
from compiler.graph import ControlGraph, control_graph, forward_graph
from compiler.model import Document, Workflow


@dataclass
class WorkflowFacts:
    """What the rules ask about one workflow, each worked out once, when first asked."""

    workflow: Workflow

    @cached_property
    def index(self) -> WorkflowIndex:
        return build_index(self.workflow)

    @cached_property
    def graph(self) -> ControlGraph:
        return control_graph(self.workflow)

    @cached_property
    def forward(self) -> ControlGraph:
        return forward_graph(self.workflow)

    @cached_property
    def conventions(self) -> Conventions:
        return read_conventions(self.workflow)

    @cached_property
    def resolved(self) -> list[Resolved]:
        return resolve_indexed(self.index, self.forward)

    def step_line(self, step_id: str) -> int:
        return self.index.steps[step_id].step.span.line


@dataclass
class DocumentFacts:
    """What the rules ask about one document, each worked out once, when first asked."""

    document: Document
    config: LintConfig = field(default_factory=LintConfig)
    #: The source lines, when known: some rules look at what the model does not keep
    #: (the prose written on a step's own lines).
    lines: tuple[str, ...] | None = None

    @cached_property
    def workflows(self) -> list[WorkflowFacts]:
        return [WorkflowFacts(workflow) for workflow in self.document.workflows]

    @property
    def file(self) -> str:
        return self.document.path
