"""`drillbook scenario init|from-results|matrix`: what they write is valid, complete and true."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compiler.parse import parse_document, parse_text
from compiler.simulate import parse_scenario, plan_for, run
from compiler.simulate.index import index_workflow, main_workflow
from compiler.simulate.replay import from_results
from compiler.simulate.skeleton import matrix, skeleton
from compiler.source import read_source
from tests.conftest import SEED, SPEC_FILES, SPECS, needs_seed


def load(path: Path):
    document = parse_document(read_source(path, str(path)))
    workflow = main_workflow(document.workflows)
    assert workflow is not None
    return document, workflow


@pytest.mark.parametrize("spec", SPEC_FILES, ids=lambda p: p.name)
def test_init_names_every_step_decision_checkpoint_and_loop_and_runs(spec):
    document, workflow = load(spec)
    text = skeleton(document, workflow)
    loaded = parse_scenario(text, "skeleton.yaml")
    index = index_workflow(workflow)
    assert set(loaded.scenario.steps) == set(index.steps)
    assert set(loaded.scenario.checkpoints) == set(index.checkpoints)
    assert set(loaded.scenario.loops) == set(index.loops)
    plan = plan_for(document, loaded)
    assert set(plan.decisions) == set(index.decisions)
    result = run(plan)
    assert result.status == "completed"
    assert next(c for c in result.expectations if c.name == "path").held


def test_init_carries_the_document_requirements_as_editable_slos():
    document, workflow = load(SPECS / "payments-outage.md")
    scenario = parse_scenario(skeleton(document, workflow), "s.yaml").scenario
    assert scenario.slo is not None
    by_name = {slo.name: slo for slo in scenario.slo}
    assert by_name["RTO"].within is not None and by_name["RTO"].within.low == 45 * 60
    assert by_name["Communication"].steps == ["phase-3/branch-b", "phase-5/branch-a"]


def test_init_cli_writes_a_file_with_a_relative_workflow_and_refuses_to_overwrite(cli, tmp_path):
    target = tmp_path / "new.scenario.yaml"
    first = cli("scenario", "init", str(SPECS / "release-train.md"), "-o", str(target))
    assert first.code == 0, first.stderr
    workflow = parse_scenario(target.read_text(), str(target)).scenario.workflow
    assert (
        workflow is not None
        and (tmp_path / workflow).resolve() == (SPECS / "release-train.md").resolve()
    )
    again = cli("scenario", "init", str(SPECS / "release-train.md"), "-o", str(target))
    assert again.code == 2 and "exists; use --force" in again.stderr
    forced = cli("scenario", "init", str(SPECS / "release-train.md"), "-o", str(target), "--force")
    assert forced.code == 0
    simulated = cli("simulate", "--scenario", str(target), "--format", "json")
    assert json.loads(simulated.stdout)["status"] == "completed"


@needs_seed
def test_from_results_replays_the_seeds_recorded_run():
    document, workflow = load(SEED)
    replay = from_results(document, workflow)
    # The record's own total (25 minutes) disagrees with its phases (5 + 3 + 12 + 8 = 28), and
    # its "every 10 minutes" updates are not in the workflow (one update step, in Phase 5).
    total, cadence = replay.diagnostics
    assert (total.code, total.line, cadence.code, cadence.line) == ("WF503", 276, "WF503", 277)
    assert "'Total Resolution Time' is 25m" in total.message
    assert "add up to 28m by the end of phase-4" in total.message
    assert "'Communication Frequency' is every 10m" in cadence.message
    assert "sends updates only from phase-5/branch-b" in cadence.message
    assert "longest gap 45m (38m–1h23m)" in cadence.message
    assert "slo:\n  - {name: RTO, within: 30m, until: phase-4}  # " in replay.text
    result = run(plan_for(document, parse_scenario(replay.text, "replay.yaml")))
    assert result.path == ["phase-2/path-a"]
    assert result.total_s == 83 * 60  # 5 + 3 + 12 + 8 + 10 + 45 minutes, as recorded
    assert result.finished["phase-4"] == 28 * 60
    assert next(c for c in result.expectations if c.name == "finishes_within").held
    # The replay reproduces the recorded verdict: recovery (phase-4) at 28m meets the 30m RTO.
    rto = next(v for v in result.slos if v.name == "RTO")
    assert (rto.status, rto.until, rto.actual_s, rto.margin_s) == ("met", "phase-4", 1680, 120)
    assert rto.detail == "phase-4 finished at 28m, 2m inside the 30m objective"


def test_from_results_reports_what_does_not_fit_the_workflow_as_wf503():
    text = (SPECS / "payments-outage.md").read_text(encoding="utf-8")
    tampered = (
        text.replace(
            "**Decision**: Path B - Acquirer Outage", "**Decision**: Path D - Network Split"
        )
        .replace(
            "**Agent Used**: site-reliability-engineer (sonnet)", "**Agent Used**: sre-bot (sonnet)"
        )
        .replace("### Phase 5: Parallel Close-out", "### Phase 7: Victory Lap")
    )
    document = parse_text(tampered, "tampered.md")
    workflow = main_workflow(document.workflows)
    assert workflow is not None
    replay = from_results(document, workflow)
    messages = [d.message for d in replay.diagnostics]
    assert {d.code for d in replay.diagnostics} == {"WF503"}
    assert any("'Path D" in m and "not a path of phase-2/decision" in m for m in messages)
    assert any("'sre-bot'" in m and "phase-4 does not use" in m for m in messages)
    assert any("Phase 7 'Victory Lap' is not in the workflow" in m for m in messages)
    assert any(
        m.startswith("phase-5 (Parallel Close-out) is not in the recorded run") for m in messages
    )
    # Every finding points into the document, at the recorded run.
    assert all(d.file == "tampered.md" and d.line >= 90 for d in replay.diagnostics)
    # The scenario is still usable.
    run(plan_for(document, parse_scenario(replay.text, "replay.yaml")))


def test_from_results_notices_a_renumbered_phase():
    text = (SPECS / "payments-outage.md").read_text(encoding="utf-8")
    renumbered = text.replace("### Phase 5: Parallel Close-out", "### Phase 7: Parallel Close-out")
    document = parse_text(renumbered, "renumbered.md")
    workflow = main_workflow(document.workflows)
    assert workflow is not None
    messages = [d.message for d in from_results(document, workflow).diagnostics]
    assert messages == [
        "recorded Phase 7 'Parallel Close-out' is Phase 5 in the workflow (phase-5)"
    ]


def test_from_results_cli_prints_wf503_on_stderr_and_needs_a_record(cli, tmp_path):
    result = cli("scenario", "from-results", str(SPECS / "payments-outage.md"))
    # piped: stderr carries only the note on where the $schema line is relative to
    assert result.code == 0 and "WF503" not in result.stderr
    assert result.stderr.splitlines() == [
        "drillbook: the $schema line is relative to the current directory; "
        "with -o it is relative to the file written"
    ]
    assert "phase-2: path-b  # recorded: Path B - Acquirer Outage" in result.stdout
    none = cli("scenario", "from-results", str(SPECS / "release-train.md"))
    assert none.code == 2 and "has no recorded run" in none.stderr


def test_matrix_is_the_smallest_set_covering_paths_and_failures():
    document, workflow = load(SPECS / "payments-outage.md")
    scenarios = matrix(document, workflow)
    index = index_workflow(workflow)
    # Three paths at one decision need three scenarios; no more are written.
    assert len(scenarios) == 3
    assert {p for s in scenarios for p in s.path} == set(index.paths)
    failing = [step for s in scenarios for step in s.failing]
    assert sorted(failing) == sorted(index.steps)  # every step fails exactly once
    for scenario in scenarios:
        result = run(plan_for(document, parse_scenario(scenario.text, "m.yaml")))
        retried = {a.id for a in result.activities if a.attempts == 2}
        assert retried == set(scenario.failing)
        assert result.status == "completed"


def test_matrix_without_decisions_is_one_scenario():
    document, workflow = load(SPECS / "schema-migration.md")
    scenarios = matrix(document, workflow)
    assert len(scenarios) == 1
    assert set(scenarios[0].failing) == set(index_workflow(workflow).steps)


def test_matrix_cli_writes_scenarios_that_drillbook_test_picks_up(cli, tmp_path):
    doc = tmp_path / "payments-outage.md"
    doc.write_bytes((SPECS / "payments-outage.md").read_bytes())
    folder = tmp_path / "payments-outage.scenarios"
    result = cli("scenario", "matrix", str(doc), "-o", str(folder))
    assert result.code == 0, result.stderr
    assert "3 scenarios: 3/3 decision paths, 10/10 steps failing once" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        f"payments-outage.matrix-{n}.scenario.yaml" for n in (1, 2, 3)
    ]
    tested = cli("test", str(tmp_path), "--format", "json")
    report = json.loads(tested.stdout)
    assert report["coverage_percent"] == 100
    assert report["scenarios"] == 3
    again = cli("scenario", "matrix", str(doc), "-o", str(folder))
    assert again.code == 2 and "--force" in again.stderr
