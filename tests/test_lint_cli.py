"""`drillbook lint`, `rules` and `explain` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.rules import all_rules
from tests.conftest import FIXTURES, ROOT, SEED, SPECS, needs_seed, run_cli

LINT = FIXTURES / "lint"

#: References of the seed that resolve: no warning or error may name them.
SEED_RESOLVING = {
    "incident classification",
    "affected systems",
    "selected investigation path results",
    "investigation results",
    "all investigation results",
    "customer impact",
    "resolution actions",
    "complete incident documentation",
}


def lint_json(*args: str) -> list[dict[str, object]]:
    result = run_cli("lint", *args, "--format", "json")
    assert result.code in (0, 1), result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


@needs_seed
def test_seed_reports_the_race_the_missing_default_and_nothing_on_resolving_references() -> None:
    found = lint_json(str(SEED))
    race = [d for d in found if d["code"] == "WF301"]
    assert len(race) == 1
    assert race[0]["line"] == 83
    assert race[0]["rule"] == "parallel-read-race"
    assert race[0]["reference"] == "monitoring analysis"
    assert race[0]["severity"] == "error"
    assert "phase-3/branch-a" in str(race[0]["message"])
    assert race[0]["related"] == [
        {"file": str(SEED), "line": 74, "message": "produced here (phase-3/branch-a)"}
    ]
    default = [d for d in found if d["code"] == "WF401"]
    assert [(d["line"], d["rule"]) for d in default] == [(49, "decision-without-default")]
    serious = [d for d in found if d["severity"] in ("error", "warning")]
    assert not [d for d in serious if d["reference"] in SEED_RESOLVING]
    assert not [d for d in serious if d["reference"] == "monitoring analysis" and d["line"] == 93]


@needs_seed
def test_text_output_points_a_caret_at_the_reference() -> None:
    result = run_cli("lint", str(SEED), "--select", "WF301")
    assert result.code == 1
    lines = result.stdout.splitlines()
    head = f"{SEED}:83:68: WF301 parallel-read-race [error] 'monitoring analysis' is produced"
    assert lines[0].startswith(head)
    source, caret = lines[1], lines[2]
    start = caret.index("^")
    assert source[start : start + len("monitoring analysis")] == "monitoring analysis"
    assert caret.split("|", 1)[1].strip() == "^" * len("monitoring analysis")
    assert lines[3] == f"    = produced here (phase-3/branch-a): {SEED}:74"
    assert lines[-1] == "Found 1 problem (1 error) in 1 of 1 file."


def test_exit_codes() -> None:
    assert run_cli("lint", str(SPECS)).code == 0  # infos only
    race = LINT / "rules" / "WF301-parallel-read-race.md"
    assert run_cli("lint", str(race)).code == 1
    warning_only = LINT / "rules" / "WF401-decision-without-default.md"
    assert run_cli("lint", str(warning_only)).code == 0
    assert run_cli("lint", str(warning_only), "--strict").code == 1
    missing = run_cli("lint", "no/such/file.md")
    assert missing.code == 2
    assert missing.stderr == "drillbook: error: no such file or directory: no/such/file.md\n"


def test_unknown_rule_in_a_flag_is_a_usage_error() -> None:
    result = run_cli("lint", str(SPECS), "--select", "WF201,WF2O1")
    assert result.code == 2
    assert "--select: unknown rule 'WF2O1'" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreadable_files_are_reported_and_the_others_still_linted(tmp_path: Path) -> None:
    (tmp_path / "latin1.md").write_bytes("## Phase 1: Caf\xe9\n".encode("latin-1"))
    (tmp_path / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    good = LINT / "rules" / "WF301-parallel-read-race.md"
    result = run_cli("lint", str(tmp_path), str(good), "--format", "json")
    assert result.code == 1
    found = json.loads(result.stdout)
    unreadable = {
        (Path(str(d["file"])).name, d["line"], d["column"]) for d in found if d["code"] == "WF901"
    }
    assert unreadable == {("latin1.md", 1, 16), ("binary.md", 3, 1)}  # the bad byte, the NUL
    assert any(d["code"] == "WF301" for d in found)


def test_stdin_is_linted_as_a_document() -> None:
    text = (LINT / "rules" / "WF301-parallel-read-race.md").read_text(encoding="utf-8")
    result = run_cli("lint", "-", "--format", "json", stdin=text)
    assert result.code == 1
    found = {(d["file"], d["code"]) for d in json.loads(result.stdout)}
    assert found == {("<stdin>", "WF301")}


def test_jobs_give_identical_output() -> None:
    folder = str(LINT)
    one = run_cli("lint", folder, str(SPECS), "--format", "json", "--jobs", "1")
    two = run_cli("lint", folder, str(SPECS), "--format", "json", "--jobs", "2")
    assert one.code == two.code
    assert one.stdout == two.stdout
    assert len(json.loads(one.stdout)) > 20


def test_output_is_byte_identical_whatever_the_hash_seed() -> None:
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-m", "compiler", "lint", str(LINT), "--format", "sarif"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=300,
        )
        outputs.add(proc.stdout)
    assert len(outputs) == 1


def test_output_file_is_written_and_matches_stdout(tmp_path: Path) -> None:
    target = tmp_path / "lint.sarif"
    written = run_cli("lint", str(SPECS), "--format", "sarif", "-o", str(target))
    printed = run_cli("lint", str(SPECS), "--format", "sarif")
    assert written.code == printed.code == 0
    assert written.stdout == ""
    assert target.read_text(encoding="utf-8") == printed.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["lint.sarif"]  # no temp file left


def test_statistics_count_findings_per_rule() -> None:
    result = run_cli("lint", str(LINT / "rules"), "--statistics")
    rows = [line.split() for line in result.stdout.splitlines()]
    counts = {code: int(n) for n, code, _ in rows}
    assert counts["WF201"] == 4  # 3 in the references fixture, 1 in the files fixture
    assert counts["WF106"] == 4


def test_lint_never_imports_jinja2(tmp_path: Path) -> None:
    out = tmp_path / "out.sarif"
    probe = (
        "import sys\n"
        "from compiler.cli import main\n"
        "try:\n"
        f"    main(['lint', {str(SPECS)!r}, '--format', 'sarif', '-o', {str(out)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markupsafe')))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert proc.stdout.strip() == "[]", proc.stderr


def test_rules_lists_every_registered_rule() -> None:
    result = run_cli("rules")
    assert result.code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("WF")]
    assert listed == [info.code for info in all_rules()]
    data = json.loads(run_cli("rules", "--format", "json").stdout)
    wf301 = next(r for r in data if r["code"] == "WF301")
    assert wf301["slug"] == "parallel-read-race"
    assert wf301["severity"] == "error"
    assert wf301["what_it_does"] and wf301["why_it_matters"] and wf301["example"]


def test_explain_by_code_or_slug() -> None:
    by_code = run_cli("explain", "WF301")
    by_slug = run_cli("explain", "parallel-read-race")
    assert by_code.code == by_slug.code == 0
    assert by_code.stdout == by_slug.stdout
    assert by_code.stdout.startswith("WF301 parallel-read-race  (error, parallel)\n")
    for heading in ("What it does", "Why it matters", "Example"):
        assert f"\n{heading}\n" in by_code.stdout
    unknown = run_cli("explain", "parallel-read-rce")
    assert unknown.code == 2
    assert "did you mean parallel-read-race?" in unknown.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_every_format_runs_on_a_folder(fmt: str) -> None:
    result = run_cli("lint", str(LINT / "rules"), "--format", fmt)
    assert result.code == 1, result.stderr
    assert result.stdout


def test_a_file_drillbook_fails_on_is_named_and_the_others_are_still_linted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug met on one file of a folder must not hide the findings of every other file."""
    from compiler.cli import lint_run, main
    from compiler.model import Document
    from compiler.parse import parse_document
    from compiler.source import Source

    def parse_or_fail(source: Source) -> Document:
        if source.path.endswith("bad.md"):
            raise IndexError("list index out of range")
        return parse_document(source)

    monkeypatch.setattr(lint_run, "parse_document", parse_or_fail)
    (tmp_path / "bad.md").write_text("# Bad\n", encoding="utf-8")
    good = tmp_path / "good.md"
    good.write_text(
        '## Phase 1: Triage\n- Use Task tool with subagent_type="triager"\n'
        '- Prompt: "Triage it."\n- Ouput: Brief\n',
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as stopped:
        main(["lint", str(tmp_path / "bad.md"), str(good)])
    out, err = capsys.readouterr()
    assert stopped.value.code == 2
    assert f"internal error on {tmp_path / 'bad.md'}: IndexError" in err
    assert "please report it" in err
    assert "WF107" in out and "good.md" in out
