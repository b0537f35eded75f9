"""The SVG diagram: laid-out workflows (`layout.py`) turned into drawing instructions for the
`report-diagram.svg.j2` template. Geometry is decided here; the template only writes it out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from compiler.graph import build_graph
from compiler.model import Document, Workflow
from compiler.render.layout import Diagram, Label, Shape, TextLine, layout_workflow
from compiler.render.text import clean, text_width, truncate

_CAPTION_H = 30.0


def num(value: float) -> str:
    """Coordinates with at most one decimal, no trailing zeros: stable text for snapshots."""
    text = f"{round(value, 1):.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def safe_id(node: str) -> str:
    """A graph node id as an XML/HTML id fragment (`phase-3/branch-a` → `phase-3--branch-a`)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", node.replace("/", "--"))


@dataclass(frozen=True)
class Text:
    text: str
    x: str
    y: str
    role: str
    anchor: str


@dataclass(frozen=True)
class Node:
    """One node, ready to write: `element` is rect, polygon or circle."""

    dom_id: str
    node: str
    classes: str
    element: str
    x: str
    y: str
    width: str
    height: str
    radius: str
    points: str
    cx: str
    cy: str
    tooltip: str
    texts: tuple[Text, ...]
    href: str | None


@dataclass(frozen=True)
class Line:
    source: str
    target: str
    d: str
    classes: str


@dataclass(frozen=True)
class Box:
    x: str
    y: str
    width: str
    height: str
    classes: str
    texts: tuple[Text, ...]
    dom_id: str = ""


@dataclass(frozen=True)
class Panel:
    """One workflow's drawing, shifted down by `offset` when a document has several."""

    offset: str
    caption: Text | None
    frames: tuple[Box, ...]
    edges: tuple[Line, ...]
    nodes: tuple[Node, ...]
    labels: tuple[Box, ...]


@dataclass(frozen=True)
class SvgView:
    prefix: str
    title: str
    description: str
    width: str
    height: str
    panels: tuple[Panel, ...]
    message: Text | None


def render_svg(
    document: Document, *, anchors: dict[str, str] | None = None, prefix: str = "db-"
) -> str:
    """The standalone SVG diagram of every workflow in `document`. With `anchors`
    (node id → page anchor) nodes link to the matching place in an HTML report."""
    return render_svg_sized(document, anchors=anchors, prefix=prefix)[0]


def render_svg_sized(
    document: Document, *, anchors: dict[str, str] | None = None, prefix: str = "db-"
) -> tuple[str, float]:
    """The SVG and its natural width in px (the report keeps it legible on phones)."""
    from compiler.templating import render_template

    view = svg_view(document, anchors, prefix)
    return render_template("report-diagram.svg.j2", view=view), float(view.width)


def svg_view(document: Document, anchors: dict[str, str] | None, prefix: str) -> SvgView:
    workflows = [w for w in document.workflows if w.phases]
    title = clean(document.title) or next((clean(w.title) for w in workflows if w.title), "")
    title = title or "Workflow"
    if not workflows:
        message = "No workflow found in this document"
        width = text_width(message, 13) + 40
        return SvgView(
            prefix,
            title,
            "drillbook found no phases or agent steps to draw.",
            num(width),
            "60",
            (),
            Text(message, num(width / 2), "35", "note", "middle"),
        )
    panels: list[Panel] = []
    offset = 0.0
    width = 0.0
    several = len(workflows) > 1
    for index, workflow in enumerate(workflows):
        diagram = layout_workflow(workflow, build_graph(workflow))
        node_prefix = f"{prefix}w{index + 1}-" if several else prefix
        caption = None
        if several:
            text = truncate(clean(workflow.title) or f"Workflow {index + 1}", diagram.width, 15)
            caption = Text(text, "8", "20", "workflow-title", "start")
        panel_anchors = anchors if not several or index == 0 else None
        panels.append(_panel(diagram, workflow, offset, caption, node_prefix, panel_anchors))
        offset += diagram.height + (_CAPTION_H if several else 0.0)
        width = max(width, diagram.width)
    description = _describe(workflows)
    return SvgView(prefix, title, description, num(width), num(offset), tuple(panels), None)


def _describe(workflows: list[Workflow]) -> str:
    phases = sum(len(w.phases) for w in workflows)
    return f"Flow diagram: {phases} phase{'s' if phases != 1 else ''}, top to bottom."


def _panel(
    diagram: Diagram,
    workflow: Workflow,
    offset: float,
    caption: Text | None,
    prefix: str,
    anchors: dict[str, str] | None,
) -> Panel:
    del workflow
    top = offset + (_CAPTION_H if caption else 0.0)
    frames = tuple(
        Box(
            num(f.x),
            num(f.y),
            num(f.width),
            num(f.height),
            "frame",
            _texts(f.lines, f.x, f.y),
            f"{prefix}phase-{safe_id(f.id)}",
        )
        for f in diagram.frames
    )
    edges = tuple(
        Line(
            e.source,
            e.target,
            "M" + " L".join(f"{num(x)} {num(y)}" for x, y in e.points),
            "edge back" if e.back else "edge",
        )
        for e in diagram.edges
    )
    nodes = tuple(_node(shape, prefix, anchors) for shape in diagram.shapes)
    label_boxes = tuple(_label(label) for label in diagram.labels)
    return Panel(num(top), caption, frames, edges, nodes, label_boxes)


def _texts(lines: tuple[TextLine, ...], dx: float, dy: float) -> tuple[Text, ...]:
    return tuple(
        Text(line.text, num(line.x + dx), num(line.y + dy), line.role, line.anchor)
        for line in lines
    )


def _label(label: Label) -> Box:
    return Box(
        num(label.x),
        num(label.y),
        num(label.width),
        num(label.height),
        label.role,
        _texts(label.lines, label.x, label.y),
    )


def _node(shape: Shape, prefix: str, anchors: dict[str, str] | None) -> Node:
    x, y, w, h = shape.x, shape.y, shape.width, shape.height
    element, radius, points = "rect", "0", ""
    if shape.kind in ("decision", "loop-check"):
        element = "polygon"
        points = _points([(x + w / 2, y), (x + w, y + h / 2), (x + w / 2, y + h), (x, y + h / 2)])
    elif shape.kind == "checkpoint":
        element = "polygon"
        cut = 12.0
        points = _points(
            [
                (x + cut, y),
                (x + w - cut, y),
                (x + w, y + h / 2),
                (x + w - cut, y + h),
                (x + cut, y + h),
                (x, y + h / 2),
            ]
        )
    elif shape.kind == "merge":
        element = "circle"
        radius = num(w / 2)
    elif shape.kind in ("start", "end", "loop"):
        radius = num(h / 2)
    elif shape.kind in ("fork", "join"):
        radius = "2"
    else:
        radius = "8"
    classes = " ".join(["node", shape.kind, *shape.flags])
    href = None
    if anchors and shape.id in anchors:
        href = f"#{anchors[shape.id]}"
    return Node(
        dom_id=f"{prefix}node-{safe_id(shape.id)}",
        node=shape.id,
        classes=classes,
        element=element,
        x=num(x),
        y=num(y),
        width=num(w),
        height=num(h),
        radius=radius,
        points=points,
        cx=num(x + w / 2),
        cy=num(y + h / 2),
        tooltip=shape.tooltip,
        texts=_texts(shape.lines, x, y),
        href=href,
    )


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{num(px)},{num(py)}" for px, py in points)
