"""The shapes of the diagram: nodes sized to their wrapped text (steps, gates, diamonds,
pills, bars), edge labels and phase headings, and the plain data the layout produces. Sizes
come from `text.py`'s font metrics, so the layout can place shapes without a browser."""

from __future__ import annotations

from dataclasses import dataclass

from compiler.model import Checkpoint, Phase, Step
from compiler.render import labels
from compiler.render.text import clean, text_width, truncate, widest, wrap

# Type sizes (px) and spacing. Text sizes must match the CSS of the SVG template.
TITLE = 13.0
SMALL = 11.0
PHASE = 14.0
TITLE_LEAD = 16.0
SMALL_LEAD = 14.0
STEP_MIN_W = 150.0
STEP_MAX_W = 240.0  # titles wrap within this
AGENT_MAX_W = 300.0  # a box may widen up to this to show a long agent name whole
PAD_X = 12.0
PAD_Y = 9.0
GAP = 26.0  # between consecutive nodes: room for an arrow
COL_GAP = 26.0
BAR_H = 6.0
FRAME_PAD = 18.0
FRAME_GAP = 22.0
LOOP_MARGIN = 58.0
LABEL_MAX_W = 200.0

Point = tuple[float, float]


@dataclass(frozen=True)
class TextLine:
    """One line of text; `x`, `y` (baseline) relative to the shape or label that holds it."""

    text: str
    x: float
    y: float
    role: str  # CSS class: title, agent, note, kicker, label, phase-title…
    anchor: str = "middle"


@dataclass(frozen=True)
class Shape:
    """A node of the graph, drawn as `kind` at (x, y) with the given size."""

    id: str
    kind: str
    x: float
    y: float
    width: float
    height: float
    lines: tuple[TextLine, ...] = ()
    tooltip: str = ""
    flags: tuple[str, ...] = ()  # extra CSS classes: optional, conditional, no-agent


@dataclass(frozen=True)
class Label:
    """Text on an edge (a condition, a branch name), with an opaque box behind it."""

    x: float
    y: float
    width: float
    height: float
    lines: tuple[TextLine, ...]
    role: str = "edge-label"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    points: tuple[Point, ...]
    back: bool = False


@dataclass(frozen=True)
class Frame:
    """The box around one phase, with its heading top-left."""

    id: str
    x: float
    y: float
    width: float
    height: float
    lines: tuple[TextLine, ...]


@dataclass(frozen=True)
class Diagram:
    width: float
    height: float
    shapes: tuple[Shape, ...]
    edges: tuple[Edge, ...]
    labels: tuple[Label, ...]
    frames: tuple[Frame, ...]


def widest_line(lines: list[TextLine]) -> float:
    return max(
        (
            text_width(line.text, PHASE if line.role == "phase-title" else SMALL, True)
            for line in lines
        ),
        default=0.0,
    )


def phase_heading(phase: Phase) -> list[TextLine]:
    lines: list[TextLine] = []
    y = FRAME_PAD - 4
    kicker = labels.phase_kicker(phase)
    if kicker:
        y += SMALL
        lines.append(TextLine(kicker.upper(), FRAME_PAD, y, "kicker", "start"))
        y += 4
    for text in wrap(
        clean(phase.title) or "(untitled phase)", 300.0, PHASE, bold=True, max_lines=2
    ):
        y += 17
        lines.append(TextLine(text, FRAME_PAD, y, "phase-title", "start"))
    return lines


def step_shape(step: Step) -> Shape:
    inner = STEP_MAX_W - 2 * PAD_X
    title = wrap(clean(step.title) or step.id, inner, TITLE, bold=True, max_lines=3)
    agent = labels.agent_text(step)
    agent_line = truncate(agent, AGENT_MAX_W - 2 * PAD_X, SMALL, mono=True) if agent else "no agent"
    note = labels.step_note(step)
    note_lines = wrap(note, inner, SMALL, max_lines=2) if note else []
    content_w = max(
        widest(title, TITLE, True),
        text_width(agent_line, SMALL, mono=bool(agent)),
        widest(note_lines, SMALL),
    )
    width = min(max(content_w + 2 * PAD_X, STEP_MIN_W), AGENT_MAX_W)
    lines: list[TextLine] = []
    y = PAD_Y
    for text in title:
        y += TITLE_LEAD
        lines.append(TextLine(text, width / 2, y - 4, "title"))
    y += SMALL_LEAD + 2
    lines.append(TextLine(agent_line, width / 2, y - 3, "agent" if agent else "agent missing"))
    for text in note_lines:
        y += SMALL_LEAD
        lines.append(TextLine(text, width / 2, y - 3, "note"))
    flags = []
    if step.optional or step.condition:
        flags.append("optional")
    if not agent:
        flags.append("no-agent")
    tooltip = "\n".join(part for part in (clean(step.title), agent, note, step.id) if part)
    return Shape(step.id, "step", 0, 0, width, y + PAD_Y, tuple(lines), tooltip, tuple(flags))


def checkpoint_shape(checkpoint: Checkpoint) -> Shape:
    inner = STEP_MAX_W - 2 * PAD_X - 20
    title = wrap(clean(checkpoint.title) or checkpoint.id, inner, TITLE, bold=True, max_lines=2)
    kicker = labels.gate_text(checkpoint).upper()
    content_w = max(widest(title, TITLE, True), text_width(kicker, SMALL))
    width = min(max(content_w + 2 * PAD_X + 20, STEP_MIN_W), STEP_MAX_W)
    y = PAD_Y + SMALL_LEAD
    lines = [TextLine(kicker, width / 2, y - 3, "kicker")]
    for text in title:
        y += TITLE_LEAD
        lines.append(TextLine(text, width / 2, y - 4, "title"))
    tooltip = f"{labels.gate_text(checkpoint)}: {clean(checkpoint.title)}"
    return Shape(checkpoint.id, "checkpoint", 0, 0, width, y + PAD_Y, tuple(lines), tooltip)


def diamond_shape(
    node: str,
    kind: str,
    text: str,
    wrap_w: float,
    max_lines: int,
    *,
    size: float = 12.0,
    tooltip: str = "",
) -> Shape:
    lines = wrap(text, wrap_w, size, bold=kind == "decision", max_lines=max_lines)
    lead = size + 3
    text_w = widest(lines, size, kind == "decision")
    text_h = lead * len(lines)
    # A w×h text box fits in a diamond of twice its size (|x|/W + |y|/H ≤ 1/2 at corners).
    width = max(2 * text_w + 16, 70.0)
    height = max(2 * text_h + 12, 44.0)
    top = (height - text_h) / 2
    placed = tuple(
        TextLine(
            line,
            width / 2,
            top + lead * (index + 1) - 4,
            "decision-text" if kind == "decision" else "note",
        )
        for index, line in enumerate(lines)
    )
    return Shape(node, kind, 0, 0, width, height, placed, tooltip or text)


def pill_shape(node: str, text: str, *, kind: str | None = None, tooltip: str = "") -> Shape:
    width = max(text_width(text, SMALL, True) + 28, 64.0)
    line = TextLine(text, width / 2, 17, "pill-text")
    return Shape(node, kind or node, 0, 0, width, 26.0, (line,), tooltip or text)


def bar_shape(node: str) -> Shape:
    return Shape(node, "fork" if node.endswith("/fork") else "join", 0, 0, 0.0, BAR_H)


def dot_shape(node: str) -> Shape:
    return Shape(node, "merge", 0, 0, 12.0, 12.0)


def empty_shape(node: str) -> Shape:
    line = TextLine("(no steps)", 50, 19, "note")
    return Shape(node, "empty", 0, 0, 100.0, 28.0, (line,), "this path or branch has no steps")


def edge_label(text: str, column_width: float) -> Label | None:
    if not text:
        return None
    limit = max(min(max(column_width, 120.0), LABEL_MAX_W) - 8, 60.0)
    lines = wrap(text, limit, SMALL, max_lines=3)
    width = widest(lines, SMALL) + 8
    height = SMALL_LEAD * len(lines) + 4
    placed = tuple(
        TextLine(line, width / 2, SMALL_LEAD * (index + 1) - 1, "label")
        for index, line in enumerate(lines)
    )
    return Label(0, 0, width, height, placed)
