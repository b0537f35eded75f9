"""`drillbook compile`, `schema ir`, `--version` as a user runs them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

from compiler import __version__
from tests.conftest import SEED, SPEC_FILES, needs_seed, run_cli


def _walk(node: object) -> list[dict[str, object]]:
    """Every JSON object in the output that describes a step."""
    found: list[dict[str, object]] = []
    if isinstance(node, dict):
        if node.get("kind") == "step":
            found.append(node)
        for value in node.values():
            found.extend(_walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_walk(value))
    return found


@needs_seed
def test_compile_seed_json_has_steps_with_ids_agents_and_spans() -> None:
    result = run_cli("compile", str(SEED))
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    steps = _walk(data)
    assert len(steps) == 13
    for step in steps:
        assert {"id", "agent", "span"} <= step.keys()
    assert data["summary"]["steps"] == 13 and data["summary"]["phases"] == 6
    graph = data["workflows"][0]["graph"]
    kinds = {node["type"] for node in graph["nodes"]}
    assert {"start", "end", "step", "fork", "join", "decision", "merge"} <= kinds
    conditions = [e["condition"] for e in graph["edges"] if e.get("condition")]
    assert "High response times + database metrics" in conditions
    data = {(e["source"], e["target"], e["reference"]): e["status"] for e in graph["data"]}
    assert data[("phase-1", "phase-2/path-a", "incident classification")] == "resolved"
    assert data[("phase-3/branch-a", "phase-3/branch-c", "monitoring analysis")] == "parallel-race"


def test_several_documents_give_an_array_in_argument_order() -> None:
    names = [str(path) for path in reversed(SPEC_FILES)]
    result = run_cli("compile", *names)
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [entry["path"] for entry in data] == names


def test_text_outline_names_phases_steps_agents_and_items() -> None:
    spec = next(p for p in SPEC_FILES if p.name == "payments-outage.md")
    result = run_cli("compile", str(spec), "--format", "text")
    assert result.code == 0
    out = result.stdout
    assert "Phase 2: Focused Investigation  [phase-2]" in out
    assert "agent: acquirer-liaison" in out
    assert "produces: Acquirer status, failover recommendation" in out
    assert "consumes: incident brief, affected acquirers" in out
    assert "◇ else: Fraud Rules Misfire  (otherwise)" in out


def test_text_outline_says_a_fan_out_runs_copies_and_counts_branches(tmp_path: Path) -> None:
    doc = tmp_path / "review.md"
    doc.write_text(
        "# Review\n\n## Phase 1: Review\n\n"
        "Spawn one `file-reviewer` agent per changed file, all in parallel.\n\n"
        "## Phase 2: Check\n\n"
        "Launch these agents in parallel:\n\n"
        "- Use the `linter` agent to lint.\n- Use the `tester` agent to test.\n",
        encoding="utf-8",
    )
    result = run_cli("compile", str(doc), "--format", "text")
    assert result.code == 0, result.stderr
    assert "parallel  [phase-1/parallel]  fan-out: copies of one branch at once" in result.stdout
    assert "parallel  [phase-2/parallel]  2 branches" in result.stdout


def test_output_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "ir.json"
    result = run_cli("compile", str(SPEC_FILES[0]), "-o", str(target))
    assert result.code == 0 and result.stdout == ""
    assert json.loads(target.read_text())["path"] == str(SPEC_FILES[0])
    assert [p.name for p in tmp_path.iterdir()] == ["ir.json"]  # no temp file left behind
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask  # readable like any file


def test_missing_file_is_a_one_line_usage_error() -> None:
    result = run_cli("compile", "no/such/file.md")
    assert result.code == 2
    assert result.stderr.strip() == "drillbook: error: no such file or directory: no/such/file.md"
    assert "Traceback" not in result.stderr


def test_unreadable_files_are_reported_and_the_others_go_on(tmp_path: Path) -> None:
    binary = tmp_path / "image.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    latin = tmp_path / "latin.md"
    latin.write_bytes("## Phase 1: Caf\xe9\n".encode("latin-1"))
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    good = SPEC_FILES[0]
    result = run_cli("compile", str(binary), str(latin), str(big), str(good))
    assert result.code == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3 and all("WF901 unreadable-file" in line for line in lines)
    assert "not UTF-8 text: byte 0xe9 at line 1, column 16" in lines[1]
    assert "over the 2,097,152-byte limit" in lines[2]
    data = json.loads(result.stdout)
    assert [entry["path"] for entry in data] == [str(binary), str(latin), str(big), str(good)]
    assert data[0]["parse_diagnostics"][0]["code"] == "WF901"
    assert data[3]["summary"]["steps"] > 0


def test_stdin_and_empty_documents() -> None:
    result = run_cli("compile", "-", "--format", "text", stdin="# Only prose\n")
    assert result.code == 0
    assert "(no workflow found" in result.stdout


def test_schema_ir_describes_the_output() -> None:
    result = run_cli("schema", "ir")
    assert result.code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "drillbook compiled document"
    assert {"workflows", "summary", "requirements"} <= schema["properties"].keys()
    assert "Step" in schema["$defs"]


def test_version() -> None:
    result = run_cli("--version")
    assert result.code == 0 and __version__ in result.stdout


def test_unknown_option_is_a_usage_error() -> None:
    result = run_cli("compile", "--format", "yaml", str(SPEC_FILES[0]))
    assert result.code == 2
    assert "Traceback" not in result.stderr and "yaml" in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("drillbook: error: ")


def test_no_arguments_shows_the_help() -> None:
    result = run_cli()
    assert result.code == 0 and "Commands:" in result.stdout


def test_output_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert run_cli("compile", str(SPEC_FILES[0]), "-o", str(link)).code == 0
    assert link.is_symlink()
    assert json.loads(real.read_text())["path"] == str(SPEC_FILES[0])


def test_output_to_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    result = run_cli("compile", str(SPEC_FILES[0]), "-o", str(fifo))
    reader.join(timeout=60)
    assert result.code == 0
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # not replaced by a regular file
    assert json.loads(received[0])["path"] == str(SPEC_FILES[0])


def test_unwritable_output_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file.md"
    blocker.write_text("x")
    result = run_cli("compile", str(SPEC_FILES[0]), "-o", str(blocker / "out.json"))
    assert result.code == 2
    assert result.stderr.count("\n") == 1 and "drillbook: error: " in result.stderr
    assert "internal error" not in result.stderr


def test_compile_output_is_identical_across_hash_seeds_and_argument_order() -> None:
    names = [str(path) for path in SPEC_FILES]
    outputs = set()
    for seed in ("0", "1", "4242"):
        proc = subprocess.run(
            [sys.executable, "-m", "compiler", "compile", *names],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.add(proc.stdout)
    assert len(outputs) == 1
    # each document's object does not depend on which documents came before it
    forward = json.loads(outputs.pop())
    backward = json.loads(run_cli("compile", *reversed(names)).stdout)
    assert forward == list(reversed(backward))
