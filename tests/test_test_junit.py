"""`drillbook test --format junit`: JUnit XML that CI systems display, checked against the
JUnit report schema (tests/fixtures/junit/junit.xsd) with a real XML Schema validator."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import xmlschema

from tests.conftest import FIXTURES, SPECS, run_cli

SCHEMA = xmlschema.XMLSchema(FIXTURES / "junit" / "junit.xsd")


def _junit(*args: str, code: int, cwd: Path | None = None) -> ET.Element:
    result = run_cli("test", *args, "--format", "junit", cwd=cwd)
    assert result.code == code, result.stdout + result.stderr
    SCHEMA.validate(result.stdout)
    return ET.fromstring(result.stdout)


def _release_train(folder: Path, scenario: str) -> None:
    shutil.copyfile(SPECS / "release-train.md", folder / "release-train.md")
    (folder / "release-train.scenario.yaml").write_text(scenario, encoding="utf-8")


def test_every_spec_scenario_is_a_passing_test_case() -> None:
    report = _junit(str(SPECS), code=0)
    cases = report.findall("./testsuite/testcase")
    assert report.get("tests") == str(len(cases)) and len(cases) >= 5
    assert report.get("failures") == "0" and report.get("errors") == "0"
    names = {case.get("name") for case in cases}
    assert "two agent slots" in names
    assert all(case.find("failure") is None for case in cases)
    # a passing case still shows each objective's figures
    slots = next(case for case in cases if case.get("name") == "two agent slots")
    out = slots.findtext("system-out") or ""
    assert out.splitlines()[-1] == (
        "SLOs: shipped 58m54s to phase-3/step-6 (limit 1h30m), 31m6s to spare"
    )


def test_a_missed_objective_is_a_failure_that_names_it(tmp_path: Path) -> None:
    _release_train(
        tmp_path,
        "name: too hopeful\ndefaults: {duration: 10m}\nslo:\n  - {name: shipped, within: 5m}\n",
    )
    report = _junit(str(tmp_path), code=1)
    failure = report.find("./testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("type") == "slo"
    assert "SLO 'shipped'" in (failure.get("message") or "")
    assert report.get("failures") == "1"


def test_an_unreadable_scenario_is_an_error_and_hostile_names_stay_text(tmp_path: Path) -> None:
    _release_train(tmp_path, "name: broken\nsteps: [not, a, mapping\n")
    hostile = tmp_path / "release-train.scenarios"
    hostile.mkdir()
    (hostile / "x.scenario.yaml").write_text(
        'name: "<script>alert(1)</script> \\x01 & more"\ndefaults: {duration: 1m}\n',
        encoding="utf-8",
    )
    report = _junit(str(tmp_path), code=2)
    assert report.get("errors") == "1"
    names = {case.get("name") for case in report.iter("testcase")}
    assert "<script>alert(1)</script> \ufffd & more" in names
    assert report.find(".//error") is not None


def test_output_is_identical_across_runs_and_has_no_timings() -> None:
    first = run_cli("test", str(SPECS), "--format", "junit").stdout
    assert first == run_cli("test", str(SPECS), "--format", "junit").stdout
    assert "time=" not in first and "timestamp=" not in first
