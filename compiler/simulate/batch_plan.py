"""The batch engine's program: a plan flattened into operations the vectorised Monte Carlo
engine (`compiler.simulate.batch`) runs for all runs of a chunk at once, or the reason the
plan needs the event engine.

Decisions, step conditions and checkpoint verdicts depend only on the scenario, the facts and
the context written so far, so once the features below are ruled out they are the same in
every run that gets that far: they are settled here, by walking the workflow once with the
event engine's own rules (`_Run.choose`, `_Run.skip_reason`, `_Run.write_context`). What is
left to each run is time: durations, attempts, waits for agent slots, and where a failure
stops it.

The event engine runs instead (the reason is what `--verbose` prints) when:

- the time budget is asked for (the HTML report): it walks every run's chain of activities;
- a step with a failure rate has `on_failure: continue`: what later decisions read and which
  milestones are reached then depends on the draw (scripted failures are the same in every
  run, and run here);
- a decision sits inside a parallel branch: the order of the path depends on timing;
- a parallel block has more steps able to run at once than agent slots, and a branch holds
  more than plain steps (a nested block, a checkpoint, a loop): slots are only scheduled for
  branches that are sequences of steps;
- a step with a condition runs beside a branch that writes context, or two branches write the
  same item with a scripted value: what the condition or a later decision reads depends on
  which branch finishes first.

Pure Python: `drillbook lint` and every other command stay free of numpy.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from compiler.model import Block, Checkpoint, DecisionBlock, LoopBlock, ParallelBlock, Step
from compiler.simulate.bind import Plan
from compiler.simulate.conditions import normalise
from compiler.simulate.distributions import Duration


class Unsupported(Exception):
    """The plan uses a feature the batch engine does not model exactly."""


@dataclass(frozen=True)
class StepOp:
    act: int  # activity index
    element: str
    duration: Duration
    fail: int
    retries: int
    failure_rate: float
    skip: bool
    order: int  # document order: who gets a free slot first among equal asks
    carry_on: bool  # on_failure: continue (the step then fails in every run or in none)


@dataclass(frozen=True)
class CheckpointOp:
    act: int
    element: str
    wait: Duration
    approve: bool


@dataclass(frozen=True)
class ParallelOp:
    element: str
    branches: tuple[tuple[Op, ...], ...]
    contended: bool  # more steps could run at once than there are slots


@dataclass(frozen=True)
class MarkOp:
    """`element` finished now (a phase, branch, path, loop, decision, parallel block, `end`)."""

    element: str


@dataclass(frozen=True)
class PathOp:
    path: str  # a decision took this path


@dataclass(frozen=True)
class DeadEndOp:
    element: str  # a decision no path of which can be taken: the run fails here


Op = StepOp | CheckpointOp | ParallelOp | MarkOp | PathOp | DeadEndOp


@dataclass
class Program:
    ops: tuple[Op, ...]
    activities: list[tuple[str, str]] = field(default_factory=list)  # (element, kind)
    path: tuple[str, ...] = ()  # the paths taken, in order, by a run that gets that far
    elements: list[str] = field(default_factory=list)  # every element a run can stop at
    capacity: int | None = None


def compile_plan(plan: Plan, *, budget: bool = False) -> Program | str:
    """The program of `plan`, or why the event engine must run it."""
    if budget:
        return "the time budget (HTML report) walks every run's chain of activities"
    try:
        return _Compiler(plan).program()
    except Unsupported as exc:
        return str(exc)


class _Compiler:
    def __init__(self, plan: Plan) -> None:
        from compiler.simulate.runner import _Run  # the event engine's own decision rules

        self.plan = plan
        self.run = _Run(plan, random.Random(0))
        for name, value in plan.inputs:
            self.run.context[normalise(name)] = (value, "input")
        self.activities: list[tuple[str, str]] = []
        self.path: list[str] = []
        self.elements: list[str] = []
        self.dead = False  # every run stops before this point

    def program(self) -> Program:
        ops: list[Op] = []
        for phase in self.plan.workflow.phases:
            ops += self.sequence(phase.blocks, phase.id, False)
        if not self.dead:
            ops.append(MarkOp("end"))
        return Program(
            tuple(ops), self.activities, tuple(self.path), self.elements, self.plan.max_parallel
        )

    def sequence(self, blocks: tuple[Block, ...], container: str, inside: bool) -> list[Op]:
        ops: list[Op] = []
        for block in blocks:
            if self.dead:
                return ops
            ops += self.block(block, inside)
        if not self.dead:
            ops.append(MarkOp(container))
        return ops

    def activity(self, element: str, kind: str) -> int:
        self.activities.append((element, kind))
        if element not in self.elements:
            self.elements.append(element)
        return len(self.activities) - 1

    def block(self, block: Block, inside: bool) -> list[Op]:
        if isinstance(block, Step):
            return [self.step(block)]
        if isinstance(block, ParallelBlock):
            return [self.parallel(block)]
        if isinstance(block, DecisionBlock):
            if inside:
                raise Unsupported(f"the decision {block.id} sits inside a parallel branch")
            return self.decision(block)
        if isinstance(block, Checkpoint):
            return [self.checkpoint(block)]
        assert isinstance(block, LoopBlock)
        ops: list[Op] = []
        for _ in range(self.plan.loops.get(block.id, 1)):
            ops += self.sequence(block.body, block.id, inside)
        return ops

    def step(self, step: Step) -> StepOp:
        script = self.plan.steps[step.id]
        always_fails = script.failure_rate >= 1 or (
            script.fail > script.retries and script.failure_rate == 0
        )
        carry_on = script.on_failure == "continue"
        if carry_on and script.failure_rate > 0:
            raise Unsupported(
                f"{step.id} fails at random with on_failure: continue (what later decisions read "
                "and which milestones are reached would depend on the draw)"
            )
        skip = self.run.skip_reason(step) is not None
        op = StepOp(
            self.activity(step.id, "step"),
            step.id,
            script.duration,
            script.fail,
            script.retries,
            script.failure_rate,
            skip,
            self.plan.index.step_order[step.id],
            carry_on,
        )
        if not skip:
            if not always_fails:
                self.run.write_context(step)  # the runs it does not stop go on with it
            elif not carry_on:
                self.dead = True
        return op

    def checkpoint(self, block: Checkpoint) -> CheckpointOp:
        script = self.plan.checkpoints[block.id]
        if not script.approve:
            self.dead = True
        return CheckpointOp(
            self.activity(block.id, "checkpoint"), block.id, script.wait, script.approve
        )

    def decision(self, block: DecisionBlock) -> list[Op]:
        chosen, _ = self.run.choose(block)
        if chosen is None and block.provenance == "inferred":
            return [MarkOp(block.id)]
        if chosen is None:
            self.dead = True
            if block.id not in self.elements:
                self.elements.append(block.id)
            return [DeadEndOp(block.id)]
        self.path.append(chosen.id)
        ops: list[Op] = [PathOp(chosen.id), *self.sequence(chosen.blocks, chosen.id, False)]
        if not self.dead:
            ops.append(MarkOp(block.id))
        return ops

    def parallel(self, block: ParallelBlock) -> ParallelOp:
        _check_context(self.plan, block)
        capacity = self.plan.max_parallel
        contended = capacity is not None and _width(block) > capacity
        if contended and not all(
            all(isinstance(b, Step) for b in branch.blocks) for branch in block.branches
        ):
            raise Unsupported(
                f"{block.id} can run more steps at once than the {capacity} agent slots and a "
                "branch holds more than plain steps"
            )
        branches = []
        dead = False
        for branch in block.branches:
            self.dead = False
            branches.append(tuple(self.sequence(branch.blocks, branch.id, True)))
            dead = dead or self.dead
        self.dead = dead
        return ParallelOp(block.id, tuple(branches), contended)


def _width(block: Block) -> int:
    """How many steps of `block` can run at the same time."""
    if isinstance(block, Step):
        return 1
    if isinstance(block, ParallelBlock):
        return sum(max((_width(b) for b in br.blocks), default=0) for br in block.branches)
    if isinstance(block, DecisionBlock):
        return max((_width(b) for p in block.paths for b in p.blocks), default=0)
    if isinstance(block, LoopBlock):
        return max((_width(b) for b in block.body), default=0)
    return 0


def _steps(blocks: tuple[Block, ...]) -> list[Step]:
    found: list[Step] = []
    for block in blocks:
        if isinstance(block, Step):
            found.append(block)
        elif isinstance(block, ParallelBlock):
            for branch in block.branches:
                found += _steps(branch.blocks)
        elif isinstance(block, DecisionBlock):
            for path in block.paths:
                found += _steps(path.blocks)
        elif isinstance(block, LoopBlock):
            found += _steps(block.body)
    return found


def _check_context(plan: Plan, block: ParallelBlock) -> None:
    """Branches whose context writes another branch's condition (or a later decision) could
    read in an order that depends on timing."""
    written: list[set[str]] = []  # every item a branch writes
    valued: list[set[str]] = []  # the items it writes with a scripted value
    for branch in block.branches:
        steps = _steps(branch.blocks)
        scripted = {
            normalise(name) for step in steps for name, value in plan.steps[step.id].outputs
        }
        valued.append(scripted)
        written.append({normalise(i.name) for step in steps for i in step.produces} | scripted)
    for number, branch in enumerate(block.branches):
        others = set().union(*(w for i, w in enumerate(written) if i != number))
        conditional = [s for s in _steps(branch.blocks) if s.condition]
        if conditional and others:
            raise Unsupported(
                f"{conditional[0].id} has a condition and runs beside branches that write "
                "context (what it reads depends on which finishes first)"
            )
        clash = valued[number] & others
        if clash:
            raise Unsupported(
                f"branches of {block.id} write {sorted(clash)[0]!r} and one of them scripts its "
                "value (which value a later step reads depends on which finishes first)"
            )
