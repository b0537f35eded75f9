"""Issue 4's acceptance case: the seed playbook with the durations of its recorded run."""

from __future__ import annotations

import json

from tests.conftest import FIXTURES, SEED, needs_seed

SEED_SCENARIO = FIXTURES / "scenarios" / "incident-response.scenario.yaml"
ESTIMATES = FIXTURES / "scenarios" / "incident-response-estimates.scenario.yaml"


@needs_seed
def test_the_seed_scenario_meets_the_rto_misses_validation_and_cadence(cli):
    result = cli("simulate", "--scenario", str(SEED_SCENARIO), "--format", "json")
    assert result.code == 1, result.stderr
    report = json.loads(result.stdout)
    finishes = {step["id"]: step["finish_s"] for step in report["steps"]}
    assert finishes["phase-4"] == 28 * 60
    assert finishes["phase-5/branch-a"] == 38 * 60
    assert report["total_s"] == 83 * 60
    assert report["path"] == ["phase-2/path-a"]
    slos = {slo["name"]: slo for slo in report["slos"]}
    assert slos["RTO"] == {**slos["RTO"], "status": "met", "limit_s": 1800, "actual_s": 1680}
    assert slos["RTO validated"]["status"] == "missed"
    assert slos["RTO validated"]["actual_s"] == 2280
    assert slos["updates"]["status"] == "missed"
    codes = sorted(d["code"] for d in report["diagnostics"])
    assert codes == ["WF501", "WF502", "WF505"]
    # Branch C starts reading 'monitoring analysis' while branch A is still producing it.
    wf505 = next(d for d in report["diagnostics"] if d["code"] == "WF505")
    assert (wf505["reference"], wf505["line"], wf505["severity"]) == (
        "monitoring analysis",
        83,
        "warning",
    )
    wf501 = next(d for d in report["diagnostics"] if d["code"] == "WF501")
    # Lint-shaped, pointing at the SLO in the scenario file.
    assert set(wf501) == {
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "severity",
        "code",
        "rule",
        "message",
        "reference",
        "related",
        "fix",  # lint's fixes; a simulation finding has none
    }
    assert wf501["fix"] is None
    assert (wf501["rule"], wf501["severity"], wf501["line"]) == ("slo-exceeded", "error", 27)
    assert wf501["file"].endswith("incident-response.scenario.yaml")


@needs_seed
def test_every_step_entry_has_the_documented_fields(cli):
    report = json.loads(
        cli("simulate", "--scenario", str(SEED_SCENARIO), "--format", "json").stdout
    )
    for step in report["steps"]:
        assert {"id", "agent", "start_s", "finish_s", "attempts", "status"} <= set(step)
        assert step["status"] == "completed" and step["attempts"] == 1
    assert [s["id"] for s in report["steps"]][:2] == ["phase-1", "phase-2/path-a"]
    assert report["critical_path"] == [
        "phase-1",
        "phase-2/path-a",
        "phase-3/branch-a",
        "phase-4",
        "phase-5/branch-a",
        "phase-6",
    ]


@needs_seed
def test_the_text_report_reads_as_a_timeline_with_verdicts(cli):
    result = cli("simulate", "--scenario", str(SEED_SCENARIO))
    assert result.code == 1
    text = result.stdout
    assert "0:28:00  finish     phase-4" in text
    assert "0:38:00  finish     phase-5/branch-a" in text
    assert "Total          1h23m (completed)" in text
    assert "MISSED  RTO validated" in text
    assert "error WF502 cadence-violated" in text
    # Every verdict names the measured time, the milestone and the margin.
    assert "met     RTO            within 30m  phase-4 finished at 28m, 2m inside" in text
    assert text.rstrip().endswith(
        "FAILED: SLO 'RTO validated' missed (phase-5/branch-a finished at 38m, 8m over the 30m "
        "objective); SLO 'updates' missed (longest gap 51m (32m–1h23m), 36m over the 15m "
        "interval; 1 update up to 1h23m (the end of the run); gaps over 15m: start–32m, "
        "32m–1h23m)"
    )


@needs_seed
def test_the_document_named_on_the_command_line_wins_over_the_scenarios(cli, tmp_path):
    copy = tmp_path / "copy-of-the-seed.md"
    copy.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("simulate", str(copy), "--scenario", str(SEED_SCENARIO), "--format", "json")
    report = json.loads(result.stdout)
    assert report["document"] == str(copy)
    assert report["total_s"] == 83 * 60


@needs_seed
def test_without_a_scenario_the_seed_stops_at_its_decision_with_wf504(cli):
    result = cli("simulate", str(SEED), "--format", "json")
    assert result.code == 1
    report = json.loads(result.stdout)
    assert report["status"] == "failed"
    assert [d["code"] for d in report["diagnostics"]] == ["WF501", "WF504"]
    wf504 = next(d for d in report["diagnostics"] if d["code"] == "WF504")
    assert "decisions: {phase-2: …}" in wf504["message"]
    # The document's own requirements stand in for SLOs, and say how they were judged: the
    # RTO at the step that restores service, not at the end of the post-incident review.
    assert any(
        note.startswith("RTO ends at phase-4 (Solution Implementation & Coordination)")
        for note in report["notes"]
    )


@needs_seed
def test_monte_carlo_on_the_seed_estimates(cli):
    result = cli(
        "simulate", "--scenario", str(ESTIMATES), "--runs", "400", "--seed", "5", "--format", "json"
    )
    report = json.loads(result.stdout)
    assert report["runs"] == 400
    assert sum(report["statuses"].values()) == 400
    rto = next(s for s in report["slos"] if s["name"] == "RTO")
    assert 0 < rto["probability_met"] < 1
    assert rto["actual_s"]["p50"] <= rto["actual_s"]["p90"] <= rto["actual_s"]["p99"]
    assert sum(b["count"] for b in report["histogram"]) == report["statuses"]["completed"]
    shares = {c["id"]: c["share"] for c in report["critical_steps"]}
    assert shares["phase-1"] == 1.0 and shares["phase-4"] == 1.0
    # The Phase 3 branch that ends the phase differs between runs, but one always does.
    phase3 = sum(v for k, v in shares.items() if k.startswith("phase-3/"))
    assert abs(phase3 - 1.0) < 1e-9
    assert result.code == 1  # some runs miss the RTO
