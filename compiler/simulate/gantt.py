"""The Gantt timeline of a simulated run: a view-model (every coordinate computed here, so the
templates only place things) rendered as an SVG fragment that pages embed (`gantt_page`, the
site).

Rows are grouped by phase in document order; a bar is one step run or checkpoint wait, drawn
from its start to its finish, with failed attempts hatched, time spent queueing for an agent
slot as a thin line, and the critical path outlined. Deadlines are vertical lines (green when
met, red when missed) labelled at the top; a cadence gets its own row of update marks with
the gaps that are too long shaded.

Two layouts: `WIDE` puts the labels in a column left of the bars; `STACKED`, for phones, puts
each label above its bar so that the bars get the whole width of the screen.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from compiler.durations import format_duration
from compiler.simulate.report_text import clock
from compiler.simulate.result import Activity, RunResult
from compiler.simulate.verdicts import cadence_points

AXIS = 34.0
SLO_LINE = 16.0


@dataclass(frozen=True)
class Layout:
    name: str
    label_width: float  # the column left of the bars (0: labels sit above their bars)
    chart_width: float
    row: float
    bar: float
    bar_dy: float  # from the top of a row to the top of its bar
    label_dy: float
    sub_dy: float | None  # the id · agent line (None: not shown)
    label_chars: int
    ticks: int  # at most this many axis ticks


WIDE = Layout("wide", 330.0, 820.0, 32.0, 16.0, 8.0, 14.0, 27.0, 48, 10)
STACKED = Layout("stacked", 0.0, 344.0, 36.0, 13.0, 19.0, 13.0, None, 52, 5)
#: Where the bars start in the stacked layout (a margin, since there is no label column).
_STACKED_MARGIN = 16.0
#: Steps between axis ticks, in seconds: the first that gives few enough ticks is used.
TICK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200)


def _f(value: float) -> str:
    """SVG coordinates with one decimal: stable text whatever the float arithmetic."""
    return f"{value:.1f}"


def _row(
    layout: Layout, y: float, label: str, sublabel: str, css: str, heading: bool = False
) -> Row:
    return Row(
        y=_f(y),
        label_y=_f(y + layout.label_dy),
        sub_y=_f(y + layout.sub_dy) if layout.sub_dy is not None else "",
        bar_y=_f(y + layout.bar_dy),
        label=label,
        sublabel=sublabel if layout.sub_dy is not None else "",
        css=css,
        heading=heading,
    )


@dataclass
class Segment:
    x: str
    width: str
    css: str
    tip: str


@dataclass
class Row:
    y: str
    label_y: str
    sub_y: str
    bar_y: str
    label: str
    sublabel: str
    css: str
    segments: list[Segment] = field(default_factory=list)
    heading: bool = False


@dataclass
class Line:
    x: str
    y1: str
    y2: str
    css: str
    label: str
    label_y: str
    anchor: str
    dx: str
    tip: str


@dataclass
class Tick:
    x: str
    label: str


@dataclass
class Mark:
    x: str
    y: str
    tip: str
    css: str = "mark"
    points: str = ""


@dataclass
class Chart:
    prefix: str
    layout: str
    width: str
    height: str
    label_width: str
    chart_x: str
    chart_width: str
    top: str
    bottom: str
    row_height: str
    bar_height: str
    title: str
    description: str
    rows: list[Row]
    ticks: list[Tick]
    lines: list[Line]
    marks: list[Mark]


def chart_model(result: RunResult, prefix: str = "gantt-", layout: Layout = WIDE) -> Chart:
    """The SVG timeline of `result` (`prefix` keeps ids unique when a page shows several)."""
    deadlines = [v for v in result.slos if v.kind == "deadline"]
    cadences = [
        (v, s) for v, s in zip(result.slos, result.plan.slos, strict=True) if v.kind == "cadence"
    ]
    horizon = max([result.total_s, 1.0, *(v.limit_s for v in deadlines)]) * 1.04
    scale = layout.chart_width / horizon
    chart_x = layout.label_width or _STACKED_MARGIN
    row_height = layout.row

    def x(seconds: float) -> float:
        return chart_x + seconds * scale

    top = AXIS + SLO_LINE * len(deadlines)
    rows: list[Row] = []
    y = top
    critical = set(result.critical)
    row_of: dict[str, float] = {}  # element id → y of its row (for milestone marks)
    for phase_id, title, activities in _phases(result):
        row_of[phase_id] = y
        start = min(a.start_s for a in activities)
        finish = max(a.finish_s or a.start_s for a in activities)
        heading = _row(layout, y, title, phase_id, "phase", heading=True)
        heading.segments.append(
            Segment(
                _f(x(start)),
                _f(max((finish - start) * scale, 1.0)),
                "phase-span",
                f"{title}: {clock(start)}–{clock(finish)}",
            )
        )
        rows.append(heading)
        y += row_height
        for activity in activities:
            rows.append(_activity_row(layout, activity, y, x, scale, activity.key in critical))
            row_of[activity.id] = y
            y += row_height
    marks: list[Mark] = []
    for verdict, slo in cadences:
        label = f"{verdict.name}: every {format_duration(verdict.limit_s)}"
        row = _row(layout, y, label, f"objective {verdict.status}", f"cadence {verdict.status}")
        points, end = cadence_points(result, slo)
        edges = [*points, end]
        for left, right in itertools.pairwise(edges):
            if right - left > verdict.limit_s:
                tip = f"no update {clock(left)}–{clock(right)} ({format_duration(right - left)})"
                row.segments.append(
                    Segment(_f(x(left)), _f(max((right - left) * scale, 1.0)), "gap", tip)
                )
        for point in points[1:]:
            marks.append(
                Mark(
                    _f(x(point)),
                    _f(y + layout.bar_dy + layout.bar / 2),
                    f"{verdict.name}: update at {clock(point)}",
                )
            )
        rows.append(row)
        y += row_height
    for verdict in deadlines:
        row_y = row_of.get(verdict.until or "")
        if verdict.actual_s is None or row_y is None:
            continue
        cx, cy = x(verdict.actual_s), row_y + layout.bar_dy + layout.bar / 2
        corners = ((cx, cy - 7), (cx + 7, cy), (cx, cy + 7), (cx - 7, cy))
        diamond = " ".join(f"{_f(px)},{_f(py)}" for px, py in corners)
        tip = f"{verdict.name} milestone: {verdict.detail} ({verdict.status})"
        marks.append(Mark(_f(cx), _f(cy), tip, f"milestone {verdict.status}", diamond))
    bottom = y + 6
    lines = []
    for number, verdict in enumerate(deadlines):
        line_x = x(verdict.limit_s)
        right_side = line_x < chart_x + layout.chart_width * 0.7
        label = f"{verdict.name} {format_duration(verdict.limit_s)}: {verdict.status}"
        lines.append(
            Line(
                _f(line_x),
                _f(AXIS + SLO_LINE * number + 4),
                _f(bottom),
                f"deadline {verdict.status}",
                label,
                _f(AXIS + SLO_LINE * number + 13),
                "start" if right_side else "end",
                "4" if right_side else "-4",
                f"{verdict.name}: within {format_duration(verdict.limit_s)} — {verdict.detail}",
            )
        )
    times = _tick_times(horizon, layout.ticks)
    whole_minutes = all(t % 60 == 0 for t in times)
    ticks = [Tick(_f(x(t)), clock(t)[:-3] if whole_minutes else clock(t)) for t in times]
    label_text = "critical path: " + " → ".join(result.critical) if result.critical else ""
    return Chart(
        prefix=prefix,
        layout=layout.name,
        width=_f(chart_x + layout.chart_width + (20 if layout.label_width else _STACKED_MARGIN)),
        height=_f(bottom + 8),
        label_width=_f(layout.label_width),
        chart_x=_f(chart_x),
        chart_width=_f(layout.chart_width),
        top=_f(top),
        bottom=_f(bottom),
        row_height=_f(row_height),
        bar_height=_f(layout.bar),
        title=f"Simulated timeline of {result.plan.workflow.title or result.plan.document_path}",
        description=(
            f"{len(result.activities)} activities over {format_duration(result.total_s)}; "
            f"{label_text}"
        ),
        rows=rows,
        ticks=ticks,
        lines=lines,
        marks=marks,
    )


def _phases(result: RunResult) -> list[tuple[str, str, list[Activity]]]:
    titles = {phase.id: phase.title for phase in result.plan.workflow.phases}
    order = {phase.id: n for n, phase in enumerate(result.plan.workflow.phases)}
    grouped: dict[str, list[Activity]] = {}
    for activity in result.activities:
        grouped.setdefault(activity.phase, []).append(activity)
    return [
        (phase, titles.get(phase, phase), sorted(items, key=lambda a: (a.start_s, a.order)))
        for phase, items in sorted(grouped.items(), key=lambda item: order.get(item[0], 0))
    ]


def _activity_row(
    layout: Layout,
    activity: Activity,
    y: float,
    x: Callable[[float], float],
    scale: float,
    critical: bool,
) -> Row:
    finish = activity.finish_s if activity.finish_s is not None else activity.start_s
    agent = activity.agent or ("checkpoint" if activity.kind == "checkpoint" else "no agent")
    label = (
        activity.title
        if activity.iteration == 1
        else f"{activity.title} (run {activity.iteration})"
    )
    css = f"{activity.kind} {activity.status}" + (" critical" if critical else "")
    row = _row(layout, y, _shorten(label, layout.label_chars), f"{activity.key} · {agent}", css)
    if activity.start_s > activity.ready_s:
        waited = f"{clock(activity.ready_s)}–{clock(activity.start_s)}"
        tip = f"{activity.id} waited for an agent slot {waited}"
        row.segments.append(
            Segment(
                _f(x(activity.ready_s)),
                _f((activity.start_s - activity.ready_s) * scale),
                "queue",
                tip,
            )
        )
    for left, right in activity.failed_attempts:
        tip = f"{activity.id}: failed attempt {clock(left)}–{clock(right)}"
        row.segments.append(
            Segment(_f(x(left)), _f(max((right - left) * scale, 1.5)), "attempt-failed", tip)
        )
    begin = (
        activity.failed_attempts[-1][1]
        if activity.failed_attempts and activity.status != "failed"
        else None
    )
    if activity.status != "failed":
        left = begin if begin is not None else activity.start_s
        attempts = f", {activity.attempts} attempts" if activity.attempts > 1 else ""
        tip = (
            f"{activity.key} — {activity.title} ({agent}): "
            f"{clock(activity.start_s)}–{clock(finish)}, "
            f"{format_duration(finish - activity.start_s)}, {activity.status}{attempts}"
            + (", on the critical path" if critical else "")
        )
        row.segments.append(Segment(_f(x(left)), _f(max((finish - left) * scale, 1.5)), "bar", tip))
    return row


def tick_step(span: float, most: int) -> float:
    """The axis tick step that puts at most `most` ticks over `span` seconds."""
    return float(next((t for t in TICK_STEPS if span / t <= most), 86400))


def _tick_times(horizon: float, most: int) -> list[float]:
    step = tick_step(horizon, most)
    return [n * step for n in range(int(horizon // step) + 1)]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_svg(result: RunResult, prefix: str = "gantt-") -> str:
    """The timeline alone, as an SVG element to embed in another page."""
    from compiler.templating import render_template

    return render_template("gantt-chart.svg.j2", chart=chart_model(result, prefix))
