"""`drillbook test`: scenarios run, expectations checked, coverage and WF406 reported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import FIXTURES, SPECS, needs_seed


def copy_payments(tmp_path: Path) -> Path:
    doc = tmp_path / "payments-outage.md"
    shutil.copy(SPECS / "payments-outage.md", doc)
    return doc


def test_the_specs_pass_with_full_decision_path_coverage(cli):
    result = cli("test", str(SPECS), "--fail-under-coverage", "100")
    assert result.code == 0, result.stdout + result.stderr
    assert "decision paths: 3/3 taken (100%)" in result.stdout
    assert "0 failed; decision-path coverage 100% (3/3)" in result.stdout
    assert "WF406" not in result.stdout
    report = json.loads(cli("test", str(SPECS), "--format", "json").stdout)
    assert report["scenarios"] == report["passed"] == 8
    assert {d["path"] for d in report["documents"]} == {str(p) for p in sorted(SPECS.glob("*.md"))}
    gateway = next(
        s for d in report["documents"] for s in d["scenarios"] if s["name"] == "gateway fault"
    )
    assert gateway["passed"] and gateway["slos"][0] == {
        "name": "RTO",
        "kind": "deadline",
        "status": "met",
        "limit_s": 2700,
        "actual_s": 1712.375,  # 28m32s, to the millisecond
        "margin_s": 987.625,
        "until": "phase-4",
    }


def test_an_untaken_path_is_reported_as_wf406_at_the_path(cli, tmp_path):
    doc = copy_payments(tmp_path)
    shutil.copy(SPECS / "payments-outage.scenario.yaml", tmp_path / "payments-outage.scenario.yaml")
    result = cli("test", str(doc))
    assert result.code == 0  # warnings alone do not fail
    lines = [line for line in result.stdout.splitlines() if "WF406" in line]
    assert len(lines) == 2
    assert lines[0].startswith(f"{doc}:47:") and "phase-2/path-b" in lines[0]
    assert "decisions: {phase-2: path-b}" in lines[0]
    assert "decision paths: 1/3 taken (33%)" in result.stdout
    under = cli("test", str(doc), "--fail-under-coverage", "50")
    assert under.code == 1
    assert "FAILED: coverage 33% is under 50%" in under.stdout


def test_a_failing_expectation_fails_the_suite(cli, tmp_path):
    doc = copy_payments(tmp_path)
    (tmp_path / "payments-outage.scenario.yaml").write_text(
        "decisions: {phase-2: path-b}\nexpect: {path: [phase-2/path-a], finishes_within: 10m}\n"
    )
    result = cli("test", str(doc))
    assert result.code == 1
    assert "FAIL   " in result.stdout
    assert "path expected phase-2/path-a, got phase-2/path-b" in result.stdout
    assert "finishes_within expected ≤ 10m" in result.stdout


def test_a_missed_slo_fails_unless_the_scenario_expects_it(cli, tmp_path):
    doc = copy_payments(tmp_path)
    scenario = tmp_path / "payments-outage.scenario.yaml"
    scenario.write_text("decisions: {phase-2: A}\nslo: [{name: fast, within: 1m}]\n")
    assert cli("test", str(doc)).code == 1
    scenario.write_text(
        "decisions: {phase-2: A}\nslo: [{name: fast, within: 1m}]\nexpect: {slos: {fast: missed}}\n"
    )
    assert cli("test", str(doc)).code == 0


def test_a_bad_scenario_is_an_error_with_its_position_and_the_others_still_run(cli, tmp_path):
    doc = copy_payments(tmp_path)
    folder = tmp_path / "payments-outage.scenarios"
    folder.mkdir()
    (folder / "good.yaml").write_text("decisions: {phase-2: path-a}\nslo: []\n")
    (folder / "bad.yaml").write_text("decisions: {phase-2: path-a}\nstepz: {}\n")
    result = cli("test", str(doc))
    assert result.code == 2
    assert (
        f"ERROR  {folder / 'bad.yaml'}:2:1: stepz: unknown key; did you mean 'steps'?"
        in result.stdout
    )
    assert "PASS   " in result.stdout


def test_a_scenario_file_can_be_tested_on_its_own(cli):
    result = cli("test", str(SPECS / "payments-outage.scenarios" / "fraud-rules.scenario.yaml"))
    assert result.code == 0
    assert "decision paths: 1/3 taken (33%)" in result.stdout


def test_a_document_without_scenarios_says_so(cli, tmp_path):
    doc = copy_payments(tmp_path)
    (tmp_path / "README.md").write_text("# Notes\n\nNothing to run here.\n")
    result = cli("test", str(tmp_path))
    assert "no scenarios (write one with `drillbook scenario init`)" in result.stdout
    assert "README.md" not in result.stdout  # not a workflow: not a test subject
    assert result.stdout.count("WF406") == 3
    assert str(doc) in result.stdout


def test_a_missing_path_is_a_usage_error(cli):
    result = cli("test", "no/such/place")
    assert result.code == 2 and "no such file or directory" in result.stderr


@needs_seed
def test_the_seed_fixture_runs_under_drillbook_test_and_fails_on_its_missed_slos(cli):
    result = cli("test", str(FIXTURES / "scenarios" / "incident-response.scenario.yaml"))
    assert result.code == 1
    assert (
        "SLO 'RTO validated' missed (phase-5/branch-a finished at 38m, 8m over the 30m objective)"
        in result.stdout
    )
    assert "SLO 'updates' missed (longest gap 51m (32m–1h23m), 36m over" in result.stdout


def test_a_passing_scenario_shows_each_objectives_figures(cli):
    """A PASS says how close each objective came: measured time, milestone, limit and
    margin, and that a miss was the one the scenario expected."""
    result = cli("test", str(SPECS / "payments-outage.scenarios" / "acquirer-outage.scenario.yaml"))
    assert result.code == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    passed = next(n for n, line in enumerate(lines) if line.startswith("  PASS   "))
    assert lines[passed + 1] == (
        "         SLOs: RTO 38m to phase-4 (limit 45m), 7m to spare; status updates longest "
        "gap 23m (every 20m), 3m over, missed as expected"
    )
