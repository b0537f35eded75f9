"""Binding a scenario to a document: every name resolves, or the error names file, line, key."""

from __future__ import annotations

from typing import Any

import pytest

from compiler.model import Document
from compiler.simulate import ScenarioError
from compiler.simulate.distributions import Duration
from tests.simulation_builders import (
    checkpoint,
    decision,
    document,
    loop,
    path,
    phase,
    plan,
    step,
)


def sample_doc() -> Document:
    return document(
        phase(
            "phase-1",
            step("phase-1/step-1", agent="plugin:planner"),
            checkpoint("phase-checkpoint-1"),
        ),
        phase(
            "phase-2",
            decision(
                "phase-2/decision",
                path("phase-2/path-a", "A", [step("phase-2/path-a", agent="fixer")]),
                path("phase-2/else", "else", [step("phase-2/else", agent="fixer")], default=True),
            ),
            loop("phase-2/loop", [step("phase-2/step-9", agent="checker")], max_iterations=3),
        ),
    )


def bad(data: dict[str, Any]) -> str:
    with pytest.raises(ScenarioError) as caught:
        plan(sample_doc(), data)
    return caught.value.describe()


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (
            {"steps": {"phase-1/step-2": {}}},
            "unknown step id 'phase-1/step-2'; did you mean 'phase-1/step-1'?",
        ),
        (
            {"agents": {"fixxer": {}}},
            "agents.fixxer: unknown agent 'fixxer'; did you mean 'fixer'?",
        ),
        ({"decisions": {"phase-3": "A"}}, "decisions.phase-3: unknown decision 'phase-3'"),
        ({"decisions": {"phase-2": "path-z"}}, "unknown path of phase-2/decision 'path-z'"),
        ({"checkpoints": {"gate": {}}}, "checkpoints.gate: unknown checkpoint 'gate'"),
        (
            {"loops": {"phase-2/loop": 4}},
            "4 runs is more than the document allows for phase-2/loop (at most 3 runs in all)",
        ),
        (
            {"slo": [{"name": "x", "within": "1m", "until": "phase-9"}]},
            "slo[0].until: unknown element 'phase-9'",
        ),
        (
            {"slo": [{"name": "x", "every": "1m", "steps": "*comms*"}]},
            "slo[0].steps: '*comms*' matches no step id or agent",
        ),
        (
            {"slo": [{"name": "x", "within": "1m"}, {"name": "x", "within": "2m"}]},
            "two SLOs are named 'x'",
        ),
        ({"inputs": {"TOPIC": "x"}}, "inputs.TOPIC: the workflow has no input 'TOPIC'"),
        ({"expect": {"path": ["path-q"]}}, "expect.path[0]: unknown decision path 'path-q'"),
        ({"expect": {"slos": {"RTO": "met"}}}, "expect.slos.RTO: unknown SLO 'RTO'"),
        ({"expect": {"steps": {"nope": "completed"}}}, "expect.steps.nope: unknown step id 'nope'"),
    ],
)
def test_unknown_names_are_errors_with_the_key(data, needle):
    message = bad(data)
    assert message.startswith("scenario.json:"), message
    assert needle in message


def test_the_error_points_at_the_line_of_the_key():
    message = bad({"seed": 1, "steps": {"phase-1/step-1": {}, "missing": {}}})
    # json.dumps writes everything on one line: line 1, at the column of the key.
    assert message.startswith("scenario.json:1:")


def test_decisions_resolve_by_id_container_label_title_and_last_segment():
    doc = sample_doc()
    for key in ("phase-2/decision", "phase-2"):
        for value in ("phase-2/path-a", "path-a", "A", "a", "Path A", "A road"):
            assert plan(doc, {"decisions": {key: value}}).decisions == {
                "phase-2/decision": "phase-2/path-a"
            }


def test_qualified_agents_can_be_named_by_their_last_part():
    bound = plan(sample_doc(), {"agents": {"planner": {"duration": "7m"}}})
    assert bound.steps["phase-1/step-1"].duration == Duration.fixed(420)


def test_loops_and_checkpoints_resolve_by_container():
    bound = plan(
        sample_doc(), {"loops": {"phase-2": 2}, "checkpoints": {"phase-1": {"reject_after": "1m"}}}
    )
    assert bound.loops == {"phase-2/loop": 2}
    assert bound.checkpoints["phase-checkpoint-1"].approve is False


def test_a_container_holding_two_decisions_is_ambiguous():
    doc = document(
        phase(
            "phase-1",
            decision("phase-1/decision", path("phase-1/path-a", "A", [step("x")], default=True)),
            decision("phase-1/decision-2", path("phase-1/path-b", "B", [step("y")], default=True)),
        )
    )
    with pytest.raises(ScenarioError, match="holds several decisions"):
        plan(doc, {"decisions": {"phase-1": "A"}})


def test_every_step_gets_an_effective_script():
    bound = plan(
        sample_doc(),
        {
            "defaults": {"duration": "1m", "retries": 2, "on_failure": "continue"},
            "agents": {"fixer": {"duration": "3m", "fail": 1}},
            "steps": {"phase-2/else": {"retries": 0, "outputs": {"k": "v"}}},
        },
    )
    else_step = bound.steps["phase-2/else"]
    assert (else_step.duration, else_step.fail, else_step.retries) == (Duration.fixed(180), 1, 0)
    assert else_step.on_failure == "continue"
    assert else_step.outputs == (("k", "v"),)
    assert bound.steps["phase-1/step-1"].duration == Duration.fixed(60)
    assert bound.steps["phase-1/step-1"].retries == 2


def test_a_document_without_a_workflow_cannot_be_simulated():
    from compiler.model import Document
    from compiler.simulate import plan_for

    with pytest.raises(ScenarioError, match="no workflow to simulate"):
        plan_for(Document(path="empty.md"), None)
