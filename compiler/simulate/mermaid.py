"""A simulated run as a Mermaid `gantt` chart (GitHub, Docusaurus and MkDocs draw it natively).

Sections are phases; each step run or checkpoint wait is a task (critical-path tasks tagged
`crit`); each deadline is a milestone at its limit. Times use `dateFormat HH:mm:ss` so the
axis reads as time since the start of the run. A run of a day or more is written as dates
from a fixed midnight (`2001-01-01 00:00:00` is the start): Mermaid reads both forms in the
reader's time zone, so the axis starts at 0:00 wherever it is drawn (epoch seconds would
start it at the zone's offset from UTC). The chart is of simulated time, so Mermaid's "today"
marker (a red line at the reader's wall-clock time) is turned off.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from compiler.durations import format_duration
from compiler.simulate.report_text import clock
from compiler.simulate.result import RunResult

_DAY = 86400
#: Where a long run's chart starts (a naive date: no time zone, no daylight saving shift in
#: the first weeks of the year for the zones that have one).
_MIDNIGHT = datetime(2001, 1, 1)


def _clean(text: str) -> str:
    """Task and section names end at `:`, `;` or `#` in Mermaid: keep them out."""
    cleaned = re.sub(r"[:;#]", " ", text)
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    return cleaned or "untitled"


def render_mermaid(result: RunResult, *, fenced: bool = False) -> str:
    long_run = max([result.total_s, *(v.limit_s for v in result.slos)], default=0) >= _DAY

    def at(seconds: float) -> str:
        if long_run:
            return (_MIDNIGHT + timedelta(seconds=round(seconds))).strftime("%Y-%m-%d %H:%M:%S")
        return clock(seconds).rjust(8, "0")

    title = result.plan.workflow.title or result.plan.document_path
    lines = [
        "gantt",
        f"    title {_clean(title)} (simulated, {format_duration(result.total_s)})",
        f"    dateFormat {'YYYY-MM-DD HH:mm:ss' if long_run else 'HH:mm:ss'}",
        f"    axisFormat {'%d %H:%M' if long_run else '%H:%M'}",
        "    todayMarker off",
    ]
    critical = set(result.critical)
    titles = {phase.id: phase.title for phase in result.plan.workflow.phases}
    current = None
    for number, activity in enumerate(result.activities, start=1):
        if activity.phase != current:
            current = activity.phase
            lines.append(f"    section {_clean(titles.get(current, current))}")
        name = (
            activity.title
            if activity.iteration == 1
            else f"{activity.title} run {activity.iteration}"
        )
        if activity.status != "completed":
            name += f" ({activity.status})"
        tags = ["crit"] if activity.key in critical else []
        finish = activity.finish_s if activity.finish_s is not None else activity.start_s
        tags.append(f"t{number}")
        lines.append(f"    {_clean(name)} :{', '.join(tags)}, {at(activity.start_s)}, {at(finish)}")
    deadlines = [v for v in result.slos if v.kind == "deadline"]
    if deadlines:
        lines.append("    section Objectives")
        for number, verdict in enumerate(deadlines, start=1):
            label = f"{verdict.name} deadline {format_duration(verdict.limit_s)} ({verdict.status})"
            flags = "milestone" if verdict.status == "met" else "crit, milestone"
            lines.append(f"    {_clean(label)} :{flags}, m{number}, {at(verdict.limit_s)}, 0s")
    text = "\n".join(lines) + "\n"
    return f"```mermaid\n{text}```\n" if fenced else text
