"""The diagram layout engine: deterministic, no overlaps, every graph edge drawn, structure
visible (phases top to bottom, branches and paths side by side, diamonds, bars)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from compiler.graph import build_graph, forward_view
from compiler.model import (
    Branch,
    Checkpoint,
    DecisionBlock,
    DecisionPath,
    LoopBlock,
    ParallelBlock,
    Phase,
    Span,
    Step,
    Workflow,
)
from compiler.parse import parse_text
from compiler.render.layout import Diagram, Shape, layout_workflow
from compiler.render.text import text_width, truncate, wrap
from tests.conftest import FIXTURES, SEED, SPEC_FILES, corpus_files, needs_corpus, needs_seed

RENDER_FIXTURES = sorted((FIXTURES / "render").glob("*.md"))
SPAN = Span(line=1, column=1, end_line=1, end_column=2)


def diagrams_of(path: Path) -> list[tuple[Workflow, Diagram]]:
    document = parse_text(path.read_text(encoding="utf-8"), str(path))
    return [
        (workflow, layout_workflow(workflow, build_graph(workflow)))
        for workflow in document.workflows
        if workflow.phases
    ]


def overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def box(item: Shape) -> tuple[float, float, float, float]:
    return (item.x, item.y, item.width, item.height)


def assert_sound(workflow: Workflow, diagram: Diagram) -> None:
    """The properties every laid-out diagram must have."""
    shapes = list(diagram.shapes)
    # No two nodes overlap; no edge label covers a node or another label.
    for a, b in itertools.combinations(shapes, 2):
        assert not overlaps(box(a), box(b)), f"{a.id} overlaps {b.id}"
    labels = [(lb.x, lb.y, lb.width, lb.height) for lb in diagram.labels]
    for label in labels:
        for shape in shapes:
            assert not overlaps(label, box(shape)), f"a label overlaps {shape.id}"
    for first, second in itertools.combinations(labels, 2):
        assert not overlaps(first, second), "two edge labels overlap"
    # Everything is inside the canvas.
    for shape in shapes:
        assert shape.x >= 0 and shape.y >= 0, shape.id
        assert shape.x + shape.width <= diagram.width + 0.01, shape.id
        assert shape.y + shape.height <= diagram.height + 0.01, shape.id
    # Exactly the graph's nodes and edges are drawn.
    graph = build_graph(workflow)
    assert sorted(s.id for s in shapes) == sorted(graph.nodes)
    assert sorted((e.source, e.target) for e in diagram.edges) == sorted(graph.edges)
    drawn_back = {(e.source, e.target) for e in diagram.edges if e.back}
    assert drawn_back == {(s, t) for s, t, d in graph.edges(data=True) if d.get("back")}
    # Edges are axis-aligned polylines that start on their source and end on their target.
    by_id = {s.id: s for s in shapes}
    for edge in diagram.edges:
        for (x1, y1), (x2, y2) in itertools.pairwise(edge.points):
            assert x1 == pytest.approx(x2) or y1 == pytest.approx(y2), edge
        for end, node in ((edge.points[0], edge.source), (edge.points[-1], edge.target)):
            x, y, w, h = box(by_id[node])
            assert x - 0.01 <= end[0] <= x + w + 0.01 and y - 0.01 <= end[1] <= y + h + 0.01, (
                f"edge {edge.source}->{edge.target} does not touch {node}"
            )
    # Text fits in its box (estimated with the same metrics the layout uses).
    for shape in shapes:
        if shape.kind in ("step", "checkpoint"):
            for line in shape.lines:
                size = 13 if line.role == "title" else 11
                mono = line.role == "agent"
                assert text_width(line.text, size, line.role == "title", mono) <= shape.width
    # Phases run top to bottom, in document order, and frames do not overlap.
    frames = list(diagram.frames)
    assert [f.id for f in frames] == [p.id for p in workflow.phases]
    for upper, lower in itertools.pairwise(frames):
        assert upper.y + upper.height <= lower.y


def test_every_spec_lays_out_soundly() -> None:
    assert SPEC_FILES
    for path in SPEC_FILES:
        for workflow, diagram in diagrams_of(path):
            assert_sound(workflow, diagram)


def test_render_fixtures_lay_out_soundly() -> None:
    assert RENDER_FIXTURES
    for path in RENDER_FIXTURES:
        for workflow, diagram in diagrams_of(path):
            assert_sound(workflow, diagram)


@needs_seed
def test_seed_lays_out_soundly_with_structure_visible() -> None:
    [(workflow, diagram)] = diagrams_of(SEED)
    assert_sound(workflow, diagram)
    shapes = {s.id: s for s in diagram.shapes}
    # The decision is a diamond above its three paths, which sit side by side.
    assert shapes["phase-2/decision"].kind == "decision"
    paths = [shapes[f"phase-2/path-{x}"] for x in "abc"]
    assert len({p.y for p in paths}) == 1
    assert paths[0].x + paths[0].width < paths[1].x < paths[1].x + paths[1].width < paths[2].x
    assert shapes["phase-2/decision"].y + shapes["phase-2/decision"].height < paths[0].y
    # The four parallel branches sit side by side between the fork and join bars.
    branches = [shapes[f"phase-3/branch-{x}"] for x in "abcd"]
    assert len({b.y for b in branches}) == 1
    assert [b.x for b in branches] == sorted(b.x for b in branches)
    fork, join = shapes["phase-3/parallel/fork"], shapes["phase-3/parallel/join"]
    assert fork.y < branches[0].y and join.y > max(b.y + b.height for b in branches)
    # The bars reach every branch's centre line, where its edges attach.
    centres = [b.x + b.width / 2 for b in branches]
    assert fork.x < centres[0] and fork.x + fork.width > centres[-1]
    assert (join.x, join.width) == (fork.x, fork.width)
    # Conditions are written on the decision's edges.
    texts = [" ".join(line.text for line in label.lines) for label in diagram.labels]
    assert "High response times + database metrics" in texts


def test_layout_is_deterministic() -> None:
    for path in SPEC_FILES:
        first = diagrams_of(path)
        second = diagrams_of(path)
        assert [d for _, d in first] == [d for _, d in second]


def step(ident: str, title: str = "Step", agent: str | None = "agent") -> Step:
    return Step(id=ident, title=title, agent=agent, span=SPAN)


def test_nested_blocks_lay_out_soundly() -> None:
    """Structures the parser rarely produces: a decision inside a branch, a loop inside a
    path, a parallel block inside a loop, empty branches and paths, an empty phase."""
    inner_decision = DecisionBlock(
        id="p1/inner",
        question="Is the database the cause of the incident or is it the network?",
        paths=(
            DecisionPath(
                id="p1/inner/a", label="A", title="DB", condition="db", span=SPAN,
                blocks=(step("p1/db", "Database deep dive"),),
            ),
            DecisionPath(id="p1/inner/else", label="else", title="", is_default=True, span=SPAN),
        ),
        span=SPAN,
    )  # fmt: skip
    loop = LoopBlock(
        id="p2/loop",
        repeat_when="tests fail",
        max_iterations=3,
        text="repeat while tests fail",
        body=(
            ParallelBlock(
                id="p2/par",
                branches=(
                    Branch(id="p2/b1", label="A", title="A", span=SPAN, blocks=(step("p2/s1"),)),
                    Branch(id="p2/b2", label="B", title="B", span=SPAN),
                ),
                span=SPAN,
            ),
        ),
        span=SPAN,
    )
    workflow = Workflow(
        dialect="docs-site",
        span=SPAN,
        phases=(
            Phase(
                id="p1",
                number=1,
                title="Investigate",
                span=SPAN,
                blocks=(
                    ParallelBlock(
                        id="p1/par",
                        branches=(
                            Branch(
                                id="p1/b1",
                                label="A",
                                title="Inner decision",
                                span=SPAN,
                                blocks=(inner_decision,),
                            ),
                            Branch(
                                id="p1/b2",
                                label="B",
                                title="Plain",
                                span=SPAN,
                                blocks=(step("p1/plain", "A" * 90, agent=None),),
                            ),
                        ),
                        span=SPAN,
                    ),
                    Checkpoint(id="p1/gate", title="Approve the plan", span=SPAN),
                ),
            ),
            Phase(id="p2", number=2, title="Fix", span=SPAN, blocks=(loop,)),
            Phase(id="p3", number=3, title="Empty", span=SPAN),
            Phase(id="p4", number=4, title="Close", span=SPAN, blocks=(step("p4/s"),)),
        ),
    )
    diagram = layout_workflow(workflow, build_graph(workflow))
    assert_sound(workflow, diagram)
    shapes = {s.id: s for s in diagram.shapes}
    assert shapes["p2/loop/check"].kind == "loop-check"
    # The empty default path and the empty branch each get a placeholder node.
    assert shapes["p1/inner/else/empty"].kind == "empty"
    assert sum(shape.kind == "empty" for shape in shapes.values()) == 2
    # The empty phase still gets its frame, and the flow passes through it.
    assert [f.id for f in diagram.frames] == ["p1", "p2", "p3", "p4"]
    assert ("p2/loop/check", "p4/s") in {(e.source, e.target) for e in diagram.edges}
    assert forward_view(build_graph(workflow)).number_of_edges() == len(diagram.edges) - 1


def test_long_titles_wrap_and_long_agents_shorten() -> None:
    workflow = Workflow(
        dialect="commands",
        span=SPAN,
        phases=(
            Phase(
                id="p",
                number=1,
                title="T",
                span=SPAN,
                blocks=(step("p/s", "word " * 60, agent="x" * 120),),
            ),
        ),
    )
    diagram = layout_workflow(workflow, build_graph(workflow))
    assert_sound(workflow, diagram)
    shape = next(s for s in diagram.shapes if s.id == "p/s")
    titles = [line.text for line in shape.lines if line.role == "title"]
    assert len(titles) == 3 and titles[-1].endswith("…")
    agent = next(line.text for line in shape.lines if line.role == "agent")
    assert agent.endswith("…") and agent.startswith("xxx")
    assert "p/s" in shape.tooltip and "x" * 120 in shape.tooltip


def test_wrap_respects_width_and_line_limit() -> None:
    lines = wrap("alpha beta gamma delta epsilon " * 10, 120, 13, max_lines=4)
    assert len(lines) == 4
    assert all(text_width(line, 13) <= 120 for line in lines)
    assert lines[-1].endswith("…")
    assert wrap("short", 120, 13) == ["short"]
    # A word longer than a line is broken rather than overflowing.
    broken = wrap("x" * 200, 100, 13, max_lines=40)
    assert all(text_width(line, 13) <= 100 for line in broken)
    assert "".join(broken) == "x" * 200
    assert truncate("abcdef" * 20, 60, 11).endswith("…")
    assert truncate("abc", 60, 11) == "abc"


@needs_corpus
def test_corpus_lays_out_soundly() -> None:
    files = corpus_files()
    assert files
    for path in files:
        for workflow, diagram in diagrams_of(path):
            assert_sound(workflow, diagram)
