"""The simulation's rules are registered with the shared registry, documented, and shaped as
DESIGN §5 says."""

from __future__ import annotations

import pytest

from compiler.rules import all_rules, find_rule

EXPECTED = {
    "WF406": ("uncovered-path", "warning"),
    "WF501": ("slo-exceeded", "error"),
    "WF502": ("cadence-violated", "error"),
    "WF503": ("results-mismatch", "warning"),
    "WF504": ("no-path-taken", "error"),
    "WF506": ("scenario-step-changed", "warning"),
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_simulation_rule_is_registered_with_its_slug_severity_and_docs(code):
    info = find_rule(code)
    assert info is not None
    assert (info.slug, info.severity, info.category) == (*EXPECTED[code], "simulation")
    for heading in ("What it does", "Why it matters", "Example"):
        assert info.section(heading), f"{code} lacks {heading!r}"
    assert info.function.__module__ == "compiler.simulate.rules"
    assert find_rule(info.slug) is info


def test_all_rules_lists_them():
    codes = {info.code for info in all_rules()}
    assert set(EXPECTED) <= codes


def test_explain_prints_a_simulation_rule(cli):
    result = cli("explain", "cadence-violated")
    assert result.code == 0
    assert "WF502" in result.stdout and "Why it matters" in result.stdout


def test_a_miss_the_scenario_expects_is_an_info_and_an_unexpected_one_an_error(tmp_path):
    import json
    from pathlib import Path

    from tests.conftest import ROOT, run_cli

    spec = ROOT / "specs" / "payments-outage.md"
    expected = ROOT / "specs" / "payments-outage.scenarios" / "acquirer-outage.scenario.yaml"
    unexpected = tmp_path / "late.scenario.yaml"
    unexpected.write_text(
        expected.read_text(encoding="utf-8").replace(", status updates: missed", ""),
        encoding="utf-8",
    )

    def wf502(scenario: Path) -> tuple[int, list[dict[str, str]]]:
        result = run_cli("simulate", str(spec), "-s", str(scenario), "--format", "json")
        found = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "WF502"]
        return result.code, found

    code, [diagnostic] = wf502(expected)
    assert code == 0
    assert diagnostic["severity"] == "info"
    assert diagnostic["message"].endswith("(expected by the scenario)")
    code, [diagnostic] = wf502(unexpected)
    assert code == 1 and diagnostic["severity"] == "error"
