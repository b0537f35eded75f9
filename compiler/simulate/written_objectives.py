"""The `slo:` section of generated scenarios (`scenario init`, `from-results`, `matrix`): the
document's objectives written out, each recovery objective with its milestone as an explicit
`until:` and a comment saying which step that is and why, so the file means the same thing
after the inference or the document changes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compiler.durations import format_duration
from compiler.model import Document
from compiler.simulate.index import WorkflowIndex
from compiler.simulate.milestone import recovery_milestone
from compiler.simulate.objectives import cadence_steps, is_recovery_objective, short_name
from compiler.simulate.yaml_text import YamlText


def write_objectives(
    out: YamlText,
    document: Document,
    index: WorkflowIndex,
    pins: Mapping[str, str] | None = None,
    *,
    example: bool = True,
) -> None:
    """Append the document's objectives to `out` (an example comment when it has none and
    `example` is set)."""
    entries: list[tuple[dict[str, Any], str]] = []
    for requirement in document.requirements:
        if requirement.seconds is None:
            continue
        name = short_name(requirement.name)
        limit = format_duration(requirement.seconds)
        where = f"from the document, line {requirement.span.line}: {requirement.text}"
        if requirement.kind == "duration" and is_recovery_objective(requirement):
            milestone = recovery_milestone(index, name, requirement.text, pins or {})
            entry: dict[str, Any] = {"name": name, "within": limit}
            if milestone.element is not None:
                entry["until"] = milestone.element
            entries.append((entry, f"{where}; {milestone.reason}"))
        elif requirement.kind == "cadence":
            steps = cadence_steps(index)
            entry = {"name": name, "every": limit}
            if steps:
                entry["steps"] = steps
            entries.append((entry, f"{where}; `steps` are the ids or agents that send the updates"))
    if not entries:
        if example:
            out.blank()
            out.comment("slo: objectives to judge, e.g.")
            out.comment("  - {name: RTO, within: 30m, until: phase-4}")
            out.comment('  - {name: updates, every: 15m, steps: "*communications*"}')
        return
    out.blank()
    out.section("slo")
    for entry, note in entries:
        out.item(entry, 1, note=note)
