"""The control graph of a workflow, built from the model in document order.

Nodes: `start`, `end`, one per step, `<parallel>/fork` + `<parallel>/join`, a decision node
(the decision's id) + `<decision>/merge`, one per checkpoint, and `<loop>` + `<loop>/check`
for loops. Control edges carry `condition` (decision paths, loop exits) and `back=True` on
the edge that repeats a loop, so reachability can ignore repetition.

Two builds of the same wiring: `control_graph` (plain dicts, what the checks walk, so
`drillbook lint` never imports networkx: a tenth of a second at start-up) and `build_graph`
(a networkx `DiGraph`, for the renderers and the IR).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

from compiler.model import (
    Block,
    Checkpoint,
    DecisionBlock,
    LoopBlock,
    ParallelBlock,
    Step,
    Workflow,
)

if TYPE_CHECKING:
    import networkx as nx

START = "start"
END = "end"


class _Graph(Protocol):
    """What the wiring below calls: networkx's `DiGraph` and `ControlGraph` alike."""

    def add_node(self, node: str, **attrs: Any) -> None: ...

    def add_edge(self, source: str, target: str, **attrs: Any) -> None: ...


class ControlGraph:
    """A directed graph as dicts of dicts, kept in insertion order exactly as networkx's
    `DiGraph` keeps them (node order, each node's successors and predecessors), so a walk
    visits nodes in the same order on either."""

    def __init__(self, *, back_edges: bool = True) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self._succ: dict[str, dict[str, dict[str, Any]]] = {}
        self._pred: dict[str, dict[str, dict[str, Any]]] = {}
        #: False: loop back edges are left out as they are added (see `forward_graph`)
        self._back_edges = back_edges

    def add_node(self, node: str, **attrs: Any) -> None:
        if node not in self.nodes:
            self.nodes[node] = {}
            self._succ[node] = {}
            self._pred[node] = {}
        self.nodes[node].update(attrs)

    def add_edge(self, source: str, target: str, **attrs: Any) -> None:
        """Add the edge (and any node not yet there); an existing edge gains `attrs`."""
        if not self._back_edges and attrs.get("back"):
            return
        for node in (source, target):
            if node not in self.nodes:
                self.add_node(node)
        data = self._succ[source].get(target, {})
        data.update(attrs)
        self._succ[source][target] = data
        self._pred[target][source] = data

    def __contains__(self, node: object) -> bool:
        return node in self.nodes

    def __iter__(self) -> Iterator[str]:
        return iter(self.nodes)

    def successors(self, node: str) -> Iterator[str]:
        return iter(self._succ[node])

    def predecessors(self, node: str) -> Iterator[str]:
        return iter(self._pred[node])

    def edge(self, source: str, target: str) -> dict[str, Any]:
        """The attributes of an edge (KeyError when there is none)."""
        return self._succ[source][target]

    def edges(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(source, target, attributes) by source in node order, as networkx lists them."""
        for source, targets in self._succ.items():
            for target, data in targets.items():
                yield source, target, data

    def ancestors(self, node: str) -> set[str]:
        """Every node with a path to `node`, `node` itself excluded (as `nx.ancestors`)."""
        seen = {node}
        stack = list(self._pred[node])
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self._pred[current])
        seen.discard(node)
        return seen

    def forward(self) -> ControlGraph:
        """The graph without loop back edges (`forward_view` of a networkx graph)."""
        forward = ControlGraph()
        for node, data in self.nodes.items():
            forward.add_node(node, **data)
        for source, target, data in self.edges():
            if not data.get("back"):
                forward.add_edge(source, target, **data)
        return forward


def control_graph(workflow: Workflow) -> ControlGraph:
    """The control graph as plain dicts: what the checks walk."""
    graph = ControlGraph()
    _wire(graph, workflow)
    return graph


def forward_graph(workflow: Workflow) -> ControlGraph:
    """`control_graph(workflow).forward()`, the same graph, built without its back edges
    rather than copied from the whole graph: the checks only walk this one, and the copy
    cost as much as the build. (A back edge is the only edge between its two nodes, so
    leaving it out loses nothing else.)"""
    graph = ControlGraph(back_edges=False)
    _wire(graph, workflow)
    return graph


def build_graph(workflow: Workflow) -> nx.DiGraph:
    """The control graph as a networkx `DiGraph`: what the renderers and the IR read."""
    import networkx as nx  # here, not at the top: lint never needs it

    graph = nx.DiGraph()
    _wire(graph, workflow)
    return graph


def _wire(graph: _Graph, workflow: Workflow) -> None:
    graph.add_node(START, kind="start", label="Start", phase=None)
    current = START
    for phase in workflow.phases:
        current = _sequence(graph, phase.blocks, current, phase.id, None)
    graph.add_node(END, kind="end", label="End", phase=None)
    _edge(graph, current, END)


def _edge(graph: _Graph, source: str, target: str, **attrs: Any) -> None:
    attrs.setdefault("kind", "control")
    graph.add_edge(source, target, **attrs)


def _sequence(
    graph: _Graph,
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


def _pass_through(graph: _Graph, entry: str, phase: str, attrs: dict[str, Any]) -> str:
    """An empty decision path still needs its own labelled edge: route it through a node."""
    owner = attrs.get("path") or attrs.get("branch") or entry
    node = f"{owner}/empty"
    graph.add_node(node, kind="empty", label="(no steps)", phase=phase)
    _edge(graph, entry, node, **{k: v for k, v in attrs.items() if v is not None})
    return node


def _block(graph: _Graph, block: Block, phase: str) -> tuple[str, str]:
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
    import networkx as nx  # here, not at the top: lint never needs it

    forward = nx.DiGraph()
    forward.add_nodes_from(graph.nodes(data=True))
    forward.add_edges_from(
        (source, target, data)
        for source, target, data in graph.edges(data=True)
        if not data.get("back")
    )
    return forward
