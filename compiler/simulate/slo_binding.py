"""Binding a scenario's own `slo:` entries: each `until` must name an element of the
workflow and each cadence's `steps` glob must match a step; problems are reported (all of
them) through the binder's `report`."""

from __future__ import annotations

from collections.abc import Callable

from compiler.model import Span
from compiler.simulate.index import WorkflowIndex
from compiler.simulate.loader import Path
from compiler.simulate.milestone import Milestone
from compiler.simulate.names import unknown_name
from compiler.simulate.objectives import SloPlan, cadence_note, cadence_steps, matching_steps
from compiler.simulate.scenario import Slo

Report = Callable[[Path, str], None]
Locate = Callable[[Path], Span]
#: The milestone the document or configuration gives an objective of this name, if any.
Known = Callable[[str], tuple[Milestone, str] | None]


def written_slos(
    written: list[Slo],
    index: WorkflowIndex,
    file: str,
    span: Locate,
    report: Report,
    known: Known | None = None,
) -> tuple[SloPlan, ...]:
    """The plans of the SLOs a scenario states (`file` is the scenario's). A deadline
    without `until:` is measured to the milestone the document or configuration gives an
    objective of the same name (`known`); without one, to the end of the workflow. The
    verdict's note says which."""
    plans = []
    names: set[str] = set()
    for number, slo in enumerate(written):
        where: Path = ("slo", number)
        if slo.name in names:
            report((*where, "name"), f"two SLOs are named {slo.name!r}")
        names.add(slo.name)
        if slo.until is not None and slo.until not in index.elements:
            report((*where, "until"), unknown_name("element", slo.until, index.element_ids()))
            continue
        if slo.within is not None:
            until, note = (slo.until, None) if slo.until is not None else _unpinned(slo, known)
            plans.append(
                SloPlan(
                    slo.name,
                    "deadline",
                    slo.within.low,
                    until,
                    frozenset(),
                    file,
                    span(where),
                    "scenario",
                    note,
                )
            )
            continue
        assert slo.every is not None
        steps = _cadence_steps(slo, where, index, report)
        note = None if slo.steps is not None else cadence_note(steps)
        plans.append(
            SloPlan(
                slo.name,
                "cadence",
                slo.every.low,
                slo.until,
                frozenset(steps),
                file,
                span(where),
                "scenario",
                note,
            )
        )
    return tuple(plans)


def _unpinned(slo: Slo, known: Known | None) -> tuple[str | None, str]:
    """Where a scenario deadline with no `until:` is measured to, and the note saying so."""
    found = known(slo.name) if known is not None else None
    if found is None:
        return None, (
            f"no until: here, and neither the document nor the configuration states an "
            f"objective named {slo.name!r}: judged at the end of the workflow; write "
            "until: STEP to measure it to a milestone"
        )
    milestone, who = found
    return milestone.element, f"no until: here, so measured as {who} measures {slo.name}: " + (
        milestone.reason
    )


def _cadence_steps(slo: Slo, where: Path, index: WorkflowIndex, report: Report) -> list[str]:
    """The steps a cadence watches: its `steps` globs, else the ones that look like updates."""
    if slo.steps is None:
        return cadence_steps(index)
    globs = [slo.steps] if isinstance(slo.steps, str) else list(slo.steps)
    steps: list[str] = []
    for number, glob in enumerate(globs):
        matched = matching_steps(index, glob)
        if not matched:
            key: Path = (
                (*where, "steps") if isinstance(slo.steps, str) else (*where, "steps", number)
            )
            report(
                key,
                f"{glob!r} matches no step id or agent "
                f"(agents: {', '.join(index.agents) or 'none'})",
            )
        steps.extend(s for s in matched if s not in steps)
    return steps
