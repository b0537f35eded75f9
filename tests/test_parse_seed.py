"""The canonical example (../shared/seeds/incident-response-example.md) compiles to the model
the product grew from."""

from __future__ import annotations

import pytest

from compiler.model import DecisionBlock, Document, ParallelBlock, iter_blocks, iter_steps
from compiler.parse import parse_document
from compiler.source import read_source
from tests.conftest import SEED, needs_seed
from tests.spans import text_at

pytestmark = needs_seed


@pytest.fixture(scope="module")
def seed() -> Document:
    return parse_document(read_source(SEED))


def test_phases_steps_and_agents(seed: Document) -> None:
    workflow = seed.workflows[0]
    steps = list(iter_steps(seed))
    assert len(workflow.phases) == 6
    assert len(steps) == 13
    assert len({step.agent for step in steps}) == 13
    assert [step.id for step in steps] == [
        "phase-1",
        "phase-2/path-a",
        "phase-2/path-b",
        "phase-2/path-c",
        "phase-3/branch-a",
        "phase-3/branch-b",
        "phase-3/branch-c",
        "phase-3/branch-d",
        "phase-4",
        "phase-5/branch-a",
        "phase-5/branch-b",
        "phase-5/branch-c",
        "phase-6",
    ]
    assert steps[0].agent == "incident-commander"
    assert workflow.title == "Critical Incident Response Workflow"
    assert workflow.intent is not None and workflow.intent.startswith(
        "Critical production incident"
    )


def test_decision_has_three_conditional_paths(seed: Document) -> None:
    phase = seed.workflows[0].phases[1]
    (decision,) = phase.blocks
    assert isinstance(decision, DecisionBlock)
    assert [path.id for path in decision.paths] == [
        "phase-2/path-a",
        "phase-2/path-b",
        "phase-2/path-c",
    ]
    assert [path.condition for path in decision.paths] == [
        "High response times + database metrics",
        "Error rates + application logs",
        "System-wide impact + infrastructure metrics",
    ]
    assert not any(path.is_default for path in decision.paths)


def test_parallel_blocks(seed: Document) -> None:
    blocks = [b for phase in seed.workflows[0].phases for b in iter_blocks(phase.blocks)]
    parallels = [b for b in blocks if isinstance(b, ParallelBlock)]
    assert [[branch.id for branch in p.branches] for p in parallels] == [
        ["phase-3/branch-a", "phase-3/branch-b", "phase-3/branch-c", "phase-3/branch-d"],
        ["phase-5/branch-a", "phase-5/branch-b", "phase-5/branch-c"],
    ]


def test_requirements_are_typed(seed: Document) -> None:
    by_name = {r.name: r for r in seed.requirements}
    rto = by_name["RTO (Recovery Time Objective)"]
    assert (rto.kind, rto.seconds) == ("duration", 30 * 60)
    updates = by_name["Communication"]
    assert (updates.kind, updates.seconds) == ("cadence", 15 * 60)
    assert by_name["Documentation"].kind == "text"


def test_recorded_run(seed: Document) -> None:
    run = seed.recorded_run
    assert run is not None
    assert len(run.phases) == 6
    assert [p.duration_s for p in run.phases] == [m * 60 for m in (5, 3, 12, 8, 10, 45)]
    assert [p.decision for p in run.phases if p.decision] == ["Path A"]
    assert run.phases[0].agents[0].name == "incident-commander"
    assert run.phases[0].agents[0].model == "opus"
    assert [a.name for a in run.phases[2].agents] == [
        "monitoring-specialist",
        "log-analysis-specialist",
        "customer-impact-analyst",
        "security-incident-analyst",
    ]


def test_spans_point_into_the_original_file(seed: Document) -> None:
    """The workflow sits inside a ```markdown fence; spans are still exact file positions."""
    source = read_source(SEED)
    steps = list(iter_steps(seed))
    for step in steps:
        assert step.agent_span is not None and step.agent is not None
        assert text_at(source, step.agent_span) == step.agent
        for item in step.produces:
            assert text_at(source, item.span) == item.name
        for ref in step.consumes:
            assert text_at(source, ref.span) == ref.text
    race = next(r for r in steps[6].consumes if r.text == "monitoring analysis")
    assert (race.span.line, race.span.column) == (83, 68)
