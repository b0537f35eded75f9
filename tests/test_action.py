"""The composite GitHub Action (`action.yml`): its inputs are declared, and its scripts do what
the README promises when bash runs them the way the runner does (inputs through the
environment, drillbook on PATH)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import FIXTURES, ROOT

ACTION = ROOT / "action.yml"
RACE = FIXTURES / "lint" / "rules" / "WF301-parallel-read-race.md"
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def _action() -> dict[str, Any]:
    data = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _step(name: str) -> dict[str, Any]:
    steps = _action()["runs"]["steps"]
    return next(step for step in steps if step.get("name") == name)


def _run(
    step: dict[str, Any], cwd: Path, inputs: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run a step's script with bash as the runner would: its `env:` expressions filled in."""
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    values = {f"inputs.{key}": value for key, value in inputs.items()}
    env = {
        key: EXPRESSION.sub(lambda m: values[m.group(1)], str(value))
        for key, value in step["env"].items()
    }
    output = cwd / "github-output"
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=cwd,
        env={**os.environ, **env, "PATH": path, "GITHUB_OUTPUT": str(output)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_expression_names_a_declared_input_and_scripts_never_paste_inputs() -> None:
    action = _action()
    declared = set(action["inputs"])
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        for value in [
            *step.get("env", {}).values(),
            *step.get("with", {}).values(),
            step.get("if", ""),
        ]:
            for expression in EXPRESSION.findall(str(value)):
                if expression.startswith("inputs."):
                    assert expression.removeprefix("inputs.") in declared, expression
        # An input pasted into a script is shell code an attacker's branch name could carry.
        assert "inputs." not in str(step.get("run", "")), step.get("name")
    for name, spec in action["inputs"].items():
        assert spec.get("description"), name


def test_lint_step_annotates_findings_and_fails(tmp_path: Path) -> None:
    shutil.copyfile(RACE, tmp_path / "playbook.md")
    result = _run(_step("Lint"), tmp_path, {"paths": ".", "args": "--ignore WF101"})
    assert result.returncode == 1, result.stderr
    assert "::error file=playbook.md,line=" in result.stdout
    assert "title=WF301::parallel-read-race" in result.stdout


def test_sarif_step_writes_the_report_and_leaves_failing_to_the_lint_step(tmp_path: Path) -> None:
    shutil.copyfile(RACE, tmp_path / "playbook.md")
    result = _run(_step("SARIF report"), tmp_path, {"paths": "playbook.md", "args": ""})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "github-output").read_text(encoding="utf-8") == "file=drillbook.sarif\n"
    assert '"ruleId": "WF301"' in (tmp_path / "drillbook.sarif").read_text(encoding="utf-8")
