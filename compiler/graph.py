"""The control graph of a workflow (networkx `DiGraph`), built from the model in document order.

Nodes: `start`, `end`, one per step, `<parallel>/fork` + `<parallel>/join`, a decision node
(the decision's id) + `<decision>/merge`, one per checkpoint, and `<loop>` + `<loop>/check`
for loops. Control edges carry `condition` (decision paths, loop exits) and `back=True` on
the edge that repeats a loop, so reachability can ignore repetition.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from compiler.model import (
    Block,
    Checkpoint,
    DecisionBlock,
    LoopBlock,
    ParallelBlock,
    Step,
    Workflow,
)

START = "start"
END = "end"


def build_graph(workflow: Workflow) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_node(START, kind="start", label="Start", phase=None)
    current = START
    for phase in workflow.phases:
        current = _sequence(graph, phase.blocks, current, phase.id, None)
    graph.add_node(END, kind="end", label="End", phase=None)
    _edge(graph, current, END)
    return graph


def _edge(graph: nx.DiGraph, source: str, target: str, **attrs: Any) -> None:
    attrs.setdefault("kind", "control")
    graph.add_edge(source, target, **attrs)


def _sequence(
    graph: nx.DiGraph,
    blocks: tuple[Block, ...],
    entry: str,
    phase: str,
    condition: str | None,
    **first_attrs: Any,
) -> str:
    """Wire `blocks` one after another from `entry`; returns the last node. The first edge
    carries `condition` (the decision path it starts)."""
    current = entry
    pending: dict[str, Any] = (
        {"condition": condition, **first_attrs} if condition or first_attrs else {}
    )
    for block in blocks:
        head, tail = _block(graph, block, phase)
        _edge(graph, current, head, **{k: v for k, v in pending.items() if v is not None})
        pending = {}
        current = tail
    if pending and current == entry:
        return _pass_through(graph, entry, phase, pending)
    return current


def _pass_through(graph: nx.DiGraph, entry: str, phase: str, attrs: dict[str, Any]) -> str:
    """An empty decision path still needs its own labelled edge: route it through a node."""
    owner = attrs.get("path") or attrs.get("branch") or entry
    node = f"{owner}/empty"
    graph.add_node(node, kind="empty", label="(no steps)", phase=phase)
    _edge(graph, entry, node, **{k: v for k, v in attrs.items() if v is not None})
    return node


def _block(graph: nx.DiGraph, block: Block, phase: str) -> tuple[str, str]:
    """Add `block`; returns its (entry, exit) nodes."""
    if isinstance(block, Step):
        graph.add_node(block.id, kind="step", label=block.title, agent=block.agent, phase=phase)
        return block.id, block.id
    if isinstance(block, Checkpoint):
        graph.add_node(block.id, kind="checkpoint", label=block.title, phase=phase)
        return block.id, block.id
    if isinstance(block, ParallelBlock):
        fork, join = f"{block.id}/fork", f"{block.id}/join"
        graph.add_node(fork, kind="fork", label=block.title or "parallel", phase=phase)
        tails = []
        for branch in block.branches:
            tails.append(_sequence(graph, branch.blocks, fork, phase, None, branch=branch.id))
        graph.add_node(join, kind="join", label="join", phase=phase)
        for tail in tails:
            _edge(graph, tail, join)
        return fork, join
    if isinstance(block, DecisionBlock):
        merge = f"{block.id}/merge"
        graph.add_node(block.id, kind="decision", label=block.question or "decision", phase=phase)
        tails = []
        for path in block.paths:
            condition = path.condition or ("otherwise" if path.is_default else path.title)
            tails.append(_sequence(graph, path.blocks, block.id, phase, condition, path=path.id))
        graph.add_node(merge, kind="merge", label="merge", phase=phase)
        for tail in tails:
            _edge(graph, tail, merge)
        return block.id, merge
    assert isinstance(block, LoopBlock)
    check = f"{block.id}/check"
    graph.add_node(block.id, kind="loop", label=block.text or "loop", phase=phase)
    tail = _sequence(graph, block.body, block.id, phase, None)
    graph.add_node(check, kind="loop-check", label=block.until or "repeat?", phase=phase)
    _edge(graph, tail, check)
    _edge(graph, check, block.id, back=True, condition="repeat")
    return block.id, check


def graph_json(graph: nx.DiGraph) -> dict[str, list[dict[str, Any]]]:
    """Nodes and edges in insertion (document) order, plain JSON. In the JSON a node's kind is
    called `type` and step nodes do not repeat the agent, so the only objects with
    `kind: "step"` and an `agent` are the steps of the model itself."""
    nodes = [{"id": node, **_clean(data)} for node, data in graph.nodes(data=True)]
    edges = [
        {"source": source, "target": target, **_clean(data)}
        for source, target, data in graph.edges(data=True)
    ]
    return {"nodes": nodes, "edges": edges}


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {"type" if key == "kind" else key: value for key, value in data.items()}
    cleaned.pop("agent", None)
    return {key: value for key, value in cleaned.items() if value is not None}


def forward_view(graph: nx.DiGraph) -> nx.DiGraph:
    """The graph without loop back edges: what can run before what on a first pass. A copy,
    not a filtered view: reachability questions walk it thousands of times."""
    forward = nx.DiGraph()
    forward.add_nodes_from(graph.nodes(data=True))
    forward.add_edges_from(
        (source, target, data)
        for source, target, data in graph.edges(data=True)
        if not data.get("back")
    )
    return forward
