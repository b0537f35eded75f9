"""Lint output formats: JSON fields, GitHub annotations, SARIF 2.1.0, text summary."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from compiler.checks.formats import format_github, format_text, summary
from compiler.checks.sarif import artifact_uri
from compiler.diagnostics import Diagnostic, Related
from tests.conftest import FIXTURES, ROOT, SEED, SPECS, run_cli

FIELDS = [
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
]

RACE = FIXTURES / "lint" / "rules" / "WF301-parallel-read-race.md"


def diagnostic(**changes: Any) -> Diagnostic:
    base: dict[str, Any] = {
        "file": "docs/a b.md",
        "line": 3,
        "column": 5,
        "end_line": 3,
        "end_column": 9,
        "severity": "error",
        "code": "WF301",
        "rule": "parallel-read-race",
        "message": "'x' is produced by parallel sibling phase-1/branch-a (line 2)",
        "reference": "x",
        "related": (Related(file="docs/a b.md", line=2, message="produced here"),),
    }
    base.update(changes)
    return Diagnostic(**base)


def test_json_diagnostics_carry_the_design_fields_in_order() -> None:
    result = run_cli("lint", str(RACE), "--format", "json")
    found = json.loads(result.stdout)[0]
    assert list(found) == FIELDS
    assert (found["code"], found["rule"], found["reference"]) == (
        "WF301",
        "parallel-read-race",
        "monitoring analysis",
    )
    assert found["end_column"] - found["column"] == len("monitoring analysis")
    assert found["related"] == [
        {"file": str(RACE), "line": 12, "message": "produced here (phase-2/branch-a)"}
    ]


def test_github_annotations_escape_properties_and_data() -> None:
    line = format_github([diagnostic(message="50% done, a: b\nnext", file="a,b:c.md")])
    assert line == (
        "::error file=a%2Cb%3Ac.md,line=3,col=5,endLine=3,endColumn=9,title=WF301"
        "::parallel-read-race: 50%25 done, a: b%0Anext\n"
    )
    assert format_github([diagnostic(severity="info")]).startswith("::notice ")


def test_text_shows_a_window_of_long_lines_with_the_caret_under_the_span() -> None:
    source = "x" * 200 + " [target] " + "y" * 200
    column = source.index("target") + 1
    found = diagnostic(file="a.md", line=1, column=column, end_column=column + 6, related=())
    text = format_text([found], {"a.md": {1: source}}, 1)
    _, shown, caret, _, last = text.split("\n")[:5]
    assert len(shown) < 140 and shown.startswith(" 1 | …") and shown.endswith("…")
    start = caret.index("^")
    assert shown[start : start + 6] == "target"
    assert last == "Found 1 problem (1 error) in 1 of 1 file."


def test_summary_counts_by_severity() -> None:
    assert summary([], 3) == "No problems found in 3 files."
    found = [diagnostic(), diagnostic(severity="warning"), diagnostic(severity="warning")]
    assert summary(found, 2) == "Found 3 problems (1 error, 2 warnings) in 1 of 2 files."
    # A finding about a file the checked one uses (an agent catalog entry) is not "2 of 1".
    found.append(diagnostic(file="agents/liaison.md", severity="warning"))
    assert summary(found, 1) == (
        "Found 4 problems (1 error, 3 warnings) in 2 files (1 file checked, and files they use)."
    )


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("specs/a.md", "specs/a.md"),
        ("docs/a b#1.md", "docs/a%20b%231.md"),
        ("/work/x.md", "file:///work/x.md"),
        ("<stdin>", "%3Cstdin%3E"),
    ],
)
def test_sarif_artifact_uris(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri


def test_sarif_paths_are_relative_to_the_repository_root_wherever_lint_ran(
    tmp_path: Path,
) -> None:
    (tmp_path / ".git").mkdir()  # a checkout's top folder
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copyfile(FIXTURES / "lint" / "rules" / "WF301-parallel-read-race.md", docs / "p.md")
    (tmp_path / "tools").mkdir()
    for cwd, path in ((tmp_path / "tools", "../docs/p.md"), (tmp_path, str(docs / "p.md"))):
        result = run_cli("lint", path, "--format", "sarif", cwd=cwd)
        results = json.loads(result.stdout)["runs"][0]["results"]
        locations = {
            json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"]) for r in results
        }
        assert locations == {json.dumps({"uri": "docs/p.md", "uriBaseId": "%SRCROOT%"})}


def sarif_of(*paths: str) -> dict[str, object]:
    result = run_cli("lint", *paths, "--format", "sarif")
    assert result.code in (0, 1), result.stderr
    log = json.loads(result.stdout)
    assert isinstance(log, dict)
    return log


def test_sarif_has_tool_rules_with_help_and_results_with_regions() -> None:
    log = sarif_of(str(FIXTURES / "lint" / "rules"))
    assert log["version"] == "2.1.0"
    runs = log["runs"]
    assert isinstance(runs, list) and len(runs) == 1
    run: dict[str, Any] = runs[0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "drillbook" and driver["version"]
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids) and "WF301" in ids and "WF901" in ids
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
        assert "**Why it matters**" in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run["results"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert result["message"]["text"].endswith((".", "?"))
    race = next(r for r in run["results"] if r["ruleId"] == "WF301")
    assert race["level"] == "error"
    assert race["relatedLocations"][0]["physicalLocation"]["region"] == {"startLine": 12}


SARIF_MULTITOOL_VERSION = "5.7.0"
SARIF_DIR = ROOT / ".cache" / "sarif-multitool"


@pytest.fixture(scope="session")
def sarif_validator() -> list[str]:
    """The official SARIF validator: $DRILLBOOK_SARIF_MULTITOOL, `sarif-multitool` on PATH, or
    the npm package installed once into the git-ignored .cache/ when npm is available."""
    configured = os.environ.get("DRILLBOOK_SARIF_MULTITOOL") or shutil.which("sarif-multitool")
    if configured:
        return [configured]
    binary = SARIF_DIR / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool"
    if not binary.exists():
        npm = shutil.which("npm")
        if npm is None or not sys.platform.startswith("linux"):
            pytest.skip("the official SARIF validator needs npm (@microsoft/sarif-multitool)")
        try:
            subprocess.run(
                [npm, "install", "--prefix", str(SARIF_DIR), "--no-audit", "--no-fund",
                 f"@microsoft/sarif-multitool@{SARIF_MULTITOOL_VERSION}"],
                check=True, capture_output=True, timeout=600,
                env={**os.environ, "npm_config_update_notifier": "false"},
            )  # fmt: skip
        except (subprocess.SubprocessError, OSError) as exc:
            pytest.skip(f"npm could not install @microsoft/sarif-multitool: {exc}")
        if not binary.exists():
            pytest.skip("@microsoft/sarif-multitool has no Linux build for this machine")
    binary.chmod(binary.stat().st_mode | 0o100)  # npm may skip the package's own chmod
    return [str(binary)]


def test_official_sarif_validator_accepts_the_output(
    tmp_path: Path, sarif_validator: list[str]
) -> None:
    log = tmp_path / "lint.sarif"
    documents = [str(FIXTURES / "lint" / "rules"), str(SPECS)]
    if SEED.exists():
        documents.append(str(SEED))
    run_cli("lint", *documents, "--format", "sarif", "-o", str(log))
    command = [*sarif_validator, "validate", str(log), "--output", str(tmp_path / "v.sarif")]
    proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads((tmp_path / "v.sarif").read_text(encoding="utf-8"))
    errors = [r for r in report["runs"][0]["results"] if r.get("level") == "error"]
    assert errors == []
