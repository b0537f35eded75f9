"""What the text diagram formats (Mermaid, DOT) draw: the control graph's nodes with the words
to put on them, grouped by phase, and its edges with their labels, in document order."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from compiler.graph import build_graph
from compiler.model import (
    Block,
    Checkpoint,
    DecisionBlock,
    LoopBlock,
    ParallelBlock,
    Phase,
    Step,
    Workflow,
    iter_blocks,
)
from compiler.render import labels
from compiler.render.text import clean


@dataclass(frozen=True)
class FlowNode:
    id: str
    kind: str  # the graph's node kind: step, checkpoint, decision, merge, fork, join, loop…
    title: str
    detail: str  # second line: agent, gate type, loop limit ("" when none)
    note: str  # third line: condition or "optional" ("" when none)
    optional: bool


@dataclass(frozen=True)
class FlowEdge:
    source: str
    target: str
    label: str
    back: bool


@dataclass(frozen=True)
class FlowGroup:
    """The nodes of one phase (or of no phase: start and end)."""

    phase: Phase | None
    nodes: tuple[FlowNode, ...]


@dataclass(frozen=True)
class Flowchart:
    groups: tuple[FlowGroup, ...]
    edges: tuple[FlowEdge, ...]


def flowchart(workflow: Workflow, graph: nx.DiGraph | None = None) -> Flowchart:
    graph = graph if graph is not None else build_graph(workflow)
    blocks: dict[str, Block] = {
        block.id: block for phase in workflow.phases for block in iter_blocks(phase.blocks)
    }
    by_phase: dict[str | None, list[FlowNode]] = {}
    for node, data in graph.nodes(data=True):
        by_phase.setdefault(data.get("phase"), []).append(_node(node, data, blocks))
    groups = [FlowGroup(None, tuple(by_phase.get(None, [])))]
    groups += [FlowGroup(phase, tuple(by_phase.get(phase.id, []))) for phase in workflow.phases]
    edges = tuple(
        FlowEdge(source, target, _edge_label(data), bool(data.get("back")))
        for source, target, data in graph.edges(data=True)
    )
    return Flowchart(tuple(groups), edges)


def _edge_label(data: dict[str, object]) -> str:
    condition = clean(str(data.get("condition") or ""))
    if data.get("back"):
        return "repeat"
    return condition


def _node(node: str, data: dict[str, object], blocks: dict[str, Block]) -> FlowNode:
    kind = str(data.get("kind"))
    label = clean(str(data.get("label") or ""))
    block = blocks.get(node)
    if isinstance(block, Step):
        return FlowNode(
            node,
            kind,
            clean(block.title) or node,
            labels.agent_text(block) or "no agent",
            labels.step_note(block),
            block.optional or bool(block.condition),
        )
    if isinstance(block, Checkpoint):
        return FlowNode(node, kind, clean(block.title), labels.gate_text(block), "", False)
    if isinstance(block, DecisionBlock):
        return FlowNode(node, kind, clean(block.question) or "Decision", "", "", False)
    if isinstance(block, LoopBlock):
        return FlowNode(node, kind, labels.loop_caption(block), "", "", False)
    if kind == "loop-check":
        owner = blocks.get(node.removesuffix("/check"))
        question = labels.loop_question(owner)[0] if isinstance(owner, LoopBlock) else label
        return FlowNode(node, kind, question, "", "", False)
    if kind == "fork":
        owner = blocks.get(node.removesuffix("/fork"))
        count = len(owner.branches) if isinstance(owner, ParallelBlock) else 0
        return FlowNode(
            node, kind, f"in parallel ({count})" if count else "in parallel", "", "", False
        )
    if kind == "join":
        return FlowNode(node, kind, "all done", "", "", False)
    return FlowNode(node, kind, label or node, "", "", False)
