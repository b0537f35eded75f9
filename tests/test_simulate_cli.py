"""`drillbook simulate` as a user meets it: formats, output files, and bad input."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SPECS, run_cli

PAYMENTS = SPECS / "payments-outage.md"
PAYMENTS_SCENARIO = SPECS / "payments-outage.scenario.yaml"


def test_a_passing_run_exits_0_and_prints_a_timeline(cli):
    result = cli("simulate", str(PAYMENTS), "--scenario", str(PAYMENTS_SCENARIO))
    assert result.code == 0, result.stdout + result.stderr
    assert "decision   phase-2/decision  takes phase-2/path-a" in result.stdout
    assert "its condition holds (gateway error rate above 5%)" in result.stdout
    assert result.stdout.rstrip().endswith("PASSED")
    assert result.stderr == ""


def test_the_scenario_beside_the_document_is_used_by_default(cli):
    named = cli("simulate", str(PAYMENTS), "--scenario", str(PAYMENTS_SCENARIO), "--format", "json")
    implied = cli("simulate", str(PAYMENTS), "--format", "json")
    assert implied.code == 0
    assert implied.stdout == named.stdout


def test_a_scenario_alone_finds_its_document_by_name(cli):
    result = cli(
        "simulate",
        "--scenario",
        str(SPECS / "payments-outage.scenarios" / "fraud-rules.scenario.yaml"),
        "--format",
        "json",
    )
    report = json.loads(result.stdout)
    assert report["document"].endswith("payments-outage.md")
    assert report["path"] == ["phase-2/else"]


def test_output_goes_to_a_file_with_the_same_bytes(cli, tmp_path):
    target = tmp_path / "run.json"
    to_file = cli("simulate", str(PAYMENTS), "--format", "json", "-o", str(target))
    to_stdout = cli("simulate", str(PAYMENTS), "--format", "json")
    assert to_file.code == 0 and to_file.stdout == ""
    assert target.read_text(encoding="utf-8") == to_stdout.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"]  # no temp files left


def test_the_mermaid_gantt_marks_the_critical_path_and_deadlines(cli):
    result = cli("simulate", str(PAYMENTS), "--format", "mermaid")
    lines = result.stdout.splitlines()
    assert lines[0] == "gantt"
    assert "    dateFormat HH:mm:ss" in lines
    # Simulated time, not the calendar: no "today" line, and the first task starts at 0:00.
    assert "    todayMarker off" in lines
    first_task = next(line for line in lines if ":crit, t1," in line or ": t1," in line)
    assert first_task.endswith(", 00:00:00, 00:04:00")
    crit = [line for line in lines if ":crit," in line and "milestone" not in line]
    assert crit and all("Finance Impact" not in line for line in crit)
    assert any(line.strip().startswith("RTO deadline 45m (met) :milestone") for line in lines)
    assert all(
        ":" not in line.split(" :")[0] for line in lines if line.startswith("    ") and " :" in line
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--scenario", "nope.yaml", str(PAYMENTS)], "nope.yaml: no such scenario file"),
        (["nope.md"], "no such file or directory: nope.md"),
        ([], "name a document, a --scenario, or both"),
        ([str(PAYMENTS), "--runs", "5", "--format", "mermaid"], "--format mermaid shows one run"),
        ([str(PAYMENTS), "--what-if", "no-failures"], "--what-if compares Monte Carlo runs"),
        ([str(PAYMENTS), "--runs", "5", "--what-if", "fast:phase-4"], "write no-failures, slots+N"),
        ([str(PAYMENTS), "--runs", "5", "--what-if", "slots+1"], "sets no resources.max_parallel"),
        (
            [str(PAYMENTS), "--runs", "5", "--what-if", "faster:phase-44:20%"],
            "no step is or lies inside 'phase-44'; did you mean 'phase-4'?",
        ),
        ([str(PAYMENTS), "--runs", "5", "--what-if", "faster:phase-4:120%"], "between 0 and 100"),
        ([str(PAYMENTS), "--runs", "0"], "Invalid value for '--runs'"),
    ],
)
def test_usage_problems_exit_2_with_one_line(cli, args, needle):
    result = cli("simulate", *args)
    assert result.code == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_scenario_names_file_line_and_key(cli, tmp_path):
    scenario = tmp_path / "bad.scenario.yaml"
    scenario.write_text("seed: 1\nsteps:\n  phase-4: {duration: 5m}\n  phase-9: {duration: 5m}\n")
    result = cli("simulate", str(PAYMENTS), "--scenario", str(scenario))
    assert result.code == 2
    assert result.stderr.count("\n") == 1
    assert f"{scenario}:4:3: steps.phase-9: unknown step id 'phase-9'" in result.stderr


def test_an_unreadable_document_is_reported_not_crashed(cli, tmp_path):
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"\x00\x01\x02 not text")
    result = cli("simulate", str(binary))
    assert result.code == 2
    assert "WF901" in result.stderr and "Traceback" not in result.stderr


def test_inputs_are_never_modified(cli, tmp_path):
    doc = tmp_path / "doc.md"
    scenario = tmp_path / "doc.scenario.yaml"
    doc.write_bytes(PAYMENTS.read_bytes())
    scenario.write_bytes(PAYMENTS_SCENARIO.read_bytes())
    before = (doc.read_bytes(), scenario.read_bytes())
    for fmt in ("text", "json", "html", "mermaid"):
        cli("simulate", str(doc), "--format", fmt)
    assert (doc.read_bytes(), scenario.read_bytes()) == before


def test_monte_carlo_same_seed_same_bytes_other_seed_other_draws(cli):
    first = cli("simulate", str(PAYMENTS), "--runs", "200", "--seed", "1", "--format", "json")
    again = cli("simulate", str(PAYMENTS), "--runs", "200", "--seed", "1", "--format", "json")
    other = cli("simulate", str(PAYMENTS), "--runs", "200", "--seed", "2", "--format", "json")
    assert first.stdout == again.stdout
    assert json.loads(first.stdout)["total_s"] != json.loads(other.stdout)["total_s"]
    text = cli("simulate", str(PAYMENTS), "--runs", "200", "--seed", "1")
    assert "Total time (completed runs)  p50" in text.stdout
    assert "On the critical path (share of runs)" in text.stdout


def test_the_seed_option_changes_a_single_run_only_through_its_draws(cli):
    one = json.loads(cli("simulate", str(PAYMENTS), "--seed", "1", "--format", "json").stdout)
    two = json.loads(cli("simulate", str(PAYMENTS), "--seed", "99", "--format", "json").stdout)
    assert (one["seed"], two["seed"]) == (1, 99)
    # Only Phase 3 branch A has a distribution in this scenario.
    differ = {
        a["id"]
        for a, b in zip(one["steps"], two["steps"], strict=True)
        if a["finish_s"] != b["finish_s"]
    }
    assert "phase-3/branch-a" in differ and "phase-1" not in differ


def test_a_scenario_written_for_another_document_is_pointed_out() -> None:
    result = run_cli(
        "simulate",
        str(SPECS / "release-train.md"),
        "--scenario",
        str(SPECS / "payments-outage.scenario.yaml"),
    )
    assert result.code == 2
    first, *errors = result.stderr.strip().splitlines()
    assert first.startswith("drillbook: note: ") and "payments-outage.md" in first
    assert errors and all(line.startswith("drillbook: error: ") for line in errors)


def test_what_if_variants_come_with_the_baseline_in_json(cli):
    release = SPECS / "release-train.md"
    result = cli(
        "simulate", str(release), "--runs", "40", "--what-if", "slots+1",
        "--what-if", "faster:phase-2:50%", "--format", "json",
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert [v["name"] for v in report["what_if"]] == ["slots+1", "faster:phase-2:50%"]
    assert report["what_if"][0]["description"] == "3 agent slots instead of 2"
    faster = report["what_if"][1]
    assert faster["runs"] == report["runs"] == 40
    assert faster["total_s"]["p50"] < report["total_s"]["p50"]
    assert report["stopped_by"] == [] and "step_failures" in report
