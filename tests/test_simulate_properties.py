"""Property tests: random workflows and scenarios, checked against facts that must always hold.

Without a slot limit and without failures, a run's length has a closed form (a sequence adds,
a parallel block takes its longest branch, a decision its chosen path, a loop repeats, a
checkpoint waits): the engine must agree with it exactly.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.model import (
    Block,
    Checkpoint,
    DecisionBlock,
    LoopBlock,
    ParallelBlock,
    Step,
)
from compiler.simulate.report_json import render_json
from tests.simulation_builders import (
    checkpoint,
    decision,
    document,
    loop,
    parallel,
    path,
    phase,
    plan,
    simulate,
    step,
)

PROFILE = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def workflows(draw: st.DrawFn) -> Any:
    counter = itertools.count(1)

    def block(depth: int) -> Block:
        kinds = ["step"] * 4 + (["parallel", "decision", "loop", "checkpoint"] if depth < 3 else [])
        kind = draw(st.sampled_from(kinds))
        n = next(counter)
        if kind == "step":
            return step(f"s{n}", agent=draw(st.sampled_from(["alpha", "beta", "gamma", "delta"])))
        if kind == "checkpoint":
            return checkpoint(f"gate-{n}")
        if kind == "parallel":
            count = draw(st.integers(1, 4))
            return parallel(
                f"par-{n}", *[(f"par-{n}/branch-{i}", sequence(depth + 1)) for i in range(count)]
            )
        if kind == "loop":
            return loop(
                f"loop-{n}", sequence(depth + 1), max_iterations=draw(st.sampled_from([None, 2, 3]))
            )
        count = draw(st.integers(1, 3))
        paths = [path(f"dec-{n}/path-{i}", f"P{i}", sequence(depth + 1)) for i in range(count)]
        return decision(f"dec-{n}", *paths)

    def sequence(depth: int) -> list[Block]:
        return [block(depth) for _ in range(draw(st.integers(0 if depth else 1, 3)))]

    phases = [phase(f"phase-{i}", *sequence(0)) for i in range(1, draw(st.integers(1, 3)) + 1)]
    return document(*phases)


def elements(doc: Any) -> tuple[list[Step], list[DecisionBlock], list[LoopBlock], list[Checkpoint]]:
    from compiler.model import iter_blocks

    found: list[Block] = [b for p in doc.workflows[0].phases for b in iter_blocks(p.blocks)]
    return (
        [b for b in found if isinstance(b, Step)],
        [b for b in found if isinstance(b, DecisionBlock)],
        [b for b in found if isinstance(b, LoopBlock)],
        [b for b in found if isinstance(b, Checkpoint)],
    )


@st.composite
def runs(draw: st.DrawFn, failures: bool = True, limit: bool = True) -> tuple[Any, dict[str, Any]]:
    doc = draw(workflows())
    steps, decisions, loops, checkpoints = elements(doc)
    scenario: dict[str, Any] = {"seed": draw(st.integers(0, 2**16))}
    scripts: dict[str, Any] = {}
    for s in steps:
        script: dict[str, Any] = {"duration": draw(st.integers(0, 3600))}
        if failures and draw(st.booleans()):
            script.update(
                fail=draw(st.integers(0, 3)),
                retries=draw(st.integers(0, 2)),
                on_failure=draw(st.sampled_from(["stop", "continue"])),
            )
        scripts[s.id] = script
    scenario["steps"] = scripts
    scenario["decisions"] = {
        d.id: draw(st.sampled_from([p.id for p in d.paths])) for d in decisions
    }
    scenario["loops"] = {lp.id: draw(st.integers(1, lp.max_iterations or 3)) for lp in loops}
    scenario["checkpoints"] = {
        c.id: {
            ("approve_after" if not failures or draw(st.booleans()) else "reject_after"): draw(
                st.integers(0, 900)
            )
        }
        for c in checkpoints
    }
    if limit and draw(st.booleans()):
        scenario["resources"] = {"max_parallel_agents": draw(st.integers(1, 3))}
    return doc, scenario


def expected_length(blocks: tuple[Block, ...], scenario: dict[str, Any]) -> float:
    """The closed-form length of a sequence with unlimited agents and no failures."""
    total = 0.0
    for block in blocks:
        if isinstance(block, Step):
            total += scenario["steps"][block.id]["duration"]
        elif isinstance(block, Checkpoint):
            total += scenario["checkpoints"][block.id]["approve_after"]
        elif isinstance(block, ParallelBlock):
            total += max((expected_length(b.blocks, scenario) for b in block.branches), default=0)
        elif isinstance(block, DecisionBlock):
            chosen = next(p for p in block.paths if p.id == scenario["decisions"][block.id])
            total += expected_length(chosen.blocks, scenario)
        else:
            total += scenario["loops"][block.id] * expected_length(block.body, scenario)
    return total


@PROFILE
@given(runs())
def test_any_valid_scenario_terminates_with_consistent_times(case):
    doc, scenario = case
    result = simulate(doc, scenario)
    assert result.status in ("completed", "failed", "rejected")
    for activity in result.activities:
        assert activity.finish_s is not None
        assert 0 <= activity.ready_s <= activity.start_s <= activity.finish_s <= result.total_s
    times = [event.time_s for event in result.trace]
    assert times == sorted(times)


@PROFILE
@given(runs())
def test_the_total_is_at_least_the_longest_single_step(case):
    doc, scenario = case
    result = simulate(doc, scenario)
    longest = max(
        (a.finish_s - a.start_s for a in result.activities if a.finish_s is not None), default=0
    )
    assert result.total_s >= longest


@PROFILE
@given(runs(failures=False, limit=False))
def test_without_a_slot_limit_the_run_lasts_exactly_its_closed_form_length(case):
    doc, scenario = case
    result = simulate(doc, scenario)
    assert result.status == "completed"
    expected = sum(expected_length(p.blocks, scenario) for p in doc.workflows[0].phases)
    assert result.total_s == expected


@PROFILE
@given(st.lists(st.lists(st.integers(0, 5000), min_size=1, max_size=4), min_size=1, max_size=6))
def test_without_a_slot_limit_a_parallel_block_lasts_as_long_as_its_longest_branch(branches):
    doc = document(
        phase(
            "phase-1",
            parallel(
                "par",
                *[
                    (f"par/b{i}", [step(f"b{i}-s{j}") for j in range(len(d))])
                    for i, d in enumerate(branches)
                ],
            ),
        )
    )
    durations = {
        f"b{i}-s{j}": {"duration": d} for i, ds in enumerate(branches) for j, d in enumerate(ds)
    }
    result = simulate(doc, {"steps": durations})
    fork = next(e.time_s for e in result.trace if e.kind == "fork")
    join = next(e.time_s for e in result.trace if e.kind == "join")
    assert join - fork == max(sum(ds) for ds in branches)


@PROFILE
@given(runs(failures=False))
def test_a_slot_limit_is_never_exceeded_and_only_ever_delays(case):
    doc, scenario = case
    result = simulate(doc, scenario)
    cap = scenario.get("resources", {}).get("max_parallel_agents")
    steps = [a for a in result.activities if a.kind == "step" and a.status != "skipped"]
    edges = sorted(
        [(a.start_s, 1) for a in steps] + [(a.finish_s or 0, -1) for a in steps],
        key=lambda e: (e[0], e[1]),
    )
    running = peak = 0
    for _, change in edges:
        running += change
        peak = max(peak, running)
    if cap is not None:
        assert peak <= cap
    unlimited = {k: v for k, v in scenario.items() if k != "resources"}
    assert result.total_s >= simulate(doc, unlimited).total_s


@PROFILE
@given(runs())
def test_the_same_plan_gives_the_same_bytes(case):
    doc, scenario = case
    assert render_json(simulate(doc, scenario)) == render_json(simulate(doc, scenario))
    assert plan(doc, scenario) == plan(doc, scenario)
