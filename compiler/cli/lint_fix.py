"""`drillbook lint --fix` / `--diff`: the findings' fixes applied to the files they are in.
Files are rewritten atomically, and only when a fix changes them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from compiler.checks.fixes import apply_fixes, fixable, unified_diff
from compiler.cli.common import write_atomic
from compiler.cli.lint_run import FileResult


@dataclass(frozen=True)
class Change:
    path: str
    before: str
    after: str
    applied: int


def planned_changes(results: list[FileResult], unsafe: bool) -> list[Change]:
    """What `--fix` would change, file by file (in the order the files were linted)."""
    changes: list[Change] = []
    for result in results:
        wanted = fixable(result.diagnostics, unsafe)
        if not wanted or result.problem is not None:
            continue
        try:
            before = Path(result.path).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # reported by lint already; nothing to fix in it
        fixed = apply_fixes(before, [d for d in wanted if d.file == result.path])
        if fixed.applied and fixed.text != before:
            changes.append(Change(result.path, before, fixed.text, fixed.applied))
    return changes


def write_changes(changes: list[Change]) -> None:
    for change in changes:
        write_atomic(Path(change.path), change.after.encode("utf-8"))


def diff_text(changes: list[Change]) -> str:
    return "".join(unified_diff(c.path, c.before, c.after) for c in changes)


def summary(changes: list[Change]) -> str:
    fixed = sum(c.applied for c in changes)
    files = len(changes)
    return (
        f"drillbook: fixed {fixed} problem{'s' if fixed != 1 else ''} in {files} "
        f"file{'s' if files != 1 else ''}"
    )
