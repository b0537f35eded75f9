"""The discrete-event core on its own: event order, ties, slot limits, joins, stopping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from compiler.simulate.engine import (
    Acquire,
    AllOf,
    Delay,
    Process,
    Simulation,
    SimulationLimit,
    SlotPool,
)


def test_events_run_in_time_order_whatever_the_scheduling_order():
    sim = Simulation()
    seen: list[tuple[float, str]] = []

    def note(name: str) -> Callable[[], None]:
        return lambda: seen.append((sim.now, name))

    for delay, name in [(30, "c"), (10, "a"), (20, "b")]:
        sim.schedule(delay, 1, note(name))
    sim.run()
    assert seen == [(10, "a"), (20, "b"), (30, "c")]


def test_ties_break_by_priority_then_by_scheduling_order():
    sim = Simulation()
    seen: list[str] = []
    sim.schedule(5, 1, lambda: seen.append("wake-1"))
    sim.schedule(5, 1, lambda: seen.append("wake-2"))
    sim.schedule(5, 0, lambda: seen.append("grant"))
    sim.run()
    assert seen == ["grant", "wake-1", "wake-2"]


def test_ties_never_compare_the_actions():
    class Uncomparable:
        def __call__(self) -> None:
            pass

        def __lt__(self, other: object) -> bool:
            raise AssertionError("actions must never be compared")

    sim = Simulation()
    for _ in range(5):
        sim.schedule(1, 1, Uncomparable())
    sim.run()
    assert sim.now == 1


def _worker(
    log: list[tuple[str, str, float]], sim: Simulation, name: str, seconds: float
) -> Process:
    log.append((name, "start", sim.now))
    yield Delay(seconds)
    log.append((name, "end", sim.now))
    return name


def test_a_process_resumes_after_its_delay_and_returns_its_value():
    sim = Simulation()
    log: list[tuple[str, str, float]] = []
    results: list[Any] = []
    sim.start(_worker(log, sim, "w", 7), results.append)
    sim.run()
    assert log == [("w", "start", 0), ("w", "end", 7)]
    assert results == ["w"]


def test_all_of_waits_for_the_longest_child_and_keeps_results_in_order():
    sim = Simulation()
    log: list[tuple[str, str, float]] = []
    joined: list[Any] = []

    def parent() -> Process:
        values = yield AllOf([_worker(log, sim, n, s) for n, s in [("x", 9), ("y", 3), ("z", 5)]])
        joined.append((sim.now, values))

    sim.start(parent(), lambda _: None)
    sim.run()
    assert joined == [(9, ["x", "y", "z"])]


def test_all_of_with_children_that_never_wait_continues_at_once():
    sim = Simulation()
    joined: list[Any] = []

    def instant(value: int) -> Process:
        return value
        yield  # a generator that ends without waiting

    def parent() -> Process:
        values = yield AllOf([instant(1), instant(2)])
        joined.append(values)
        values = yield AllOf([])
        joined.append(values)

    sim.start(parent(), lambda _: None)
    sim.run()
    assert joined == [[1, 2], []]


def test_a_slot_limit_queues_work_and_serves_it_in_document_order():
    sim = Simulation()
    pool = SlotPool(sim, 2)
    log: list[tuple[str, str, float]] = []

    def job(name: str, order: int, seconds: float) -> Process:
        yield Acquire(pool, order)
        log.append((name, "start", sim.now))
        yield Delay(seconds)
        pool.release(name)
        log.append((name, "end", sim.now))

    # Four jobs ask at once; the pool lets two run, then hands slots over in document order.
    for name, order, seconds in [("a", 0, 10), ("b", 1, 4), ("c", 2, 5), ("d", 3, 1)]:
        sim.start(job(name, order, seconds), lambda _: None)
    sim.run()
    starts = {name: t for name, kind, t in log if kind == "start"}
    assert starts == {"a": 0, "b": 0, "c": 4, "d": 9}
    assert pool.in_use == 0


def test_a_waiter_learns_who_handed_the_slot_over():
    sim = Simulation()
    pool = SlotPool(sim, 1)
    handed: list[Any] = []

    def first() -> Process:
        yield Acquire(pool, 0)
        yield Delay(3)
        pool.release("first")

    def second() -> Process:
        token = yield Acquire(pool, 1)
        handed.append((sim.now, token))

    sim.start(first(), lambda _: None)
    sim.start(second(), lambda _: None)
    sim.run()
    assert handed == [(3, "first")]


def test_earlier_requests_are_served_before_earlier_document_order():
    sim = Simulation()
    pool = SlotPool(sim, 1)
    order: list[str] = []

    def job(name: str, position: int, start: float) -> Process:
        yield Delay(start)
        yield Acquire(pool, position)
        order.append(name)
        yield Delay(10)
        pool.release(name)

    sim.start(job("holder", 0, 0), lambda _: None)
    sim.start(job("late-but-first-in-document", 1, 5), lambda _: None)
    sim.start(job("early-but-last-in-document", 9, 2), lambda _: None)
    sim.run()
    assert order == ["holder", "early-but-last-in-document", "late-but-first-in-document"]


def test_stop_ends_the_run_and_nothing_else_happens():
    sim = Simulation()
    seen: list[float] = []
    sim.schedule(5, 1, sim.stop)
    sim.schedule(6, 1, lambda: seen.append(sim.now))
    sim.run()
    assert seen == []
    assert sim.now == 5
    sim.schedule(1, 1, lambda: seen.append(sim.now))  # ignored once stopped
    sim.run()
    assert seen == []


def test_a_runaway_model_hits_the_event_limit():
    sim = Simulation(max_events=100)

    def forever() -> Process:
        while True:
            yield Delay(1)

    sim.start(forever(), lambda _: None)
    with pytest.raises(SimulationLimit):
        sim.run()
