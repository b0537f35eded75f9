"""The workflow semantics of DESIGN §6, one behaviour per test, on small built workflows."""

from __future__ import annotations

from compiler.model import DecisionPath, Document, Requirement
from tests.simulation_builders import (
    SPAN,
    checkpoint,
    decision,
    document,
    loop,
    parallel,
    path,
    phase,
    simulate,
    step,
    times,
)

MIN = 60.0


def three_branches() -> Document:
    return document(
        phase("phase-1", step("s1")),
        phase(
            "phase-2",
            parallel(
                "phase-2/parallel",
                ("phase-2/branch-a", [step("a")]),
                ("phase-2/branch-b", [step("b")]),
                ("phase-2/branch-c", [step("c")]),
            ),
        ),
        phase("phase-3", step("s3")),
    )


def test_blocks_of_a_sequence_run_one_after_another():
    doc = document(phase("phase-1", step("s1"), step("s2")), phase("phase-2", step("s3")))
    result = simulate(doc, {"steps": {"s1": {"duration": "2m"}, "s2": {"duration": "3m"}}})
    assert times(result) == {"s1": (0, 120), "s2": (120, 300), "s3": (300, 600)}
    assert result.total_s == 600
    assert result.status == "completed"


def test_parallel_branches_start_together_and_the_join_waits_for_the_longest():
    result = simulate(
        three_branches(),
        {"steps": {"a": {"duration": "10m"}, "b": {"duration": "4m"}, "c": {"duration": "7m"}}},
    )
    starts = {key: start for key, (start, _) in times(result).items()}
    assert starts["a"] == starts["b"] == starts["c"] == 5 * MIN
    assert times(result)["s3"] == (15 * MIN, 20 * MIN)


def test_a_slot_limit_starts_waiting_branches_in_document_order():
    result = simulate(
        three_branches(),
        {
            "resources": {"max_parallel_agents": 1},
            "steps": {"a": {"duration": "10m"}, "b": {"duration": "4m"}, "c": {"duration": "7m"}},
        },
    )
    spans = times(result)
    assert spans["a"] == (5 * MIN, 15 * MIN)
    assert spans["b"] == (15 * MIN, 19 * MIN)
    assert spans["c"] == (19 * MIN, 26 * MIN)
    waiting = [e.id for e in result.trace if e.kind == "wait"]
    assert waiting == ["b", "c"]
    # The queueing shows on the critical path: c waited for b, which waited for a.
    assert result.critical == ["s1", "a", "b", "c", "s3"]


def test_the_critical_path_follows_the_branch_that_finished_last():
    result = simulate(three_branches(), {"steps": {"b": {"duration": "9m"}}})
    assert result.critical == ["s1", "b", "s3"]


def decide(*extra_paths: DecisionPath, default: bool = True) -> Document:
    paths = [
        path("phase-1/path-a", "A", [step("high")], condition="Risk level = high"),
        path("phase-1/path-b", "B", [step("low")], condition="risk level is low"),
        *extra_paths,
    ]
    if default:
        paths.append(path("phase-1/else", "else", [step("middle")], default=True))
    return document(
        phase("phase-1", decision("phase-1/decision", *paths)), phase("phase-2", step("end-step"))
    )


def ran(result) -> list[str]:
    return [a.id for a in result.activities if a.status == "completed"]


def test_a_decision_takes_the_path_the_scenario_names_by_container_and_label():
    result = simulate(decide(), {"decisions": {"phase-1": "B"}, "facts": {"risk level": "high"}})
    assert result.path == ["phase-1/path-b"]
    assert ran(result) == ["low", "end-step"]
    decision_event = next(e for e in result.trace if e.kind == "decision")
    assert "named in the scenario" in decision_event.message


def test_a_decision_takes_the_first_path_whose_fact_condition_holds():
    result = simulate(decide(), {"facts": {"Risk Level": "LOW"}})
    assert result.path == ["phase-1/path-b"]


def test_a_decision_falls_back_to_its_default_path():
    result = simulate(decide(), {"facts": {"risk level": "medium"}})
    assert result.path == ["phase-1/else"]


def test_no_path_and_no_default_stops_the_run_with_wf504():
    result = simulate(decide(default=False), {"facts": {"risk level": "medium"}})
    assert result.status == "failed"
    assert [d.code for d in result.diagnostics] == ["WF504"]
    assert ran(result) == []
    assert not result.passed


def test_a_scripted_output_becomes_a_fact_for_a_later_decision():
    doc = document(
        phase("phase-0", step("triage", produces=())),
        *decide().workflows[0].phases,
    )
    result = simulate(doc, {"steps": {"triage": {"outputs": {"risk level": "high"}}}})
    assert result.path == ["phase-1/path-a"]
    write = next(e for e in result.trace if e.kind == "write")
    assert dict(write.data) == {"risk level": "high"}


def test_a_failing_step_is_retried_then_succeeds():
    doc = document(phase("phase-1", step("flaky"), step("next")))
    result = simulate(doc, {"steps": {"flaky": {"duration": "4m", "fail": 1, "retries": 1}}})
    flaky = result.activities[0]
    assert (flaky.attempts, flaky.status, flaky.finish_s) == (2, "completed", 8 * MIN)
    assert flaky.failed_attempts == [(0, 4 * MIN)]
    assert [e.kind for e in result.trace if e.id == "flaky"] == ["start", "retry", "finish"]
    assert result.status == "completed"


def test_a_step_that_runs_out_of_retries_fails_the_run_and_cancels_its_siblings():
    doc = document(
        phase(
            "phase-1",
            parallel("p", ("p/branch-a", [step("a")]), ("p/branch-b", [step("b")])),
        ),
        phase("phase-2", step("never")),
    )
    result = simulate(doc, {"steps": {"a": {"duration": "2m", "fail": 3, "retries": 1}}})
    assert result.status == "failed"
    assert result.total_s == 4 * MIN
    statuses = {a.id: a.status for a in result.activities}
    assert statuses == {"a": "failed", "b": "cancelled"}
    assert result.reason == "a failed after 2 attempts"


def test_on_failure_continue_leaves_the_step_behind_and_goes_on():
    doc = document(phase("phase-1", step("optional-work"), step("next")))
    result = simulate(
        doc, {"agents": {"agent-optional-work": {"fail": 5, "on_failure": "continue"}}}
    )
    assert result.status == "completed"
    assert {a.id: a.status for a in result.activities} == {
        "optional-work": "failed",
        "next": "completed",
    }


def test_a_checkpoint_waits_for_its_approval():
    doc = document(phase("phase-1", step("plan"), checkpoint("gate"), step("do")))
    result = simulate(doc, {"checkpoints": {"gate": {"approve_after": "15m"}}})
    assert times(result)["gate"] == (5 * MIN, 20 * MIN)
    assert times(result)["do"] == (20 * MIN, 25 * MIN)


def test_a_rejected_checkpoint_stops_the_run():
    doc = document(phase("phase-1", step("plan"), checkpoint("gate"), step("do")))
    result = simulate(doc, {"checkpoints": {"gate": {"reject_after": "2m"}}})
    assert result.status == "rejected"
    assert "do" not in times(result)
    assert result.total_s == 7 * MIN


def test_a_loop_repeats_its_body_as_often_as_the_scenario_says():
    doc = document(phase("phase-1", loop("phase-1/loop", [step("try")]), step("after")))
    result = simulate(doc, {"loops": {"phase-1": 3}})
    assert [a.key for a in result.activities] == ["try", "try#2", "try#3", "after"]
    assert result.total_s == 20 * MIN


def test_a_loop_runs_once_by_default():
    doc = document(phase("phase-1", loop("phase-1/loop", [step("try")])))
    assert [a.key for a in simulate(doc).activities] == ["try"]


def test_a_step_whose_fact_condition_fails_is_skipped_and_takes_no_time():
    doc = document(phase("phase-1", step("check", condition="tier = gold"), step("next")))
    result = simulate(doc, {"facts": {"tier": "silver"}})
    assert {a.id: a.status for a in result.activities} == {"check": "skipped", "next": "completed"}
    assert result.total_s == 5 * MIN


def test_a_scenario_can_skip_an_optional_step():
    doc = document(phase("phase-1", step("maybe", optional=True), step("next")))
    result = simulate(doc, {"steps": {"maybe": {"skip": True}}})
    assert result.total_s == 5 * MIN


def test_durations_come_from_step_then_agent_then_defaults():
    doc = document(
        phase("phase-1", step("x", agent="shared"), step("y", agent="shared"), step("z"))
    )
    result = simulate(
        doc,
        {
            "defaults": {"duration": "1m"},
            "agents": {"shared": {"duration": "2m"}},
            "steps": {"y": {"duration": "3m"}},
        },
    )
    assert times(result) == {"x": (0, 120), "y": (120, 300), "z": (300, 360)}


def test_deadline_slo_met_and_missed_with_wf501():
    doc = document(phase("phase-1", step("fix")), phase("phase-2", step("verify")))
    result = simulate(
        doc,
        {
            "slo": [
                {"name": "fixed", "within": "6m", "until": "fix"},
                {"name": "verified", "within": "6m", "until": "phase-2"},
            ]
        },
    )
    verdicts = {v.name: (v.status, v.actual_s) for v in result.slos}
    assert verdicts == {"fixed": ("met", 300), "verified": ("missed", 600)}
    assert [d.code for d in result.diagnostics] == ["WF501"]
    assert not result.passed


def test_cadence_gaps_run_from_the_start_through_each_update_to_the_end():
    doc = document(
        phase("phase-1", step("update-1", agent="comms")),
        phase("phase-2", step("work")),
        phase("phase-3", step("update-2", agent="comms")),
    )
    durations = {"update-1": {"duration": "5m"}, "work": {"duration": "20m"}}
    met = simulate(
        doc, {"steps": durations, "slo": [{"name": "u", "every": "25m", "steps": "comms"}]}
    )
    assert met.slos[0].status == "met"
    # Updates finish at 5m and 30m (the end): the gaps are 5m, 25m and 0s.
    assert met.slos[0].actual_s == 25 * MIN
    missed = simulate(
        doc, {"steps": durations, "slo": [{"name": "u", "every": "15m", "steps": "comms"}]}
    )
    assert missed.slos[0].status == "missed"
    assert [d.code for d in missed.diagnostics] == ["WF502"]


def test_document_requirements_become_slos_when_the_scenario_is_silent():
    requirements = (
        Requirement(
            name="RTO (Recovery Time Objective)",
            text="30 minutes",
            kind="duration",
            seconds=1800,
            span=SPAN,
        ),
        Requirement(
            name="Communication",
            text="updates every 15 minutes",
            kind="cadence",
            seconds=900,
            span=SPAN,
        ),
    )
    doc = document(
        phase("phase-1", step("status-update", agent="comms-lead")),
        phase("phase-2", step("work")),
        requirements=requirements,
    )
    result = simulate(doc)
    by_name = {v.name: v for v in result.slos}
    assert set(by_name) == {"RTO", "Communication"}
    assert by_name["RTO"].until is None and by_name["RTO"].status == "met"
    assert "end of the workflow" in (by_name["RTO"].note or "")
    assert "status-update" in (by_name["Communication"].note or "")
    silenced = simulate(doc, {"slo": []})
    assert silenced.slos == []


def test_expectations_are_checked():
    doc = decide()
    result = simulate(
        doc,
        {
            "decisions": {"phase-1": "path-a"},
            "expect": {
                "path": ["path-b"],
                "finishes_within": "20m",
                "steps": {"high": "completed"},
            },
        },
    )
    checks = {c.name: c.held for c in result.expectations}
    assert checks == {"status": True, "path": False, "finishes_within": True, "step high": True}
    assert not result.passed


def test_an_expected_failure_passes():
    doc = document(phase("phase-1", step("boom")))
    result = simulate(doc, {"steps": {"boom": {"fail": 1}}, "expect": {"status": "failed"}})
    assert result.status == "failed"
    assert result.passed
