"""The time budget of a deadline's milestone: how much of the time to the milestone each step
takes, run after run.

In one run, the milestone waited on a chain of activities (each one started when the one
before it let it: the critical path up to the milestone). Each activity on the chain
contributes the time from the previous one's finish to its own, waits for a slot and failed
attempts included, so the contributions of one run add up to its milestone time exactly. A step
that is not on the chain in a run contributes nothing to that run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from compiler.simulate.bind import Plan
from compiler.simulate.objectives import SloPlan
from compiler.simulate.result import Activity, RunResult, waited_on
from compiler.simulate.stats import percentile


@dataclass(frozen=True)
class Contribution:
    """What one step (or checkpoint) adds to a milestone across the runs that reached it."""

    element: str
    median_s: float
    p90_s: float
    mean_s: float
    on_chain: int  # runs in which the milestone waited on it


@dataclass(frozen=True)
class Budget:
    slo: str
    limit_s: float
    milestone: str  # an element id, or "the workflow"
    reached: int  # runs that reached the milestone
    contributions: tuple[Contribution, ...]  # the largest median first


class BudgetTally:
    """Collects the contributions of every run, one deadline at a time."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.deadlines = [slo for slo in plan.slos if slo.kind == "deadline"]
        self.inside = {
            slo.until: plan.index.within(slo.until) for slo in self.deadlines if slo.until
        }
        self.reached: dict[str, int] = {slo.name: 0 for slo in self.deadlines}
        self.values: dict[str, dict[str, list[float]]] = {slo.name: {} for slo in self.deadlines}

    def add(self, result: RunResult) -> None:
        for slo in self.deadlines:
            chain = self.chain(result, slo)
            if not chain:
                continue
            self.reached[slo.name] += 1
            per_run: dict[str, float] = {}
            before = 0.0
            for activity in chain:
                finish = activity.finish_s if activity.finish_s is not None else before
                per_run[activity.id] = per_run.get(activity.id, 0.0) + finish - before
                before = finish
            values = self.values[slo.name]
            for element, seconds in per_run.items():
                values.setdefault(element, []).append(seconds)

    def chain(self, result: RunResult, slo: SloPlan) -> list[Activity]:
        """The activities the milestone of `slo` waited on in `result`, first to last."""
        if slo.until is None:
            if result.status != "completed":
                return []
            by_key = {activity.key: activity for activity in result.activities}
            return [by_key[key] for key in result.critical if key in by_key]
        reached = result.finished.get(slo.until)
        if reached is None:
            return []
        inside = self.inside[slo.until]
        done = [
            a
            for a in result.activities
            if a.finish_s is not None
            and a.finish_s <= reached
            and a.status in ("completed", "failed")
        ]
        # The milestone's own last activity; a milestone with none of its own (a path that
        # took no step) waited on whatever finished last before it.
        own = [a for a in done if a.id in inside] or done
        if not own:
            return []
        return waited_on(max(own, key=lambda a: (a.finish_s or 0.0, -a.order)))

    def budgets(self) -> list[Budget]:
        order = self.plan.index.step_order
        found = []
        for slo in self.deadlines:
            reached = self.reached[slo.name]
            contributions = [
                _contribution(element, values, reached)
                for element, values in self.values[slo.name].items()
            ]
            contributions.sort(
                key=lambda c: (-c.median_s, -c.mean_s, order.get(c.element, len(order)), c.element)
            )
            found.append(
                Budget(
                    slo.name,
                    slo.limit_s,
                    slo.until or "the workflow",
                    reached,
                    tuple(contributions),
                )
            )
        return found


def _contribution(element: str, values: list[float], reached: int) -> Contribution:
    # Runs in which the element was not on the chain contribute zero.
    ordered = [0.0] * (reached - len(values)) + sorted(values)
    return Contribution(
        element=element,
        median_s=percentile(ordered, 50),
        p90_s=percentile(ordered, 90),
        mean_s=round(math.fsum(ordered) / reached, 3),
        on_chain=len(values),
    )
