"""Small builders for simulation tests: workflows made from model objects (no parsing), and
scenarios made from plain dicts the way a scenario file would be."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from compiler.model import (
    Block,
    Branch,
    Checkpoint,
    DecisionBlock,
    DecisionPath,
    Document,
    LoopBlock,
    ParallelBlock,
    Phase,
    Span,
    Step,
    Workflow,
)
from compiler.simulate import LoadedScenario, Plan, RunResult, parse_scenario, plan_for, run

SPAN = Span(line=1, column=1, end_line=1, end_column=2)


def step(step_id: str, agent: str | None = None, **extra: Any) -> Step:
    return Step(id=step_id, title=step_id, agent=agent or f"agent-{step_id}", span=SPAN, **extra)


def parallel(block_id: str, *branches: tuple[str, Sequence[Block]]) -> ParallelBlock:
    return ParallelBlock(
        id=block_id,
        branches=tuple(
            Branch(
                id=branch_id,
                label=branch_id[-1].upper(),
                title=branch_id,
                blocks=tuple(body),
                span=SPAN,
            )
            for branch_id, body in branches
        ),
        span=SPAN,
    )


def decision(decision_id: str, *paths: DecisionPath) -> DecisionBlock:
    return DecisionBlock(id=decision_id, question="which?", paths=paths, span=SPAN)


def path(
    path_id: str, label: str, body: list[Block], condition: str | None = None, default: bool = False
) -> DecisionPath:
    return DecisionPath(
        id=path_id,
        label=label,
        title=f"{label} road",
        condition=condition,
        is_default=default,
        blocks=tuple(body),
        span=SPAN,
    )


def checkpoint(checkpoint_id: str) -> Checkpoint:
    return Checkpoint(id=checkpoint_id, title="approve?", span=SPAN)


def loop(loop_id: str, body: list[Block], max_iterations: int | None = 3) -> LoopBlock:
    return LoopBlock(
        id=loop_id, body=tuple(body), max_iterations=max_iterations, text="repeat", span=SPAN
    )


def phase(phase_id: str, *blocks: Block) -> Phase:
    return Phase(id=phase_id, title=phase_id, blocks=blocks, span=SPAN)


def document(*phases: Phase, requirements: tuple[Any, ...] = ()) -> Document:
    workflow = Workflow(title="test workflow", dialect="docs-site", phases=phases, span=SPAN)
    return Document(path="test.md", workflows=(workflow,), requirements=requirements)


def scenario(data: dict[str, Any]) -> LoadedScenario:
    """A scenario from a dict, through the real loader (JSON is YAML)."""
    return parse_scenario(json.dumps(data), "scenario.json")


def plan(doc: Document, data: dict[str, Any] | None = None) -> Plan:
    return plan_for(doc, scenario(data or {}))


def simulate(doc: Document, data: dict[str, Any] | None = None) -> RunResult:
    return run(plan(doc, data))


def times(result: RunResult) -> dict[str, tuple[float, float | None]]:
    """Step key → (start, finish)."""
    return {a.key: (a.start_s, a.finish_s) for a in result.activities}
