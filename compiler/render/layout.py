"""The diagram layout engine: places every node of a workflow's control graph on a plane,
deterministically and without overlaps, with no Graphviz at run time.

The layout follows the block structure, which is series-parallel: each block becomes a
rectangular *fragment* whose entry and exit sit on its vertical centre line. A sequence stacks
fragments centred on one line (so sequence edges are straight); a parallel block and a decision
place their branches / paths in side-by-side columns between a fork bar and a join bar (or a
diamond and a merge point); a loop keeps a margin on both sides for its back edge. Because
fragments never share area, nodes cannot overlap, and edge labels get a band of their own.

Node ids and edges are those of `compiler.graph.build_graph`, which the layout reads for edge
conditions; tests check that the drawn edges are exactly the graph's edges.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import networkx as nx

from compiler.graph import END, START
from compiler.model import (
    Block,
    Checkpoint,
    DecisionBlock,
    LoopBlock,
    ParallelBlock,
    Phase,
    Step,
    Workflow,
)
from compiler.render import labels
from compiler.render.shapes import (
    COL_GAP,
    FRAME_GAP,
    FRAME_PAD,
    GAP,
    LABEL_MAX_W,
    LOOP_MARGIN,
    SMALL,
    Diagram,
    Edge,
    Frame,
    Label,
    Point,
    Shape,
    TextLine,
    bar_shape,
    checkpoint_shape,
    diamond_shape,
    dot_shape,
    edge_label,
    empty_shape,
    phase_heading,
    pill_shape,
    step_shape,
    widest_line,
)
from compiler.render.text import clean

__all__ = ["Diagram", "Edge", "Frame", "Label", "Shape", "TextLine", "layout_workflow"]


@dataclass
class Fragment:
    """A laid-out piece in local coordinates. Entry is (width/2, entry_y), exit is
    (width/2, exit_y); `head`/`tail` are the graph nodes there (None: nothing to connect)."""

    width: float
    height: float
    head: str | None
    tail: str | None
    entry_y: float = 0.0
    exit_y: float = -1.0
    shapes: list[Shape] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    children: list[tuple[float, float, Fragment]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.exit_y < 0:
            self.exit_y = self.height

    def place(self, child: Fragment, x: float, y: float) -> None:
        self.children.append((x, y, child))


# --- public entry point -------------------------------------------------------------------


def layout_workflow(workflow: Workflow, graph: nx.DiGraph) -> Diagram:
    """Lay out `workflow` (whose control graph is `graph`) top to bottom."""
    builder = _Builder(graph)
    return _flatten(builder.workflow(workflow))


# --- building fragments -------------------------------------------------------------------


class _Builder:
    def __init__(self, graph: nx.DiGraph) -> None:
        self.graph = graph

    def condition(self, source: str, target: str) -> str:
        data = (
            self.graph.edges.get((source, target)) if self.graph.has_edge(source, target) else None
        )
        return clean(str(data.get("condition") or "")) if data else ""

    # whole workflow ----------------------------------------------------------------------

    def workflow(self, workflow: Workflow) -> Fragment:
        start = _single(pill_shape(START, "Start"))
        end = _single(pill_shape(END, "End"))
        contents = [(phase, self.sequence(phase.blocks)) for phase in workflow.phases]
        headings = [phase_heading(phase) for phase in workflow.phases]
        inner = max([c.width for _, c in contents] + [start.width], default=start.width)
        title_w = max([widest_line(h) for h in headings], default=0.0)
        # The heading sits left of the centre line that edges run along.
        width = max(inner + 2 * FRAME_PAD, 2 * (title_w + FRAME_PAD + 14))
        frames = [
            self.phase_frame(phase, content, heading, width)
            for (phase, content), heading in zip(contents, headings, strict=True)
        ]
        return _stack(
            [start, *frames, end], width, gaps=[GAP, *[FRAME_GAP] * len(frames)], builder=self
        )

    def phase_frame(
        self, phase: Phase, content: Fragment, heading: list[TextLine], width: float
    ) -> Fragment:
        band = max((line.y for line in heading), default=0.0) + 12
        body_h = content.height if content.head is not None else 26.0
        height = band + body_h + FRAME_PAD
        frame = Fragment(
            width=width,
            height=height,
            head=content.head,
            tail=content.tail,
            entry_y=band + content.entry_y,
            exit_y=band + content.exit_y,
        )
        lines = list(heading)
        if content.head is None:
            lines.append(TextLine("(no steps)", FRAME_PAD, band + 16, "note", "start"))
        frame.frames.append(Frame(phase.id, 0, 0, width, height, tuple(lines)))
        frame.place(content, (width - content.width) / 2, band)
        return frame

    # sequences and blocks ----------------------------------------------------------------

    def sequence(self, blocks: tuple[Block, ...]) -> Fragment:
        parts = [self.block(block) for block in blocks]
        width = max((p.width for p in parts), default=0.0)
        return _stack(parts, width, gaps=[GAP] * max(len(parts) - 1, 0), builder=self)

    def block(self, block: Block) -> Fragment:
        if isinstance(block, Step):
            return _single(step_shape(block))
        if isinstance(block, Checkpoint):
            return _single(checkpoint_shape(block))
        if isinstance(block, ParallelBlock):
            return self.parallel(block)
        if isinstance(block, DecisionBlock):
            return self.decision(block)
        return self.loop(block)

    def column(self, blocks: tuple[Block, ...], owner: str, start: str) -> Fragment:
        """A branch or path: its blocks, or the graph's placeholder node when it has none."""
        if blocks:
            return self.sequence(blocks)
        return _single(empty_shape(self.placeholder(start, owner)))

    def placeholder(self, start: str, lane: str) -> str:
        """The graph's node for an empty branch/path: the target of the edge from `start`
        that carries the lane's id."""
        for _, target, data in self.graph.out_edges(start, data=True):
            if lane in (data.get("branch"), data.get("path")):
                return str(target)
        return f"{lane}/empty"

    def parallel(self, block: ParallelBlock) -> Fragment:
        fork, join = f"{block.id}/fork", f"{block.id}/join"
        columns = [self.column(b.blocks, b.id, fork) for b in block.branches]
        texts = [labels.branch_caption(b) for b in block.branches]
        return self.columns(
            block.id, columns, texts, fork, join, top=bar_shape(fork), bottom=bar_shape(join)
        )

    def decision(self, block: DecisionBlock) -> Fragment:
        merge = f"{block.id}/merge"
        columns = [self.column(p.blocks, p.id, block.id) for p in block.paths]
        texts = [self.condition(block.id, c.head or "") for c in columns]
        question = clean(block.question) or "Decision"
        diamond = diamond_shape(block.id, "decision", question, 170.0, 4, tooltip=question)
        return self.columns(
            block.id, columns, texts, block.id, merge, top=diamond, bottom=dot_shape(merge)
        )

    def columns(
        self,
        owner: str,
        columns: list[Fragment],
        texts: list[str],
        top_id: str,
        bottom_id: str,
        top: Shape,
        bottom: Shape,
    ) -> Fragment:
        """`top`, then `columns` side by side (each under its edge label), then `bottom`.
        Bars (fork/join) stretch over every column; a diamond and a merge point are joined to
        the columns by a horizontal bus."""
        del owner
        bars = top.kind == "fork"
        label_sets = [
            edge_label(text, column.width) for text, column in zip(texts, columns, strict=True)
        ]
        widths = [
            max(column.width, (label.width if label else 0.0))
            for column, label in zip(columns, label_sets, strict=True)
        ]
        group = sum(widths) + COL_GAP * (len(widths) - 1)
        width = max(group, top.width, bottom.width)
        centre = width / 2
        mids: list[float] = []
        x = (width - group) / 2
        for lane in widths:
            mids.append(x + lane / 2)
            x += lane + COL_GAP
        bus = top.height + (0 if bars else 12)
        band = max((label.height for label in label_sets if label), default=0.0)
        content_top = bus + (band + 22 if band else 18)
        lanes = max((c.height for c in columns), default=0.0)
        merge_bus = content_top + lanes + 14
        bottom_y = merge_bus if bars else merge_bus + 8
        height = bottom_y + bottom.height
        fragment = Fragment(width, height, top_id, bottom_id)
        if bars:
            left = min([*mids, centre]) - 16
            right = max([*mids, centre]) + 16
            fragment.shapes.append(replace(top, x=left, y=0, width=right - left))
            fragment.shapes.append(replace(bottom, x=left, y=bottom_y, width=right - left))
        else:
            fragment.shapes.append(replace(top, x=centre - top.width / 2, y=0))
            fragment.shapes.append(replace(bottom, x=centre - bottom.width / 2, y=bottom_y))
        for column, label, mid in zip(columns, label_sets, mids, strict=True):
            fragment.place(column, mid - column.width / 2, content_top)
            if label is not None:
                fragment.labels.append(replace(label, x=mid - label.width / 2, y=bus + 10))
            if column.head is not None:
                entry = content_top + column.entry_y
                down = [(mid, bus), (mid, entry)]
                route = down if bars else [(centre, top.height), (centre, bus), *down]
                fragment.edges.append(_edge(top_id, column.head, route))
            if column.tail is not None:
                exit_y = content_top + column.exit_y
                if bars:
                    route = [(mid, exit_y), (mid, bottom_y)]
                else:
                    route = [
                        (mid, exit_y),
                        (mid, merge_bus),
                        (centre, merge_bus),
                        (centre, bottom_y),
                    ]
                fragment.edges.append(_edge(column.tail, bottom_id, route))
        return fragment

    def loop(self, block: LoopBlock) -> Fragment:
        check_id = f"{block.id}/check"
        body = self.sequence(block.body)
        pill = pill_shape(
            block.id, labels.loop_caption(block), kind="loop", tooltip=clean(block.text)
        )
        question, repeat, _done = labels.loop_question(block)
        check = diamond_shape(check_id, "loop-check", question, 130.0, 3, size=SMALL)
        label = edge_label(repeat, LABEL_MAX_W)
        inner = max(body.width, pill.width, check.width)
        # Room on each side (kept symmetric so entry and exit stay centred) for the back
        # edge's rail and its label between the rail and the widest inner element.
        margin = max(LOOP_MARGIN, (label.width if label else 0.0) + 24)
        width = inner + 2 * margin
        centre = width / 2
        body_top = pill.height + GAP
        body_h = body.height if body.head is not None else 0.0
        check_top = body_top + body_h + (GAP if body.head is not None else 0.0)
        height = check_top + check.height
        fragment = Fragment(width, height, block.id, check_id)
        fragment.shapes.append(replace(pill, x=centre - pill.width / 2, y=0))
        fragment.shapes.append(replace(check, x=centre - check.width / 2, y=check_top))
        if body.head is not None and body.tail is not None:
            fragment.place(body, centre - body.width / 2, body_top)
            fragment.edges.append(
                _edge(
                    block.id, body.head, [(centre, pill.height), (centre, body_top + body.entry_y)]
                )
            )
            fragment.edges.append(
                _edge(body.tail, check_id, [(centre, body_top + body.exit_y), (centre, check_top)])
            )
        else:
            fragment.edges.append(
                _edge(block.id, check_id, [(centre, pill.height), (centre, check_top)])
            )
        rail = width - 12
        check_mid = check_top + check.height / 2
        pill_mid = pill.height / 2
        fragment.edges.append(
            Edge(
                check_id,
                block.id,
                (
                    (centre + check.width / 2, check_mid),
                    (rail, check_mid),
                    (rail, pill_mid),
                    (centre + pill.width / 2, pill_mid),
                ),
                back=True,
            )
        )
        if label is not None:
            y = (pill_mid + check_mid) / 2 - label.height / 2
            fragment.labels.append(
                replace(label, x=rail - 4 - label.width, y=y, role="edge-label back")
            )
        return fragment


# --- composition helpers ------------------------------------------------------------------


def _single(shape: Shape) -> Fragment:
    fragment = Fragment(shape.width, shape.height, shape.id, shape.id)
    fragment.shapes.append(replace(shape, x=0, y=0))
    return fragment


def _stack(parts: list[Fragment], width: float, gaps: list[float], builder: _Builder) -> Fragment:
    """Fragments one under another, centred, joined by straight edges (empty ones skipped)."""
    del builder
    height = 0.0
    placed: list[tuple[float, Fragment]] = []
    for index, part in enumerate(parts):
        if index:
            height += gaps[index - 1]
        placed.append((height, part))
        height += part.height
    fragment = Fragment(width, height, None, None)
    centre = width / 2
    last: tuple[str, float] | None = None
    for y, part in placed:
        fragment.place(part, centre - part.width / 2, y)
        if part.head is None or part.tail is None:
            continue
        if fragment.head is None:
            fragment.head = part.head
            fragment.entry_y = y + part.entry_y
        if last is not None:
            fragment.edges.append(
                _edge(last[0], part.head, [(centre, last[1]), (centre, y + part.entry_y)])
            )
        last = (part.tail, y + part.exit_y)
    if last is not None:
        fragment.tail = last[0]
        fragment.exit_y = last[1]
    return fragment


def _edge(source: str, target: str, points: list[Point]) -> Edge:
    kept: list[Point] = []
    for point in points:
        if not kept or kept[-1] != point:
            kept.append(point)
    return Edge(source, target, tuple(kept))


def _flatten(root: Fragment) -> Diagram:
    shapes: list[Shape] = []
    edges: list[Edge] = []
    label_list: list[Label] = []
    frames: list[Frame] = []

    def walk(fragment: Fragment, dx: float, dy: float) -> None:
        frames.extend(replace(f, x=f.x + dx, y=f.y + dy) for f in fragment.frames)
        shapes.extend(replace(s, x=s.x + dx, y=s.y + dy) for s in fragment.shapes)
        label_list.extend(replace(lb, x=lb.x + dx, y=lb.y + dy) for lb in fragment.labels)
        edges.extend(
            replace(e, points=tuple((x + dx, y + dy) for x, y in e.points)) for e in fragment.edges
        )
        for x, y, child in fragment.children:
            walk(child, dx + x, dy + y)

    margin = 8.0
    walk(root, margin, margin)
    return Diagram(
        width=root.width + 2 * margin,
        height=root.height + 2 * margin,
        shapes=tuple(shapes),
        edges=tuple(edges),
        labels=tuple(label_list),
        frames=tuple(frames),
    )
