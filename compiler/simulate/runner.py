"""The workflow semantics of DESIGN §6 as engine processes.

Phases run in order and the blocks of a sequence one after another; the branches of a
parallel block start together, each step taking an agent slot (started in document order as
slots free up); a decision takes the path the scenario names, else the first path whose
condition holds on the facts and the context, else its default, else the run stops (WF504);
a checkpoint waits for its scripted approval or stops the run when rejected; a loop runs its
body as many times as the scenario says; a failing step is retried as scripted, then fails
the run (or is left behind with `on_failure: continue`).

Every process returns `(ok, last)`: whether the run may go on, and the activity whose end
let it go on (the link the critical path is traced back through).
"""

from __future__ import annotations

import random
from collections.abc import Generator
from typing import Any, Literal

from compiler.diagnostics import Diagnostic
from compiler.model import (
    Block,
    Checkpoint,
    DecisionBlock,
    DecisionPath,
    LoopBlock,
    ParallelBlock,
    Step,
)
from compiler.simulate.bind import Plan
from compiler.simulate.conditions import Scalar, judge, mentioned_fact, normalise
from compiler.simulate.engine import Acquire, AllOf, Delay, Simulation, SlotPool
from compiler.simulate.result import Activity, RunResult, RunStatus, TraceEvent, waited_on
from compiler.simulate.rules import input_not_ready, no_path_taken

Outcome = tuple[bool, Activity | None]
Flow = Generator[Any, Any, Outcome]


def run_plan(plan: Plan, rng: random.Random | None = None) -> RunResult:
    """Simulate one run of `plan` (drawing from `rng`, by default `Random(plan.seed)`)."""
    return _Run(plan, rng or random.Random(plan.seed)).execute()


class _Run:
    def __init__(self, plan: Plan, rng: random.Random) -> None:
        self.plan = plan
        self.rng = rng
        self.sim = Simulation()
        self.pool = SlotPool(self.sim, plan.max_parallel)
        self.activities: list[Activity] = []
        self.trace: list[TraceEvent] = []
        self.path: list[str] = []
        self.finished: dict[str, float] = {}
        self.step_finishes: dict[str, list[float]] = {}
        self.context: dict[str, tuple[Scalar | None, str]] = {}
        self.facts: dict[str, Scalar] = dict(plan.facts)
        self.status: RunStatus = "completed"
        self.reason: str | None = None
        self.diagnostics: list[Diagnostic] = []
        self.last: Activity | None = None
        self.runs: dict[str, int] = {}

    # --- the run as a whole ---------------------------------------------------------

    def execute(self) -> RunResult:
        for name, value in self.plan.inputs:
            self.context[normalise(name)] = (value, "input")
        if self.plan.inputs:
            names = [name for name, _ in self.plan.inputs]
            self.event("write", "inputs", "inputs: " + ", ".join(names), self.plan.inputs)
        self.sim.start(self.workflow(), self.ended)
        self.sim.run()
        end = self.sim.now
        for activity in self.activities:
            if activity.finish_s is None:
                activity.finish_s = end
                activity.status = "cancelled"
        return RunResult(
            plan=self.plan,
            seed=self.plan.seed,
            status=self.status,
            reason=self.reason,
            total_s=end,
            activities=self.activities,
            trace=self.trace,
            path=self.path,
            finished=self.finished,
            step_finishes=self.step_finishes,
            diagnostics=self.diagnostics,
            critical=self.critical_path(),
        )

    def ended(self, outcome: Outcome) -> None:
        ok, last = outcome
        self.last = last
        if ok:
            self.finished["end"] = self.sim.now
            self.event("end", "end", "the workflow is complete")

    def stop(self, status: RunStatus, reason: str, element: str, at: Activity | None) -> Outcome:
        self.status = status
        self.reason = reason
        self.last = at
        self.event("stop", element, f"the run stops: {reason}")
        self.sim.stop()
        return False, at

    def event(
        self, kind: str, element: str, message: str, data: tuple[tuple[str, Any], ...] = ()
    ) -> None:
        self.trace.append(TraceEvent(self.sim.now, kind, element, message, data))

    def critical_path(self) -> list[str]:
        """Keys of the activities the end of the run waited on, first to last."""
        return [activity.key for activity in waited_on(self.last)]

    # --- structure ------------------------------------------------------------------

    def workflow(self) -> Flow:
        last: Activity | None = None
        for phase in self.plan.workflow.phases:
            self.event("phase", phase.id, phase.title)
            ok, last = yield from self.sequence(phase.blocks, last, phase.id)
            if not ok:
                return False, last
        return True, last

    def sequence(self, blocks: tuple[Block, ...], last: Activity | None, container: str) -> Flow:
        for block in blocks:
            ok, last = yield from self.block(block, last)
            if not ok:
                return False, last
        self.finished[container] = self.sim.now
        return True, last

    def block(self, block: Block, last: Activity | None) -> Flow:
        if isinstance(block, Step):
            return (yield from self.step(block, last))
        if isinstance(block, ParallelBlock):
            return (yield from self.parallel(block, last))
        if isinstance(block, DecisionBlock):
            return (yield from self.decision(block, last))
        if isinstance(block, Checkpoint):
            return (yield from self.checkpoint(block, last))
        assert isinstance(block, LoopBlock)
        return (yield from self.loop(block, last))

    def parallel(self, block: ParallelBlock, last: Activity | None) -> Flow:
        names = ", ".join(branch.id for branch in block.branches)
        self.event("fork", block.id, f"{len(block.branches)} branches start together: {names}")
        branches = [self.sequence(branch.blocks, last, branch.id) for branch in block.branches]
        outcomes: list[Outcome] = yield AllOf(branches)
        if not all(ok for ok, _ in outcomes):
            return False, last
        tails = [tail for _, tail in outcomes if tail is not None]
        # The join waited for the branch that finished last (`max` keeps the first of equals,
        # so ties go to the branch written first).
        latest = max(tails, key=lambda a: a.finish_s or 0.0, default=None)
        self.event("join", block.id, "all branches are done")
        self.finished[block.id] = self.sim.now
        return True, latest or last

    def loop(self, block: LoopBlock, last: Activity | None) -> Flow:
        runs = self.plan.loops.get(block.id, 1)
        limit = f" (at most {block.max_iterations})" if block.max_iterations else ""
        for number in range(1, runs + 1):
            self.event("loop", block.id, f"run {number} of {runs}{limit}")
            ok, last = yield from self.sequence(block.body, last, block.id)
            if not ok:
                return False, last
        return True, last

    # --- decisions and gates --------------------------------------------------------

    def decision(self, block: DecisionBlock, last: Activity | None) -> Flow:
        chosen, why = self.choose(block)
        if chosen is None and block.provenance == "inferred":
            # "If the user says yes: …" written in prose: when no condition holds, the
            # document simply carries on.
            self.event("decision", block.id, f"takes no path ({why}); the run carries on")
            self.finished[block.id] = self.sim.now
            return True, last
        if chosen is None:
            span = block.span
            key = self.plan.index.short_key(block.id, self.plan.index.decisions)
            self.diagnostics.append(
                no_path_taken(self.plan.document_path, span, block.id, key, why)
            )
            return self.stop("failed", f"no path of {block.id} can be taken", block.id, last)
        self.path.append(chosen.id)
        self.event("decision", block.id, f"takes {chosen.id} ({chosen.title}): {why}")
        ok, last = yield from self.sequence(chosen.blocks, last, chosen.id)
        if ok:
            self.finished[block.id] = self.sim.now
        return ok, last

    def choose(self, block: DecisionBlock) -> tuple[DecisionPath | None, str]:
        named = self.plan.decisions.get(block.id)
        if named is not None:
            return next(p for p in block.paths if p.id == named), "named in the scenario"
        facts = self.known_facts()
        unjudged = []
        for path in block.paths:
            if path.is_default or not path.condition:
                continue
            verdict = judge(path.condition, facts)
            if verdict:
                return path, f"its condition holds ({path.condition})"
            if verdict is None:
                fact = mentioned_fact(path.condition, facts)
                if fact is not None:
                    unjudged.append(
                        f"{path.label} (compares '{fact}' = {facts[fact]!r} with a value of "
                        "another kind: write both as plain numbers, percentages or durations)"
                    )
                else:
                    unjudged.append(path.label)
        default = next((p for p in block.paths if p.is_default), None)
        if default is not None:
            return default, "no other condition holds, so the default path"
        if unjudged:
            reason = (
                f"the scenario names no path and the conditions of {', '.join(unjudged)} "
                "cannot be judged on the facts"
            )
        else:
            reason = "no condition holds on the facts and there is no default path"
        return None, reason

    def known_facts(self) -> dict[str, Scalar]:
        facts = dict(self.facts)
        for name, (value, _) in self.context.items():
            if value is not None:
                facts[name] = value
        return facts

    def checkpoint(self, block: Checkpoint, last: Activity | None) -> Flow:
        plan = self.plan.checkpoints[block.id]
        activity = self.new_activity(block.id, "checkpoint", block.title, None, last)
        wait = plan.wait.sample(self.rng)
        self.event("checkpoint", block.id, f"waits for {block.gate}: {block.title}")
        yield Delay(wait)
        activity.finish_s = self.sim.now
        activity.attempts = 1
        if not plan.approve:
            activity.status = "rejected"
            self.event("checkpoint", block.id, "rejected")
            return self.stop("rejected", f"{block.id} was rejected", block.id, activity)
        activity.status = "completed"
        self.event("checkpoint", block.id, "approved")
        self.finished[block.id] = self.sim.now
        return True, activity

    # --- steps ----------------------------------------------------------------------

    def step(self, step: Step, last: Activity | None) -> Flow:
        plan = self.plan.steps[step.id]
        skip_reason = self.skip_reason(step)
        if skip_reason is not None:
            activity = self.new_activity(step.id, "step", step.title, step.agent, last)
            activity.finish_s = self.sim.now
            activity.status = "skipped"
            self.event("skip", step.id, f"skipped: {skip_reason}")
            return True, last
        ready = self.sim.now
        order = self.plan.index.step_order[step.id]
        if self.pool.capacity is not None and self.pool.in_use >= self.pool.capacity:
            self.event("wait", step.id, "waits for a free agent slot")
        handed_over: Activity | None = yield Acquire(self.pool, order)
        waited_on = handed_over if handed_over is not None and self.sim.now > ready else last
        activity = self.new_activity(step.id, "step", step.title, step.agent, waited_on)
        activity.ready_s = ready
        agent = f" ({step.agent})" if step.agent else ""
        self.event("start", step.id, f"{step.title}{agent}")
        self.read_context(step)
        while True:
            activity.attempts += 1
            began = self.sim.now
            duration = plan.duration.sample(self.rng)
            fails = activity.attempts <= plan.fail or (
                plan.failure_rate > 0 and self.rng.random() < plan.failure_rate
            )
            yield Delay(duration)
            if not fails:
                break
            activity.failed_attempts.append((began, self.sim.now))
            if activity.attempts <= plan.retries:
                self.event("retry", step.id, f"attempt {activity.attempts} failed; retrying")
                continue
            activity.finish_s = self.sim.now
            activity.status = "failed"
            self.pool.release(activity)
            tries = f"{activity.attempts} attempt{'s' if activity.attempts > 1 else ''}"
            if plan.on_failure == "continue":
                self.event("fail", step.id, f"failed after {tries}; the run continues")
                return True, activity
            self.event("fail", step.id, f"failed after {tries}")
            return self.stop("failed", f"{step.id} failed after {tries}", step.id, activity)
        activity.finish_s = self.sim.now
        activity.status = "completed"
        self.pool.release(activity)
        self.event("finish", step.id, step.title)
        self.write_context(step)
        self.finished[step.id] = self.sim.now
        self.step_finishes.setdefault(step.id, []).append(self.sim.now)
        return True, activity

    def skip_reason(self, step: Step) -> str | None:
        if self.plan.steps[step.id].skip:
            return "the scenario skips it"
        if step.condition:
            verdict = judge(step.condition, self.known_facts())
            if verdict is False:
                return f"its condition does not hold ({step.condition})"
        return None

    def new_activity(
        self,
        element: str,
        kind: Literal["step", "checkpoint"],
        title: str,
        agent: str | None,
        after: Activity | None,
    ) -> Activity:
        self.runs[element] = self.runs.get(element, 0) + 1
        activity = Activity(
            id=element,
            kind=kind,
            title=title,
            agent=agent,
            phase=self.plan.index.elements[element][0].phase,
            iteration=self.runs[element],
            order=len(self.activities),
            ready_s=self.sim.now,
            start_s=self.sim.now,
            after=after,
        )
        self.activities.append(activity)
        return activity

    def read_context(self, step: Step) -> None:
        self.check_sources(step)
        reads: list[tuple[str, str]] = []
        for reference in step.consumes:
            found = self.context.get(normalise(reference.text))
            # A file read and its inserted contents are one read, not two.
            if found is not None and (reference.text, found[1]) not in reads:
                reads.append((reference.text, found[1]))
        if reads:
            listing = ", ".join(f"{name} (from {source})" for name, source in reads)
            self.event("read", step.id, f"reads {listing}", tuple(reads))

    def check_sources(self, step: Step) -> None:
        """A step that starts before any producer of something it reads has finished in this
        run (a decision path not taken, a sibling branch still running, a skipped step)."""
        for reference, producers in self.plan.sources.get(step.id, ()):
            if any(producer in self.finished for producer in producers):
                continue
            self.event(
                "missing", step.id, f"reads {reference.text!r}, which nothing has produced yet"
            )
            self.diagnostics.append(
                input_not_ready(self.plan.document_path, reference, step.id, producers)
            )

    def write_context(self, step: Step) -> None:
        scripted = {normalise(name): value for name, value in self.plan.steps[step.id].outputs}
        written: list[tuple[str, Any]] = []
        for item in step.produces:
            key = normalise(item.name)
            value = scripted.pop(key, None)
            self.context[key] = (value, step.id)
            written.append((item.name, value))
        for key, value in scripted.items():  # scripted values the document does not list
            self.context[key] = (value, step.id)
            written.append((key, value))
        if written:
            names = ", ".join(name for name, _ in written)
            self.event("write", step.id, f"writes {names}", tuple(written))
