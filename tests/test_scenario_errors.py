"""A scenario's mistakes are reported all at once, in the order they are written in the file,
one `file:line:col: key: message` line each (not one per attempt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.simulate import ScenarioError, parse_scenario, plan_for
from tests.conftest import SPECS

PAYMENTS = SPECS / "payments-outage.md"


def test_every_validation_error_in_file_order():
    text = """seed: 1
agents:
  incident-commander: {duration: 4m, retires: 1}
steps:
  phase-1: {duration: soon}
expect: {status: finished}
"""
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    lines = caught.value.lines()
    assert [line.split(": ", 2)[:2] for line in lines] == [
        ["s.yaml:3:38", "agents.incident-commander.retires"],
        ["s.yaml:5:13", "steps.phase-1.duration"],
        ["s.yaml:6:10", "expect.status"],
    ]
    assert "did you mean 'retries'?" in lines[0]


def test_every_name_that_does_not_resolve_in_file_order():
    from compiler.parse import parse_text

    document = parse_text(PAYMENTS.read_text(encoding="utf-8"), str(PAYMENTS))
    text = """expect: {path: [phase-2/path-z]}
decisions: {phase-2: path-q}
steps:
  phase-9: {duration: 5m}
agents:
  incident-comander: {duration: 4m}
slo:
  - {name: RTO, within: 45m, until: phase-44}
"""
    with pytest.raises(ScenarioError) as caught:
        plan_for(document, parse_scenario(text, "s.yaml"))
    where = [line.split(": ", 2)[:2] for line in caught.value.lines()]
    assert where == [
        ["s.yaml:1:17", "expect.path[0]"],
        ["s.yaml:2:13", "decisions.phase-2"],
        ["s.yaml:4:3", "steps.phase-9"],
        ["s.yaml:6:3", "agents.incident-comander"],
        ["s.yaml:8:30", "slo[0].until"],
    ]


def test_the_cli_prints_them_one_error_line_each(cli, tmp_path: Path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "steps:\n  phase-9: {duration: 5m}\n  phase-8: {duration: 5m}\n", encoding="utf-8"
    )
    result = cli("simulate", str(PAYMENTS), "--scenario", str(scenario))
    assert result.code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all(line.startswith("drillbook: error: ") for line in lines)
    assert ":2:3: steps.phase-9" in lines[0] and ":3:3: steps.phase-8" in lines[1]
