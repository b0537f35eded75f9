"""The vectorised Monte Carlo engine: every run of a chunk goes through a step at once.

A chunk holds per-run arrays (now, the activity each run last waited on, when and why it
stopped) and per-activity arrays (start, finish, status, the activity it waited on). A step
draws its attempts for every run that reaches it: the number of attempts is a geometric draw
(scripted failures first, then each attempt fails with the failure rate), each attempt a
duration. A parallel block under fewer agent slots than it could use keeps one free-time per
slot and run and serves waiting steps first come, first served (then in document order), as
the event engine's slot pool does. A failure or rejection stops a run at that instant: what
other branches would have done later is discarded when the chunk is summed up.

Every random quantity (a step's attempts, each attempt's duration, a checkpoint's wait) has
its own stream, seeded from the seed and the quantity, and a run takes the next values in run
order: a run's draws do not depend on how runs are split into chunks, so the results depend
only on the seed and the number of runs.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from functools import partial

import numpy as np
import numpy.typing as npt

from compiler.simulate.batch_plan import (
    CheckpointOp,
    DeadEndOp,
    MarkOp,
    Op,
    ParallelOp,
    PathOp,
    Program,
    StepOp,
)
from compiler.simulate.bind import Plan
from compiler.simulate.distributions import _Z90, Duration
from compiler.simulate.tally import Counts

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Attempts = tuple[Bools, list[Floats], Bools, list[Bools]]

#: Runs per chunk at most; fewer when the workflow has many activities (memory ~ runs ×
#: activities). Results do not depend on it.
CHUNK = 65_536
_CELLS = 1 << 21

# Activity statuses
NOT_RUN, COMPLETED, FAILED, SKIPPED, CANCELLED, REJECTED = range(6)
STATUS_NAMES = ("not run", "completed", "failed", "skipped", "cancelled", "rejected")
# Run statuses
RUN_STATUSES = ("completed", "failed", "rejected")


class Streams:
    """One random stream per quantity, kept across chunks."""

    def __init__(self, seed: int) -> None:
        self.root = [abs(seed) & 0xFFFFFFFF, abs(seed) >> 32, int(seed < 0)]
        self.found: dict[tuple[int, ...], np.random.Generator] = {}

    def __call__(self, *key: int) -> np.random.Generator:
        stream = self.found.get(key)
        if stream is None:
            stream = np.random.default_rng(np.random.SeedSequence([*self.root, *key]))
            self.found[key] = stream
        return stream


def draw(duration: Duration, stream: Callable[[], np.random.Generator], size: int) -> Floats:
    """`size` draws of `duration`, to the millisecond (as `Duration.sample`)."""
    if not duration.is_random:
        return np.full(size, duration.low)
    if duration.kind == "triangular":
        values = stream().triangular(duration.low, duration.mode, duration.high, size)
    else:
        sigma = math.log(duration.high / duration.low) / _Z90
        values = stream().lognormal(math.log(duration.low), sigma, size)
    return np.round(values, 3)


class Chunk:
    """`n` runs of a program, run together."""

    def __init__(self, program: Program, plan: Plan, streams: Streams, n: int) -> None:
        self.program = program
        self.streams = streams
        self.n = n
        acts = len(program.activities)
        self.start = np.full((acts, n), np.nan)
        self.finish = np.full((acts, n), np.nan)
        self.status = np.zeros((acts, n), np.int8)
        self.pred = np.full((acts, n), -1, np.int64)
        self.fail_end = np.full((acts, n), np.inf)  # when a failed first attempt ended
        self.began = np.full((acts, n), np.nan)  # when the last attempt began
        self.stop_began = np.full(n, np.inf)
        self.stop_t = np.full(n, np.inf)
        self.stop_status = np.zeros(n, np.int8)
        self.stop_element = np.full(n, -1, np.int64)
        self.stop_act = np.full(n, -1, np.int64)
        self.path_len = np.zeros(n, np.int64)
        self.tracked = {slo.until or "end" for slo in plan.slos} | {"end"}
        self.marks = {element: np.full(n, np.nan) for element in self.tracked}
        self.element_index = {e: i for i, e in enumerate(program.elements)}

    # --- running ---------------------------------------------------------------------

    def run(self) -> tuple[Floats, Ints]:
        """Run the chunk: each run's end time and the activity the end waited on."""
        alive = np.ones(self.n, bool)
        now = np.zeros(self.n)
        last = np.full(self.n, -1, np.int64)
        alive, now, last = self.sequence(self.program.ops, alive, now, last)
        stopped = np.isfinite(self.stop_t)
        self.discard_after_stop(stopped)
        total = np.where(stopped, self.stop_t, now)
        return total, np.where(stopped, self.stop_act, last)

    def sequence(
        self, ops: tuple[Op, ...], alive: Bools, now: Floats, last: Ints
    ) -> tuple[Bools, Floats, Ints]:
        for op in ops:
            if not alive.any():
                break
            if isinstance(op, StepOp):
                alive, now, last = self.step(op, alive, now, last)
            elif isinstance(op, ParallelOp):
                alive, now, last = self.parallel(op, alive, now, last)
            elif isinstance(op, CheckpointOp):
                alive, now, last = self.checkpoint(op, alive, now, last)
            elif isinstance(op, MarkOp):
                if op.element in self.tracked:
                    self.marks[op.element][alive] = now[alive]
            elif isinstance(op, PathOp):
                self.path_len[alive] += 1
            else:
                assert isinstance(op, DeadEndOp)
                self.stop(alive, now, op.element, 1, last, now)
                alive = np.zeros(self.n, bool)
        return alive, now, last

    def stop(
        self, mask: Bools, when: Floats, element: str, status: int, act: Ints, began: Floats
    ) -> None:
        """The runs in `mask` stop at `when`. The earliest stop of a run wins; at the same
        instant, the one whose last wait began first (the event engine's heap order), then
        the one written first."""
        tied = (when == self.stop_t) & (
            (began < self.stop_began) | ((began == self.stop_began) & (act < self.stop_act))
        )
        first = mask & ((when < self.stop_t) | tied)
        self.stop_began[first] = began[first]
        self.stop_t[first] = when[first]
        self.stop_status[first] = status
        self.stop_element[first] = self.element_index[element]
        self.stop_act[first] = act[first]

    def attempts(self, op: StepOp, alive: Bools) -> Attempts:
        """Whether the step succeeds in each run, the duration of each attempt (0 for
        attempts a run does not make), whether its first attempt failed, and which runs
        made each attempt."""
        runs = int(alive.sum())
        allowed = op.retries + 1
        if op.failure_rate <= 0:
            first_success = np.full(self.n, op.fail + 1, np.int64)
        elif op.failure_rate >= 1:
            first_success = np.full(self.n, allowed + 1, np.int64)
        else:
            geometric = self.streams(0, op.act).geometric(1 - op.failure_rate, runs)
            first_success = np.full(self.n, allowed + 1, np.int64)
            first_success[alive] = op.fail + np.minimum(geometric, allowed + 1)
        made = np.minimum(first_success, allowed)
        durations, made_by = [], []
        for attempt in range(1, allowed + 1):
            needed = alive & (made >= attempt)
            count = int(needed.sum())
            if count == 0:
                break
            values = np.zeros(self.n)
            stream = partial(self.streams, 1, op.act, attempt)
            values[needed] = draw(op.duration, stream, count)
            durations.append(values)
            made_by.append(needed)
        return first_success <= allowed, durations, first_success > 1, made_by

    def step(self, op: StepOp, alive: Bools, now: Floats, last: Ints) -> tuple[Bools, Floats, Ints]:
        a = op.act
        if op.skip:
            self.status[a][alive] = SKIPPED
            self.start[a][alive] = now[alive]
            self.finish[a][alive] = now[alive]
            return alive, now, last
        ok, durations, failed_first, made_by = self.attempts(op, alive)
        finish, began = _timed(now, durations, made_by)
        self.record(op, alive, ok, now, finish, began, durations, failed_first, last)
        if op.element in self.tracked:
            done = alive & ok
            self.marks[op.element][done] = finish[done]
        if op.carry_on:
            return alive, np.where(alive, finish, now), np.where(alive, a, last)
        failed = alive & ~ok
        self.stop(failed, finish, op.element, 1, np.full(self.n, a, np.int64), began)
        return alive & ok, np.where(alive, finish, now), np.where(alive, a, last)

    def record(
        self,
        op: StepOp,
        mask: Bools,
        ok: Bools,
        start: Floats,
        finish: Floats,
        began: Floats,
        durations: list[Floats],
        failed_first: Bools,
        pred: Ints,
    ) -> None:
        a = op.act
        self.start[a][mask] = start[mask]
        self.finish[a][mask] = finish[mask]
        self.began[a][mask] = began[mask]
        self.status[a][mask] = np.where(ok[mask], COMPLETED, FAILED)
        self.pred[a][mask] = pred[mask]
        if op.fail > 0 or op.failure_rate > 0:
            first_failed = mask & failed_first
            end = start + durations[0]
            self.fail_end[a][first_failed] = end[first_failed]

    def checkpoint(
        self, op: CheckpointOp, alive: Bools, now: Floats, last: Ints
    ) -> tuple[Bools, Floats, Ints]:
        a = op.act
        wait = np.zeros(self.n)
        wait[alive] = draw(op.wait, partial(self.streams, 2, a), int(alive.sum()))
        finish = now + wait
        self.start[a][alive] = now[alive]
        self.finish[a][alive] = finish[alive]
        self.began[a][alive] = now[alive]
        self.pred[a][alive] = last[alive]
        acts = np.full(self.n, a, np.int64)
        if not op.approve:
            self.status[a][alive] = REJECTED
            self.stop(alive, finish, op.element, 2, acts, now)
            return np.zeros(self.n, bool), np.where(alive, finish, now), last
        self.status[a][alive] = COMPLETED
        if op.element in self.tracked:
            self.marks[op.element][alive] = finish[alive]
        return alive, np.where(alive, finish, now), np.where(alive, acts, last)

    def parallel(
        self, op: ParallelOp, alive: Bools, now: Floats, last: Ints
    ) -> tuple[Bools, Floats, Ints]:
        if op.contended:
            ends, tails, going = self.scheduled(op, alive, now, last)
        else:
            outcomes = [self.sequence(branch, alive, now, last) for branch in op.branches]
            going = [o[0] for o in outcomes]
            ends = [o[1] for o in outcomes]
            tails = [o[2] for o in outcomes]
        joined = alive.copy()
        for branch_alive in going:
            joined &= branch_alive
        end = np.maximum.reduce(ends) if ends else now
        latest = last
        if tails and len(self.program.activities):
            tail = np.stack(tails)
            rows = np.arange(self.n)
            finished = np.where(tail >= 0, self.finish[np.maximum(tail, 0), rows], -np.inf)
            best = np.argmax(finished, axis=0)  # the first of equals: the branch written first
            chosen = tail[best, rows]
            latest = np.where(chosen >= 0, chosen, last)
        if op.element in self.tracked:
            self.marks[op.element][joined] = end[joined]
        return joined, np.where(alive, end, now), np.where(alive, latest, last)

    def scheduled(
        self, op: ParallelOp, alive: Bools, now: Floats, last: Ints
    ) -> tuple[list[Floats], list[Ints], list[Bools]]:
        """Branches of plain steps sharing the agent slots: each step asks for a slot when its
        branch reaches it and gets the first one free, first come first served, then in
        document order (the event engine's pool)."""
        assert self.program.capacity is not None
        n, slots = self.n, self.program.capacity
        branches = [tuple(s for s in b if isinstance(s, StepOp)) for b in op.branches]
        for branch in branches:  # a skipped step takes no slot and no time
            for step in branch:
                if step.skip:
                    self.step(step, alive, now, last)
        branches = [tuple(s for s in b if not s.skip) for b in branches]
        drawn = {s.act: self.attempts(s, alive) for b in branches for s in b}
        count = len(branches)
        rows = np.arange(n)
        free = np.repeat(now[:, None], slots, axis=1)
        holder = np.full((n, slots), -1, np.int64)
        since = np.full((n, slots), -np.inf)  # when the holder started: ties go to the earlier
        ask = np.repeat(now[:, None], count, axis=1)
        pointer = np.zeros((n, count), np.int64)
        going = np.repeat(alive[:, None], count, axis=1)
        tail = np.repeat(last[:, None], count, axis=1)
        lengths = np.array([len(b) for b in branches], np.int64)
        width = int(lengths.max(initial=0))
        orders = np.full((count, width + 1), np.iinfo(np.int64).max, np.int64)
        for b, branch in enumerate(branches):
            for position, step in enumerate(branch):
                orders[b, position] = step.order
        for _ in range(int(lengths.sum())):
            pending = going & (pointer < lengths)
            if not pending.any():
                break
            asked = np.where(pending, ask, np.inf)
            earliest = asked.min(axis=1)
            tied = pending & (asked == earliest[:, None])
            order = np.where(
                tied, orders[np.arange(count), np.minimum(pointer, width)], np.iinfo(np.int64).max
            )
            chosen = np.argmin(order, axis=1)
            serving = pending.any(axis=1)
            soonest = free.min(axis=1)
            slot = np.argmin(np.where(free == soonest[:, None], since, np.inf), axis=1)
            free_at = free[rows, slot]
            ready = ask[rows, chosen]
            start = np.maximum(ready, free_at)
            handed = (free_at > ready) & (holder[rows, slot] >= 0)
            pred = np.where(handed, holder[rows, slot], tail[rows, chosen])
            for b, branch in enumerate(branches):
                for position, step in enumerate(branch):
                    mask = serving & (chosen == b) & (pointer[:, b] == position)
                    if not mask.any():
                        continue
                    ok, durations, failed_first, made_by = drawn[step.act]
                    finish, began = _timed(start, durations, made_by)
                    self.record(step, mask, ok, start, finish, began, durations, failed_first, pred)
                    if step.element in self.tracked:
                        done = mask & ok
                        self.marks[step.element][done] = finish[done]
                    stopping = mask & ~ok & (not step.carry_on)
                    acts = np.full(n, step.act, np.int64)
                    self.stop(stopping, finish, step.element, 1, acts, began)
                    free[mask, slot[mask]] = finish[mask]
                    holder[mask, slot[mask]] = step.act
                    since[mask, slot[mask]] = start[mask]
                    ask[mask, b] = finish[mask]
                    tail[mask, b] = step.act
                    going[stopping, b] = False
            pointer[rows[serving], chosen[serving]] += 1
        ends = [ask[:, b] for b in range(count)]
        return ends, [tail[:, b] for b in range(count)], [going[:, b] for b in range(count)]

    def discard_after_stop(self, stopped: Bools) -> None:
        """Nothing happens after a run stops: later starts never were, activities still
        running were cancelled, later milestones were not reached."""
        if not stopped.any():
            return
        when = self.stop_t
        later_start = stopped & (self.start > when)
        running = stopped & (self.finish > when) & ~later_start
        # Finishing at the very instant of the stop, but woken after the step that stopped it.
        order = np.arange(self.status.shape[0])[:, None]
        after = (self.began > self.stop_began) | (
            (self.began == self.stop_began) & (order > self.stop_act)
        )
        running |= stopped & (self.finish == when) & after & ~later_start
        self.status[later_start] = NOT_RUN
        self.status[running & (self.status != NOT_RUN)] = CANCELLED
        for marks in self.marks.values():
            marks[stopped & (marks > when)] = np.nan


def _timed(start: Floats, durations: list[Floats], made_by: list[Bools]) -> tuple[Floats, Floats]:
    """When the attempts end, one after another from `start`, and when the last one began."""
    finish, began = start, start
    for values, made in zip(durations, made_by, strict=True):
        began = np.where(made, finish, began)
        finish = finish + values
    return finish, began


def to_ms(seconds: Floats) -> Ints:
    return np.rint(seconds * 1000).astype(np.int64)


def runs_per_chunk(program: Program) -> int:
    return max(1024, min(CHUNK, _CELLS // max(1, len(program.activities))))


class Summary:
    """Tallies of every chunk, merged: bounded by the workflow's size, not the runs."""

    def __init__(self, program: Program, plan: Plan) -> None:
        self.program = program
        self.plan = plan
        self.statuses: Counter[str] = Counter()
        self.stops: Counter[tuple[str, str]] = Counter()
        self.totals = Counts()
        self.slo_met: Counter[str] = Counter()
        self.slo_values = {slo.name: Counts() for slo in plan.slos}
        self.critical: Counter[str] = Counter()
        self.paths: Counter[tuple[str, ...]] = Counter()
        self.held: Counter[str] = Counter()
        self.failed: Counter[str] = Counter()
        self.retried: Counter[str] = Counter()
        self.passed = 0
        ids = sorted({element for element, _ in program.activities})
        self.ids = ids
        self.id_of = np.array([ids.index(e) for e, _ in program.activities], np.int64)
        self.kind_step = [kind == "step" for _, kind in program.activities]

    def add(self, chunk: Chunk, total: Floats, last: Ints) -> None:
        n = chunk.n
        stopped = np.isfinite(chunk.stop_t)
        status = np.where(stopped, chunk.stop_status, 0)
        for code, name in enumerate(RUN_STATUSES):
            count = int((status == code).sum())
            if count:
                self.statuses[name] += count
        if stopped.any():
            elements, counts = np.unique(
                np.stack([status[stopped], chunk.stop_element[stopped]]), axis=1, return_counts=True
            )
            for (code, element), count in zip(elements.T.tolist(), counts.tolist(), strict=True):
                self.stops[RUN_STATUSES[code], self.program.elements[element]] += count
        completed = status == 0
        self.totals.add(to_ms(total[completed]))
        held = np.ones(n, bool)
        verdicts: dict[str, Bools] = {}
        for slo in self.plan.slos:
            if slo.kind == "deadline":
                milestone = chunk.marks[slo.until or "end"]
                reached = ~np.isnan(milestone)
                met = reached & (milestone <= slo.limit_s)
                self.slo_values[slo.name].add(to_ms(milestone[reached]))
            else:
                longest = self.longest_gap(chunk, slo.steps, slo.until, total)
                met = longest <= slo.limit_s
                self.slo_values[slo.name].add(to_ms(longest))
            verdicts[slo.name] = met
            self.slo_met[slo.name] += int(met.sum())
        for name, ok in self.expectations(chunk, status, total, verdicts):
            self.held[name] += int(ok.sum())
            held &= ok
        self.passed += int(held.sum())
        self.count_critical(chunk, last)
        for length, count in zip(*np.unique(chunk.path_len, return_counts=True), strict=True):
            self.paths[self.program.path[: int(length)]] += int(count)
        self.count_failures(chunk)

    def longest_gap(
        self, chunk: Chunk, steps: frozenset[str], until: str | None, total: Floats
    ) -> Floats:
        horizon = total
        if until:
            reached = chunk.marks[until]
            horizon = np.where(np.isnan(reached), total, reached)
        acts = [i for i, (e, kind) in enumerate(self.program.activities) if e in steps]
        finishes = chunk.finish[acts] if acts else np.zeros((0, chunk.n))
        done = chunk.status[acts] == COMPLETED if acts else np.zeros((0, chunk.n), bool)
        times = np.where(done & (finishes <= horizon), finishes, horizon)
        edges = np.concatenate([np.zeros((1, chunk.n)), np.sort(times, axis=0), horizon[None]])
        longest: Floats = np.max(np.diff(edges, axis=0), axis=0)
        return longest

    def expectations(
        self, chunk: Chunk, status: Ints, total: Floats, verdicts: dict[str, Bools]
    ) -> list[tuple[str, Bools]]:
        expect = self.plan.expect
        wanted = expect.status or "completed"
        code = RUN_STATUSES.index(wanted) if wanted in RUN_STATUSES else -1
        checks = [("status", status == code)]
        if expect.path is not None:
            length = len(expect.path)
            fits = self.program.path[:length] == expect.path
            checks.append(("path", (chunk.path_len == length) & fits))
        if expect.finishes_within is not None:
            checks.append(("finishes_within", (status == 0) & (total <= expect.finishes_within)))
        wanted_slos = dict(expect.slos)
        for slo in self.plan.slos:
            met = verdicts[slo.name]
            checks.append(
                (f"slo {slo.name}", met if wanted_slos.get(slo.name, "met") == "met" else ~met)
            )
        for step_id, wanted_status in expect.steps:
            final = np.zeros(chunk.n, np.int8)
            for a, (element, kind) in enumerate(self.program.activities):
                if element == step_id and kind == "step":
                    final = np.where(chunk.status[a] != NOT_RUN, chunk.status[a], final)
            code = STATUS_NAMES.index(wanted_status) if wanted_status in STATUS_NAMES else -1
            checks.append((f"step {step_id}", final == code))
        return checks

    def count_critical(self, chunk: Chunk, last: Ints) -> None:
        rows = np.arange(chunk.n)
        on = np.zeros((len(self.ids), chunk.n), bool)
        current = last.copy()
        for _ in range(len(self.program.activities)):
            valid = current >= 0
            if not valid.any():
                break
            at, acts = rows[valid], current[valid]
            on[self.id_of[acts], at] = True
            current[valid] = chunk.pred[acts, at]
        for index, count in enumerate(on.sum(axis=1).tolist()):
            if count:
                self.critical[self.ids[index]] += count

    def count_failures(self, chunk: Chunk) -> None:
        failed = np.zeros((len(self.ids), chunk.n), bool)
        troubled = np.zeros((len(self.ids), chunk.n), bool)
        for a, (_, kind) in enumerate(self.program.activities):
            if kind != "step":
                continue
            status = chunk.status[a]
            happened = status != NOT_RUN
            fail_end = chunk.fail_end[a]
            # A failed attempt counts when it ended before the stop (or at its instant,
            # having begun before the step that stopped the run).
            before = (fail_end < chunk.stop_t) | (
                (fail_end == chunk.stop_t)
                & (
                    (chunk.start[a] < chunk.stop_began)
                    | ((chunk.start[a] == chunk.stop_began) & (a <= chunk.stop_act))
                )
            )
            troubled[self.id_of[a]] |= happened & np.isfinite(fail_end) & before
            failed[self.id_of[a]] |= status == FAILED
        for index, element in enumerate(self.ids):
            failed_runs = int(failed[index].sum())
            retried_runs = int((troubled[index] & ~failed[index]).sum())
            if failed_runs:
                self.failed[element] += failed_runs
            if retried_runs:
                self.retried[element] += retried_runs


def run_batch(
    program: Program,
    plan: Plan,
    runs: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
    chunk: int | None = None,
) -> Summary:
    """Run `runs` runs of `program` in chunks; `progress` hears how many runs each finished."""
    streams = Streams(seed)
    summary = Summary(program, plan)
    size = chunk or runs_per_chunk(program)
    done = 0
    while done < runs:
        n = min(size, runs - done)
        batch = Chunk(program, plan, streams, n)
        total, last = batch.run()
        summary.add(batch, total, last)
        done += n
        if progress is not None:
            progress(n)
    return summary
