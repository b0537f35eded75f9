"""What-if variants of a plan, for `drillbook simulate --runs N --what-if …`.

A variant changes one thing about the rehearsal and is run with the same seed as the baseline,
so that both draw the same numbers in the same order wherever they can and the difference
shows the change, not the luck of the draw. Written on the command line as:

- `no-failures`: no step fails (scripted failures and failure rates are dropped);
- `slots+N`: N more agent slots than the scenario's `resources.max_parallel_agents`;
- `faster:ID:P%`: the step ID (or every step inside the phase, branch or path ID) takes P%
  less time, whatever its distribution.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass

from compiler.simulate.bind import Plan, StepPlan
from compiler.simulate.distributions import Duration

SYNTAX = "no-failures, slots+N or faster:ID:P% (e.g. faster:phase-4:20%)"

_SLOTS = re.compile(r"slots\+(?P<n>\d+)")
_FASTER = re.compile(r"faster:(?P<id>[^:]+):(?P<pct>\d+(?:\.\d+)?)%")


class WhatIfError(ValueError):
    """A variant that cannot be read or does not fit the plan (one line, for the CLI)."""


@dataclass(frozen=True)
class WhatIf:
    """One variant: its name as written, what it changes in words, and the changed plan."""

    name: str
    description: str
    plan: Plan


def what_if(plan: Plan, spec: str) -> WhatIf:
    """The variant `spec` of `plan`; WhatIfError with the reason when it cannot be made."""
    text = spec.strip()
    if text == "no-failures":
        steps = {
            step_id: dataclasses.replace(step, fail=0, failure_rate=0.0)
            for step_id, step in plan.steps.items()
        }
        return WhatIf(text, "no step fails", dataclasses.replace(plan, steps=steps))
    slots = _SLOTS.fullmatch(text)
    if slots:
        return _more_slots(plan, text, int(slots["n"]))
    faster = _FASTER.fullmatch(text)
    if faster:
        return _faster(plan, text, faster["id"], float(faster["pct"]))
    raise WhatIfError(f"--what-if {spec!r}: write {SYNTAX}")


def _more_slots(plan: Plan, text: str, more: int) -> WhatIf:
    if more < 1:
        raise WhatIfError(f"--what-if {text}: add at least one slot")
    if plan.max_parallel is None:
        raise WhatIfError(
            f"--what-if {text}: the scenario sets no resources.max_parallel_agents, so every "
            "branch already starts at once and more slots change nothing"
        )
    slots = plan.max_parallel + more
    return WhatIf(
        text,
        f"{slots} agent slots instead of {plan.max_parallel}",
        dataclasses.replace(plan, max_parallel=slots),
    )


def _faster(plan: Plan, text: str, element: str, percent: float) -> WhatIf:
    if not 0 < percent < 100:
        raise WhatIfError(f"--what-if {text}: the speed-up is a percentage between 0 and 100")
    chosen = steps_within(plan, element)
    if not chosen:
        known = list(plan.index.elements)
        close = difflib.get_close_matches(element, known, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(known[:8])}…)"
        raise WhatIfError(f"--what-if {text}: no step is or lies inside {element!r}{hint}")
    factor = 1 - percent / 100
    steps = dict(plan.steps)
    for step_id in chosen:
        steps[step_id] = _scaled(steps[step_id], factor)
    shown = f"{percent:g}%"
    what = element if chosen == [element] else f"the steps of {element}"
    return WhatIf(text, f"{what} {shown} faster", dataclasses.replace(plan, steps=steps))


def steps_within(plan: Plan, element: str) -> list[str]:
    """The step `element`, or the steps inside the phase, branch, path or loop `element`."""
    inside = plan.index.within(element)
    return [step_id for step_id in plan.index.steps if step_id in inside]


def _scaled(step: StepPlan, factor: float) -> StepPlan:
    duration = step.duration
    scaled = Duration(
        duration.kind,
        round(duration.low * factor, 3),
        round(duration.mode * factor, 3),
        round(duration.high * factor, 3),
    )
    return dataclasses.replace(step, duration=scaled)
