"""`drillbook lint --fix` and `--diff` as an author uses them: misspelt keys and keywords are
spelt right in place, a reference's did-you-mean only when the author asks, the file's own
line endings kept, and the findings left afterwards are the ones reported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from compiler.checks.fixes import apply_fixes
from compiler.diagnostics import Diagnostic, Edit, Fix
from tests.conftest import FIXTURES, run_cli

RULES = FIXTURES / "lint" / "rules"


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copyfile(RULES / name, target)
    return target


def _codes(path: Path, *args: str) -> list[str]:
    result = run_cli("lint", str(path), "--format", "json", *args)
    return sorted(d["code"] for d in json.loads(result.stdout))


def test_fix_spells_keys_and_keywords_right_and_reports_what_is_left(tmp_path: Path) -> None:
    path = _copy(tmp_path, "WF111-misspelt-keyword.md")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # a Windows checkout
    assert "WF111" in _codes(path)
    result = run_cli("lint", str(path), "--fix")
    assert "fixed 5 problems in 1 file" in result.stderr
    fixed = path.read_bytes()
    assert b'subagent_type="incident-commander"' in fixed and b"## Phase 2" in fixed
    assert b"promt=" not in fixed and b"subagent_typ=" not in fixed
    assert fixed.count(b"\r\n") == fixed.count(b"\n")  # line endings kept
    assert "WF111" not in _codes(path)


def test_fix_quotes_a_front_matter_value_holding_a_colon(tmp_path: Path) -> None:
    """`description: Use when …. Triggers: 'plan'`: the ": " reads as a second key to YAML;
    quoted, the value is the one its author meant, and the block parses."""
    import yaml

    path = tmp_path / "SKILL.md"
    path.write_text(
        "---\nname: plan\ndescription: Use when planning. Triggers: 'plan it', \"a \\\\ b\"\n---\n"
        "\n# Plan\n\nUse the **planner** agent to write the plan.\n",
        encoding="utf-8",
    )
    [finding] = json.loads(run_cli("lint", str(path), "--format", "json").stdout)
    assert (finding["code"], finding["line"], finding["column"]) == ("WF100", 3, 14)
    assert "quote the value of `description`" in finding["message"]
    # Claude Code and Codex read such a line as meant: an info, not a warning
    assert finding["severity"] == "info"
    run_cli("lint", str(path), "--fix")
    front = path.read_text(encoding="utf-8").split("---\n")[1]
    assert yaml.safe_load(front)["description"] == (
        "Use when planning. Triggers: 'plan it', \"a \\\\ b\""
    )
    assert _codes(path) == []


def test_fix_quotes_each_front_matter_value_the_loader_would_and_no_other(tmp_path: Path) -> None:
    """Two values YAML rejects (a ': ' and a glob starting with `*`): one info with its fix
    on each; the valid list beside them keeps its meaning."""
    import yaml

    path = tmp_path / "SKILL.md"
    path.write_text(
        "---\nname: plan\ndescription: Use when planning. Triggers: plan\n"
        "tools: [Read, Grep]\npaths: **/*.{ts,tsx}\n---\n"
        "\n# Plan\n\nUse the **planner** agent to write the plan.\n",
        encoding="utf-8",
    )
    findings = json.loads(run_cli("lint", str(path), "--format", "json").stdout)
    assert [(f["code"], f["line"], f["column"], f["severity"]) for f in findings] == [
        ("WF100", 3, 14, "info"),
        ("WF100", 5, 8, "info"),
    ]
    assert "quote the value of `paths`" in findings[1]["message"]
    run_cli("lint", str(path), "--fix")
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert front == {
        "name": "plan",
        "description": "Use when planning. Triggers: plan",
        "tools": ["Read", "Grep"],
        "paths": "**/*.{ts,tsx}",
    }
    assert _codes(path) == []


def test_reference_did_you_mean_is_applied_only_when_asked(tmp_path: Path) -> None:
    path = _copy(tmp_path, "WF201-unresolved-reference.md")
    before = path.read_text(encoding="utf-8")
    run_cli("lint", str(path), "--fix")
    assert path.read_text(encoding="utf-8") == before  # nothing safe to fix
    diff = run_cli("lint", str(path), "--diff", "--unsafe-fixes")
    assert diff.code == 1
    assert "-" in diff.stdout and "+" in diff.stdout and "affected systems" in diff.stdout
    assert path.read_text(encoding="utf-8") == before  # --diff writes nothing
    (tmp_path / "drillbook.toml").write_text("unsafe-fixes = true\n", encoding="utf-8")
    run_cli("lint", str(path), "--fix", cwd=tmp_path)
    assert "[afected systems]" not in path.read_text(encoding="utf-8")
    assert "affected systems" in path.read_text(encoding="utf-8")


def test_diff_of_a_clean_file_is_empty_and_stdin_cannot_be_fixed(tmp_path: Path) -> None:
    path = tmp_path / "clean.md"
    shutil.copyfile(FIXTURES / "lint" / "clean" / "commands.md", path)
    result = run_cli("lint", str(path), "--diff")
    assert (result.code, result.stdout) == (0, "")
    refused = run_cli("lint", "-", "--fix", stdin="# x\n")
    assert refused.code == 2 and "language server" in refused.stderr


def _finding(line: int, column: int, end: int, text: str) -> Diagnostic:
    edit = Edit(line=line, column=column, end_line=line, end_column=end, text=text)
    return Diagnostic(
        file="f.md", line=line, column=column, end_line=line, end_column=end,
        severity="warning", code="WF107", rule="unknown-field", message="m",
        fix=Fix(message="m", edits=(edit,)),
    )  # fmt: skip


@given(
    st.lists(st.text(alphabet="ab é\t", max_size=8), min_size=1, max_size=5),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.data(),
)
def test_fixes_replace_exactly_their_span_whatever_the_line_endings(
    lines: list[str], ending: str, data: st.DataObject
) -> None:
    line = data.draw(st.integers(1, len(lines)))
    width = len(lines[line - 1])
    start = data.draw(st.integers(1, width + 1))
    end = data.draw(st.integers(start, width + 1))
    text = ending.join(lines) + ending
    fixed = apply_fixes(text, [_finding(line, start, end, "XY")])
    expected = list(lines)
    expected[line - 1] = expected[line - 1][: start - 1] + "XY" + expected[line - 1][end - 1 :]
    assert fixed.text == ending.join(expected) + ending
    assert fixed.applied == 1
