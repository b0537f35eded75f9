"""Applying fixes to a document's text (`drillbook lint --fix`, `--diff`).

Edits are placed by line and column (code points, as diagnostics count them) on the file's
own text: its byte-order mark and line endings (LF, CRLF or CR) are kept, so a fix changes
the words it fixes and nothing else. Overlapping edits are not combined: the later one waits
for the next run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from compiler.diagnostics import Diagnostic, Edit
from compiler.regex import LazyPattern

_LINE = LazyPattern(r"[^\r\n]*(?:\r\n|\r|\n)?")


@dataclass(frozen=True)
class Fixed:
    text: str
    applied: int  # findings fixed


def fixable(diagnostics: Iterable[Diagnostic], unsafe: bool) -> list[Diagnostic]:
    """The findings whose fix may be applied: safe ones, and unsafe ones when asked."""
    return [d for d in diagnostics if d.fix is not None and (d.fix.safe or unsafe)]


def apply_fixes(text: str, diagnostics: Iterable[Diagnostic]) -> Fixed:
    """`text` with the fixes of `diagnostics` applied (all of one finding's edits or none)."""
    starts = _line_starts(text)
    planned: list[tuple[int, int, str]] = []
    applied = 0
    for diagnostic in sorted(diagnostics, key=Diagnostic.sort_key):
        assert diagnostic.fix is not None
        ranges = [_offsets(edit, text, starts) for edit in diagnostic.fix.edits]
        if any(r is None for r in ranges):
            continue  # the file changed since it was linted
        spans = [
            (start, end, edit.text)
            for (start, end), edit in zip(
                (r for r in ranges if r is not None), diagnostic.fix.edits, strict=True
            )
        ]
        if any(_overlaps(span, other) for span in spans for other in planned):
            continue
        planned.extend(spans)
        applied += 1
    for start, end, replacement in sorted(planned, reverse=True):
        text = text[:start] + replacement + text[end:]
    return Fixed(text, applied)


def unified_diff(path: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _line_starts(text: str) -> list[tuple[int, int]]:
    """(offset of each line's first character, offset of its end before the line break)."""
    body = text[1:] if text.startswith("\ufeff") else text
    shift = len(text) - len(body)
    found: list[tuple[int, int]] = []
    for match in _LINE.finditer(body):
        if match.start() == len(body) and found:
            break
        content = match.group().rstrip("\r\n")
        found.append((shift + match.start(), shift + match.start() + len(content)))
    return found


def _offsets(edit: Edit, text: str, starts: list[tuple[int, int]]) -> tuple[int, int] | None:
    begin = _offset(edit.line, edit.column, starts)
    end = _offset(edit.end_line, edit.end_column, starts)
    if begin is None or end is None or end < begin:
        return None
    return begin, end


def _offset(line: int, column: int, starts: list[tuple[int, int]]) -> int | None:
    if not 1 <= line <= len(starts):
        return None
    first, last = starts[line - 1]
    offset = first + column - 1
    return offset if first <= offset <= last else None


def _overlaps(span: tuple[int, int, str], other: tuple[int, int, str]) -> bool:
    return (span[0] < other[1] and other[0] < span[1]) or span[0] == other[0]
