"""SARIF paths are relative to the checkout that holds the linted files, also when lint runs
from outside it (`cd /tmp && drillbook lint /srv/repo/docs --format sarif`) or from inside
another checkout."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from compiler.checks.sarif import source_root
from compiler.diagnostics import Diagnostic
from tests.conftest import FIXTURES, ROOT, run_cli

RACE = FIXTURES / "lint" / "rules" / "WF301-parallel-read-race.md"


def _artifacts(log: str) -> set[str]:
    results = json.loads(log)["runs"][0]["results"]
    assert results
    found = set()
    for result in results:
        locations = [result["locations"][0]]
        locations += result.get("relatedLocations", [])
        for location in locations:
            found.add(json.dumps(location["physicalLocation"]["artifactLocation"]))
    return found


@pytest.mark.parametrize("where", ["outside any checkout", "inside another checkout"])
def test_sarif_root_is_the_checkout_of_the_linted_files(tmp_path: Path, where: str) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs").mkdir()
    shutil.copyfile(RACE, repo / "docs" / "p.md")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cwd = elsewhere if where == "outside any checkout" else ROOT
    result = run_cli("lint", str(repo / "docs"), "--format", "sarif", cwd=cwd)
    assert result.code == 1, result.stderr
    assert _artifacts(result.stdout) == {json.dumps({"uri": "docs/p.md", "uriBaseId": "%SRCROOT%"})}


def _finding(file: str) -> Diagnostic:
    return Diagnostic(
        file=file, line=1, column=1, end_line=1, end_column=2,
        severity="error", code="WF301", rule="parallel-read-race", message="m",
    )  # fmt: skip


def test_files_in_no_checkout_or_in_two_keep_the_given_root(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for repo in (one, two):
        (repo / ".git").mkdir(parents=True)
    loose = tmp_path / "loose" / "x.md"
    given = tmp_path / "given"
    assert source_root([_finding(str(one / "a.md"))], given) == one
    assert source_root([_finding(str(one / "a.md")), _finding(str(two / "b.md"))], given) == given
    assert source_root([_finding(str(loose))], None) is None
    assert source_root([_finding("<stdin>")], given) == given
    inside = given / "a.md"
    assert source_root([_finding(str(inside))], given) == given
