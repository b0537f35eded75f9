"""Linting the real-world corpus (../shared/corpus): every file is checked, nothing crashes,
and findings on prose stay modest (false positives are bugs)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from tests.conftest import CORPUS, corpus_files, needs_corpus, run_cli


@needs_corpus
def test_whole_corpus_lints_without_a_crash_and_checks_every_file() -> None:
    result = run_cli("lint", str(CORPUS), "--format", "json", "--jobs", "2")
    assert result.code in (0, 1), result.stderr
    assert result.stderr == ""
    found = json.loads(result.stdout)
    summary = run_cli("lint", str(CORPUS), "--ignore", "ALL")
    files = len(list(CORPUS.rglob("*.md")))
    assert summary.stdout.strip() == f"No problems found in {files} files."
    assert files >= len(corpus_files())
    assert all(d["code"] != "WF901" for d in found)  # every corpus file is readable text


@needs_corpus
def test_errors_about_references_are_never_raised_on_prose_context_items() -> None:
    result = run_cli("lint", str(CORPUS), "--format", "json", "--jobs", "2")
    found = json.loads(result.stdout)
    per_rule = Counter(d["code"] for d in found)
    for error in found:
        if error["severity"] != "error" or error["code"] not in ("WF202", "WF301"):
            continue
        line = Path(error["file"]).read_text(encoding="utf-8").split("\n")[error["line"] - 1]
        key = line.lstrip(" -*").split(":", 1)[0].strip().lower()
        assert not key.startswith(("context", "input", "dependencies")), (error, line)
    # Unresolved prose is taken as coming from outside the workflow, not reported.
    assert per_rule["WF201"] < 50, per_rule
