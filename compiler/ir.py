"""The compiled output (`drillbook compile --format json`): the model plus its graph and a
summary, and the JSON Schema of that output (`drillbook schema ir`).

The model's classes are plain dataclasses (`compiler.model`); pydantic writes them as JSON
and describes them in JSON Schema through a `TypeAdapter`, here only, so that nothing but
`compile` and `schema` imports it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter

from compiler import __version__
from compiler.graph import build_graph, graph_json
from compiler.model import (
    DecisionBlock,
    Document,
    ParallelBlock,
    Workflow,
    iter_blocks,
    iter_steps,
)


class GraphNode(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    type: str
    label: str


class GraphEdge(BaseModel):
    model_config = ConfigDict(extra="allow")
    source: str
    target: str
    type: str
    condition: str | None = None


class DataEdge(BaseModel):
    """A consumed reference linked to the step that produces it (§4 resolution)."""

    source: str  # producer step id
    target: str  # consumer step id
    reference: str
    kind: str  # how the reference is written: bracket, context, file, variable…
    line: int
    status: str  # resolved, maybe, parallel-race, later
    items: list[str]


class Graph(BaseModel):
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    data: list[DataEdge]


@dataclass(frozen=True, slots=True, kw_only=True)
class CompiledWorkflow(Workflow):
    graph: Graph


class Summary(BaseModel):
    dialect: str
    phases: int
    steps: int
    agents: list[str]
    parallel_blocks: int
    decisions: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CompiledDocument(Document):
    """One workflow document as `drillbook compile --format json` writes it: its workflows
    with their phases, blocks and steps (each with the span it was read from), the control
    graph's edges and a summary."""

    drillbook: str
    workflows: tuple[CompiledWorkflow, ...] = ()
    summary: Summary


def summarise(document: Document) -> Summary:
    steps = list(iter_steps(document))
    blocks = [b for w in document.workflows for ph in w.phases for b in iter_blocks(ph.blocks)]
    agents = sorted({step.agent for step in steps if step.agent})
    dialects = sorted({w.dialect for w in document.workflows if w.dialect != "none"})
    return Summary(
        dialect=",".join(dialects) or "none",
        phases=sum(len(w.phases) for w in document.workflows),
        steps=len(steps),
        agents=agents,
        parallel_blocks=sum(isinstance(b, ParallelBlock) for b in blocks),
        decisions=sum(isinstance(b, DecisionBlock) for b in blocks),
    )


#: What the parser keeps beside what the document says: how to fix a parse problem, and a
#: severity below its rule's default (`compiler.model.ParseDiagnostic`).
_NOT_IN_IR = {"parse_diagnostics": {"__all__": {"replacement", "severity"}}}


@cache
def _adapter(kind: type[Any]) -> TypeAdapter[Any]:
    """pydantic's view of a model class, built once (~15 ms)."""
    return TypeAdapter(kind)


def compile_ir(document: Document) -> dict[str, Any]:
    """The JSON-ready compiled form of `document`."""
    data = _adapter(Document).dump_python(document, mode="json", exclude=_NOT_IN_IR)
    data = {"drillbook": __version__, **data}
    for workflow, dumped in zip(document.workflows, data["workflows"], strict=True):
        graph = graph_json(build_graph(workflow))
        dumped["graph"] = {**graph, "data": data_edges(workflow)}
    data["summary"] = summarise(document).model_dump(mode="json")
    return data


def data_edges(workflow: Workflow) -> list[dict[str, Any]]:
    """One edge per (producer, consumed reference): what each step reads, from whom."""
    from compiler.checks.resolve import resolve_workflow

    edges: list[dict[str, Any]] = []
    for resolution in resolve_workflow(workflow):
        for producer in resolution.producers:
            edges.append(
                DataEdge(
                    source=producer,
                    target=resolution.consumer,
                    reference=resolution.reference.text,
                    kind=resolution.reference.kind,
                    line=resolution.reference.span.line,
                    status=resolution.status,
                    items=list(resolution.items),
                ).model_dump()
            )
    return edges


def dump_json(data: Any) -> str:
    """Stable JSON text: same data, same bytes."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def ir_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of `drillbook compile --format json` output."""
    schema = _adapter(CompiledDocument).json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "drillbook compiled document",
        **{key: value for key, value in schema.items() if key != "title"},
    }
