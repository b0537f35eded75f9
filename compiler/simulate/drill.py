"""A tabletop drill (`drillbook drill`): the virtual clock runs to the next moment a person acts
— a phase begins, a decision is due, a checkpoint waits for approval, an attempt of a step
fails — and the facilitator answers or injects a surprise.

Every answer and injection is an edit of the scenario (a decision pinned, a checkpoint's
outcome, a step that fails or takes longer, a new fact), and the run is simulated again from
the start with the edited scenario. Runs are deterministic, so the drill needs no engine of
its own, `undo` is dropping the last edit, and the session's scenario replays with
`drillbook simulate` to exactly the run the drill ended with. Decisions already passed are
pinned as they were taken, so a fact injected now never rewrites the past.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from compiler.durations import DurationError, format_duration, parse_duration
from compiler.model import Document
from compiler.simulate.api import plan_for, run
from compiler.simulate.bind import Plan
from compiler.simulate.result import RunResult
from compiler.simulate.scenario import parse_scenario

Data = dict[str, Any]


class DrillError(ValueError):
    """A command that cannot be carried out, phrased for the facilitator."""


@dataclass(frozen=True)
class Stop:
    """A moment the clock stops: `kind` phase | decision | checkpoint | failure (an attempt
    of a step failed, by script or by chance)."""

    kind: str
    id: str
    time_s: float
    occurrence: int
    taken: str | None = None  # for a decision: the path this run takes

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}:{self.occurrence}"


@dataclass(frozen=True)
class Edit:
    """One facilitator action: what it changed in the scenario, and the stop it answered."""

    label: str
    change: Callable[[Data], None]
    answers: str | None = None


@dataclass
class Drill:
    document: Document
    base: Data
    name: str = "drill"
    edits: list[Edit] = field(default_factory=list)
    result: RunResult = field(init=False)
    plan: Plan = field(init=False)

    def __post_init__(self) -> None:
        self.rerun()

    # --- the run ---------------------------------------------------------------------------

    def scenario(self) -> Data:
        data = copy.deepcopy(self.base)
        for edit in self.edits:
            edit.change(data)
        return data

    def scenario_text(self) -> str:
        return yaml.safe_dump(self.scenario(), sort_keys=False, allow_unicode=True, width=100)

    def rerun(self) -> None:
        self.plan = plan_for(self.document, parse_scenario(self.scenario_text(), self.name))
        self.result = run(self.plan)

    def stops(self) -> list[Stop]:
        """Every stop of the current run, in time order."""
        taken: dict[str, list[str]] = {}
        for path_id in self.result.path:
            decision = self.plan.index.path_decision.get(path_id)
            if decision is not None:
                taken.setdefault(decision, []).append(path_id)
        seen: dict[tuple[str, str], int] = {}
        found: list[Stop] = []
        for event in self.result.trace:
            kind: str = event.kind
            if kind == "stop" and event.id in self.plan.index.decisions:
                kind = "decision"  # no path could be taken: the facilitator must choose
            if kind == "checkpoint" and not event.message.startswith("waits"):
                continue
            if kind in ("retry", "fail") and event.id in self.plan.index.steps:
                kind = "failure"  # an attempt failed: the facilitator may let it succeed
            if kind not in ("phase", "decision", "checkpoint", "failure"):
                continue
            number = seen[(kind, event.id)] = seen.get((kind, event.id), 0) + 1
            paths = taken.get(event.id, [])
            path: str | None = None
            if kind == "decision" and len(paths) >= number:
                path = paths[number - 1]
            found.append(Stop(kind, event.id, event.time_s, number, path))
        return found

    def answered(self) -> set[str]:
        return {edit.answers for edit in self.edits if edit.answers is not None}

    def next_stop(self) -> Stop | None:
        done = self.answered()
        return next((stop for stop in self.stops() if stop.key not in done), None)

    # --- commands --------------------------------------------------------------------------

    def apply(self, edit: Edit) -> None:
        """Add `edit` and run again; an edit that leaves an invalid scenario is refused."""
        self.edits.append(edit)
        try:
            self.rerun()
        except Exception as exc:
            self.edits.pop()
            self.rerun()
            raise DrillError(str(exc).splitlines()[0]) from None

    def undo(self) -> str:
        if not self.edits:
            raise DrillError("nothing to undo")
        edit = self.edits.pop()
        self.rerun()
        return edit.label

    def go_on(self, stop: Stop) -> Edit:
        """Accept what the run does at `stop` (and pin it, so later edits keep it)."""
        if stop.kind == "decision" and stop.taken is not None:
            return self._pin(stop, stop.taken, f"{stop.id}: {stop.taken} (as the run takes it)")
        if stop.kind == "checkpoint":
            return Edit(f"{stop.id}: as scripted", lambda data: None, stop.key)
        if stop.kind == "failure":
            return Edit(f"{stop.id}: the attempt fails", lambda data: None, stop.key)
        return Edit(f"{stop.id} begins", lambda data: None, stop.key)

    def choose(self, stop: Stop, wanted: str) -> Edit:
        if stop.kind != "decision":
            raise DrillError("there is no decision to take here; `next` goes on")
        decision = self.plan.index.decisions[stop.id]
        for number, path in enumerate(decision.paths, start=1):
            names = {path.id, path.id.rsplit("/", 1)[-1], path.label.lower(), str(number)}
            if wanted.lower() in names or wanted.lower() == path.title.lower():
                return self._pin(stop, path.id, f"{stop.id}: {path.id} ({path.title})")
        options = ", ".join(p.id.rsplit("/", 1)[-1] for p in decision.paths)
        raise DrillError(f"'{wanted}' is not a path of {stop.id}; choose one of {options}")

    def _pin(self, stop: Stop, path: str, label: str) -> Edit:
        def change(data: Data) -> None:
            data.setdefault("decisions", {})[stop.id] = path

        return Edit(label, change, stop.key)

    def checkpoint(self, stop: Stop, approve: bool, after: str | None) -> Edit:
        if stop.kind != "checkpoint":
            raise DrillError("no checkpoint is waiting here")
        wait = format_duration(_seconds(after)) if after else "0s"
        key = "approve_after" if approve else "reject_after"
        verb = "approved" if approve else "rejected"

        def change(data: Data) -> None:
            data.setdefault("checkpoints", {})[stop.id] = {key: wait}

        when = f"after {wait}" if after else "at once"
        return Edit(f"{stop.id}: {verb} {when}", change, stop.key)

    def recover(self, stop: Stop) -> Edit:
        """The failed attempt at `stop` succeeds after all (and so do the later ones)."""
        if stop.kind != "failure":
            raise DrillError("no attempt has failed here")

        def change(data: Data) -> None:
            script = data.setdefault("steps", {}).setdefault(stop.id, {})
            script["fail"] = 0
            script["failure_rate"] = 0.0

        return Edit(f"{stop.id}: succeeds after all", change, stop.key)

    def fail(self, step: str, now: float, attempts: int = 1) -> Edit:
        self._not_finished(step, now)

        def change(data: Data) -> None:
            script = data.setdefault("steps", {}).setdefault(step, {})
            script["fail"] = int(script.get("fail", 0)) + attempts

        return Edit(f"{step}: {attempts} more attempt(s) fail", change)

    def delay(self, step: str, now: float, by: str) -> Edit:
        self._not_finished(step, now)
        seconds = _seconds(by)
        new = format_duration(self._duration(step) + seconds)

        def change(data: Data) -> None:
            data.setdefault("steps", {}).setdefault(step, {})["duration"] = new

        return Edit(f"{step}: {format_duration(seconds)} longer (now {new})", change)

    def unavailable(self, agent: str, now: float, for_: str) -> Edit:
        """`agent` cannot work from now for `for_`: each of its steps that would start in
        that window takes as much longer as it has to wait."""
        seconds = _seconds(for_)
        until = now + seconds
        hit = [
            (a.id, until - a.start_s)
            for a in self.result.activities
            if a.kind == "step" and a.agent == agent and now <= a.start_s < until
        ]
        if not any(a.agent == agent for a in self.result.activities):
            raise DrillError(f"no step of this run is done by '{agent}'")
        longer = {step: format_duration(self._duration(step) + wait) for step, wait in hit}

        def change(data: Data) -> None:
            for step, duration in longer.items():
                data.setdefault("steps", {}).setdefault(step, {})["duration"] = duration

        steps = ", ".join(longer) or "none of its steps starts in that window"
        return Edit(f"{agent} unavailable for {format_duration(seconds)} ({steps})", change)

    def fact(self, name: str, value: str) -> Edit:
        typed: Any = value
        if re.fullmatch(r"-?\d+", value):
            typed = int(value)
        elif value.lower() in ("true", "false"):
            typed = value.lower() == "true"

        def change(data: Data) -> None:
            data.setdefault("facts", {})[name] = typed

        return Edit(f"fact {name} = {value}", change)

    def _not_finished(self, step: str, now: float) -> None:
        if step not in self.plan.index.steps:
            raise DrillError(f"no step '{step}' (`steps` lists them)")
        ran = [a for a in self.result.activities if a.id == step]
        if ran and ran[-1].finish_s is not None and ran[-1].finish_s <= now:
            when = format_duration(ran[-1].finish_s)
            raise DrillError(f"{step} already finished at {when}; change what is still ahead")

    def _duration(self, step: str) -> float:
        """How long `step` takes in the current run (one attempt)."""
        for activity in self.result.activities:
            if activity.id == step and activity.finish_s is not None:
                return (activity.finish_s - activity.start_s) / max(1, activity.attempts)
        script = self.scenario().get("steps", {}).get(step, {})
        if isinstance(script.get("duration"), str | int | float):
            return parse_duration(script["duration"])
        return 300.0


def _seconds(text: str) -> float:
    try:
        return parse_duration(text)
    except DurationError as exc:
        raise DrillError(str(exc)) from None
