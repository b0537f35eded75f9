"""The control graph built from the model."""

from __future__ import annotations

from textwrap import dedent

import networkx as nx

from compiler.graph import END, START, build_graph, forward_view
from compiler.parse import parse_text


def graph_of(text: str) -> nx.DiGraph:
    return build_graph(parse_text(dedent(text).lstrip("\n"), "g.md").workflows[0])


def test_decision_and_parallel_structure() -> None:
    graph = graph_of(
        """
        ## Phase 1: Choose
        ### Decision Point: Which?
        #### Path A: Fast (Condition: load is low)
        - Use Task tool with subagent_type="a"
        ### Else: Slow
        - Use Task tool with subagent_type="b"
        ## Phase 2: Fan out
        ### Branch A: One
        - Use Task tool with subagent_type="c"
        ### Branch B: Two
        - Use Task tool with subagent_type="d"
        """
    )
    assert graph.nodes["phase-1/decision"]["kind"] == "decision"
    conditions = {
        target: data.get("condition")
        for _, target, data in graph.out_edges("phase-1/decision", data=True)
    }
    assert conditions == {"phase-1/path-a": "load is low", "phase-1/else": "otherwise"}
    assert set(graph.successors("phase-2/parallel/fork")) == {
        "phase-2/branch-a",
        "phase-2/branch-b",
    }
    assert set(graph.predecessors("phase-2/parallel/join")) == {
        "phase-2/branch-a",
        "phase-2/branch-b",
    }
    assert nx.is_directed_acyclic_graph(graph)
    assert nx.has_path(graph, START, END)


def test_empty_branches_get_their_own_nodes() -> None:
    graph = graph_of(
        """
        ## Phase 1: Fan out
        ### Branch A: One
        Nothing here yet.
        ### Branch B: Two
        Nothing here either.
        ### Branch C: Three
        - Use Task tool with subagent_type="c"
        """
    )
    assert {"phase-1/branch-a/empty", "phase-1/branch-b/empty"} <= set(graph.nodes)


def test_loop_back_edge_is_ignored_by_the_forward_view() -> None:
    graph = graph_of(
        """
        ## Phase 1: Iterate
        ### Step 1: Build
        - Use Task tool with subagent_type="builder"
        ### Step 2: Test
        - Use Task tool with subagent_type="tester"
        - If tests fail, return to Step 1 (max 3 iterations).
        """
    )
    back = [(s, t) for s, t, d in graph.edges(data=True) if d.get("back")]
    assert back == [("phase-1/loop/check", "phase-1/loop")]
    assert not nx.is_directed_acyclic_graph(graph)
    assert nx.is_directed_acyclic_graph(forward_view(graph))
