"""Snapshots of `drillbook lint` output (text, JSON, SARIF) for every playbook in specs/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from compiler import __version__
from compiler.checks import LintConfig
from compiler.checks.formats import format_json, format_text
from compiler.checks.ruleset import RUN_RULES, STATIC_RULES, load_static_rules
from compiler.checks.sarif import format_sarif
from compiler.cli.lint_run import FileResult, lint_file
from compiler.rules import registered
from tests.conftest import ROOT, SPEC_FILES


def _lint(path: Path) -> FileResult:
    return lint_file(str(path.relative_to(ROOT)), LintConfig())


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.stem)
def test_lint_text(path: Path, snapshot_text: SnapshotAssertion) -> None:
    result = _lint(path)
    assert format_text(result.diagnostics, {result.path: result.lines}, 1) == snapshot_text


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.stem)
def test_lint_json(path: Path, snapshot_json: SnapshotAssertion) -> None:
    text = format_json(_lint(path).diagnostics)
    json.loads(text)
    assert text == snapshot_json


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.stem)
def test_lint_sarif(path: Path, snapshot_json: SnapshotAssertion) -> None:
    load_static_rules()
    rules = [registered(code) for code in sorted({*STATIC_RULES, *RUN_RULES})]
    text = format_sarif(_lint(path).diagnostics, rules, __version__)
    assert json.loads(text)["version"] == "2.1.0"
    assert text == snapshot_json
