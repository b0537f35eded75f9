"""The discrete-event core: one heap of `(time, priority, sequence, action)`, processes written
as generators, and a pool of agent slots.

The shape follows simpy: a process yields a command (`Delay`, `AllOf`, `Acquire`) and is
resumed when the command completes. The heap's `sequence` is unique, so ties in time and
priority are broken by scheduling order and actions are never compared: a run is a pure
function of its inputs. Nothing here knows about workflows (see `compiler.simulate.runner`).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

#: Same-time ordering: a slot handed over by a finishing step is taken up before any other
#: process wakes at that instant, so waiting branches start in the order they queued.
GRANT = 0
WAKE = 1

Process = Generator["Command", Any, Any]


class SimulationLimit(RuntimeError):
    """The run scheduled more events than any real workflow could need."""


class _Pending:
    """Returned by a command that suspends its process."""


PENDING = _Pending()


class Command:
    def apply(self, runner: Runner) -> Any:
        raise NotImplementedError


@dataclass(slots=True)
class Delay(Command):
    """Resume after `seconds` of virtual time."""

    seconds: float

    def apply(self, runner: Runner) -> Any:
        runner.simulation.schedule(self.seconds, WAKE, runner.resume)
        return PENDING


@dataclass(slots=True)
class AllOf(Command):
    """Run the child processes side by side; resume with their results, in order, when the
    last one ends."""

    children: list[Process]

    def apply(self, runner: Runner) -> Any:
        results: list[Any] = [None] * len(self.children)
        state = {"left": len(self.children), "started": False}

        def finished(position: int) -> Callable[[Any], None]:
            def record(value: Any) -> None:
                results[position] = value
                state["left"] -= 1
                if state["left"] == 0 and state["started"]:
                    runner.resume(results)

            return record

        for position, child in enumerate(self.children):
            runner.simulation.start(child, finished(position))
        state["started"] = True
        # Children that all ended without waiting: carry on at once (no re-entrant resume).
        return results if state["left"] == 0 else PENDING


@dataclass(slots=True)
class Acquire(Command):
    """Take an agent slot; resumes with the token of whoever handed the slot over (None when
    one was free)."""

    pool: SlotPool
    order: int

    def apply(self, runner: Runner) -> Any:
        return self.pool.acquire(runner, self.order)


class Simulation:
    def __init__(self, max_events: int = 1_000_000) -> None:
        self.now = 0.0
        self.stopped = False
        self._heap: list[tuple[float, int, int, Callable[[], None]]] = []
        self._sequence = itertools.count()
        self._events = 0
        self._max_events = max_events

    def schedule(self, delay: float, priority: int, action: Callable[[], None]) -> None:
        if self.stopped:
            return
        heapq.heappush(self._heap, (self.now + delay, priority, next(self._sequence), action))

    def start(self, process: Process, on_exit: Callable[[Any], None]) -> None:
        """Run `process` now until its first wait; `on_exit` gets its return value."""
        Runner(self, process, on_exit).resume(None)

    def run(self) -> None:
        while self._heap and not self.stopped:
            time, _, _, action = heapq.heappop(self._heap)
            self._events += 1
            if self._events > self._max_events:
                raise SimulationLimit(f"more than {self._max_events} events")
            self.now = time
            action()

    def stop(self) -> None:
        """End the run now: nothing scheduled happens any more."""
        self.stopped = True
        self._heap.clear()


class Runner:
    """Drives one generator process."""

    __slots__ = ("generator", "on_exit", "simulation")

    def __init__(
        self, simulation: Simulation, generator: Process, on_exit: Callable[[Any], None]
    ) -> None:
        self.simulation = simulation
        self.generator = generator
        self.on_exit = on_exit

    def resume(self, value: Any = None) -> None:
        while True:
            if self.simulation.stopped:
                return
            try:
                command = self.generator.send(value)
            except StopIteration as done:
                self.on_exit(done.value)
                return
            value = command.apply(self)
            if value is PENDING:
                return


class SlotPool:
    """At most `capacity` agents at once (None: no limit). Waiters are served by the time they
    asked, then by document order."""

    def __init__(self, simulation: Simulation, capacity: int | None) -> None:
        self.simulation = simulation
        self.capacity = capacity
        self.in_use = 0
        self._waiting: list[tuple[float, int, int, Runner]] = []
        self._sequence = itertools.count()

    def acquire(self, runner: Runner, order: int) -> Any:
        if self.capacity is None or self.in_use < self.capacity:
            self.in_use += 1
            return None
        entry = (self.simulation.now, order, next(self._sequence), runner)
        heapq.heappush(self._waiting, entry)
        return PENDING

    def release(self, token: Any) -> None:
        """Give the slot back; the next waiter (if any) gets it, told who released it."""
        if self._waiting:
            _, _, _, waiter = heapq.heappop(self._waiting)
            self.simulation.schedule(0.0, GRANT, lambda: waiter.resume(token))
            return
        self.in_use -= 1
