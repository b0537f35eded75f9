"""`drillbook schema ir|scenario|config`: JSON Schema 2020-12 documents that what drillbook
writes and reads actually satisfies (checked with the jsonschema validator)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from compiler.checks.config import KEYS
from tests.conftest import SPECS, run_cli

Validator = jsonschema.Draft202012Validator


def _schema(which: str) -> dict[str, Any]:
    result = run_cli("schema", which)
    assert result.code == 0, result.stderr
    schema: dict[str, Any] = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Validator.check_schema(schema)
    assert schema.get("title") and schema.get("description")
    return schema


@pytest.mark.parametrize("document", sorted(SPECS.glob("*.md")), ids=lambda p: p.name)
def test_every_spec_compiles_to_an_ir_the_schema_accepts(document: Any) -> None:
    result = run_cli("compile", str(document), "--format", "json")
    assert result.code == 0, result.stderr
    Validator(_schema("ir")).validate(json.loads(result.stdout))


def test_every_spec_scenario_satisfies_the_scenario_schema() -> None:
    validator = Validator(_schema("scenario"))
    files = sorted(SPECS.glob("*.scenario.yaml")) + sorted(SPECS.glob("*.scenarios/*.yaml"))
    assert len(files) >= 5
    for path in files:
        validator.validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_config_schema_knows_every_key_the_reader_knows_and_rejects_typos() -> None:
    schema = _schema("config")
    assert set(schema["properties"]) == set(KEYS)
    validator = Validator(schema)
    written = """
select = ["ALL"]
ignore = ["unused-output"]
severity = { maybe-unavailable-reference = "error" }
per-file-ignores = { "drafts/*.md" = ["WF201"] }
agents = ".claude/agents"
exclude = ["vendor/*"]
"""
    validator.validate(tomllib.loads(written))
    assert not validator.is_valid({"selct": ["WF2"]})
    assert not validator.is_valid({"severity": {"WF201": "fatal"}})


def test_written_scenarios_point_editors_at_the_schema_they_satisfy(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    docs = tmp_path / "playbooks"
    docs.mkdir()
    shutil.copyfile(SPECS / "payments-outage.md", docs / "payments-outage.md")
    result = run_cli(
        "scenario", "init", "playbooks/payments-outage.md", "-o", "playbooks/p.scenario.yaml",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    written = (docs / "p.scenario.yaml").read_text(encoding="utf-8")
    first = written.splitlines()[0]
    assert first == "# yaml-language-server: $schema=../.drillbook/scenario.schema.json"
    schema = json.loads((tmp_path / ".drillbook" / "scenario.schema.json").read_text())
    assert schema == _schema("scenario")
    Validator(schema).validate(yaml.safe_load(written))


def _project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    docs = tmp_path / "playbooks"
    docs.mkdir()
    shutil.copyfile(SPECS / "payments-outage.md", docs / "payments-outage.md")
    return docs


def _schema_beside(written: Path) -> Path:
    """The file a scenario's modeline points at, resolved as an editor does."""
    first = written.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix), first
    return (written.parent / first.removeprefix(prefix)).resolve()


@pytest.mark.parametrize("command", ["init", "from-results"])
def test_a_scenario_redirected_to_a_file_points_at_the_schema_from_there(
    tmp_path: Path, command: str
) -> None:
    """`drillbook scenario init DOC > playbooks/x.scenario.yaml` from the project root: the
    modeline and `workflow:` are relative to the file stdout went to, as with -o."""
    docs = _project(tmp_path)
    written = docs / "x.scenario.yaml"
    with written.open("w", encoding="utf-8") as stdout:
        proc = subprocess.run(
            [sys.executable, "-m", "compiler", "scenario", command, "playbooks/payments-outage.md"],
            stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=tmp_path, timeout=300,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    schema = _schema_beside(written)
    assert schema == (tmp_path / ".drillbook" / "scenario.schema.json").resolve()
    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    Validator(json.loads(schema.read_text(encoding="utf-8"))).validate(data)
    assert (docs / data["workflow"]).resolve() == (docs / "payments-outage.md").resolve()


def test_a_piped_scenario_points_at_the_schema_from_the_current_directory(
    tmp_path: Path,
) -> None:
    """Where a pipe ends is unknown: the modeline is relative to the current directory
    (where `> FILE` would put it), the schema is written there, and stderr says so. Every
    document of a piped matrix carries the line (the YAML language server reads it per
    document)."""
    _project(tmp_path)
    result = run_cli("scenario", "init", "playbooks/payments-outage.md", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "# yaml-language-server: $schema=.drillbook/scenario.schema.json"
    )
    assert "relative to the current directory" in result.stderr
    assert (tmp_path / ".drillbook" / "scenario.schema.json").is_file()
    result = run_cli("scenario", "matrix", "playbooks/payments-outage.md", cwd=tmp_path)
    assert result.code == 0, result.stderr
    parts = result.stdout.split("\n---\n")
    assert len(parts) > 1
    for part in parts:
        assert "# yaml-language-server: $schema=.drillbook/scenario.schema.json" in part
