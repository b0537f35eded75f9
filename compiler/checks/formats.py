"""Lint output formats (text, JSON, GitHub annotations); SARIF lives in `sarif`.

Each formatter turns sorted diagnostics into one string; the CLI prints or writes it.
Plain string building on purpose: `drillbook lint` must start fast and never imports Jinja2.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence

from compiler.diagnostics import Diagnostic

#: Source lines longer than this are shown as a window around the reported span.
SNIPPET_WIDTH = 120
_LEAD = 40  # characters shown before the span inside a window


def format_text(
    diagnostics: Sequence[Diagnostic],
    lines: Mapping[str, Mapping[int, str]],
    files_checked: int,
) -> str:
    """Compiler-style: `path:line:col: CODE slug [severity] message`, the source line with
    a caret under the span, then related locations; a summary line at the end."""
    out: list[str] = []
    for diagnostic in diagnostics:
        out.append(
            f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}: {diagnostic.code} "
            f"{diagnostic.rule} [{diagnostic.severity}] {diagnostic.message}"
        )
        source = lines.get(diagnostic.file, {}).get(diagnostic.line)
        if source is not None and source.strip():
            out.extend(_snippet(diagnostic, source))
        for related in diagnostic.related:
            out.append(f"    = {related.message}: {related.file}:{related.line}")
        out.append("")
    out.append(summary(diagnostics, files_checked))
    return "\n".join(out) + "\n"


def _snippet(diagnostic: Diagnostic, source: str) -> list[str]:
    text = source.replace("\t", " ")
    start = max(diagnostic.column - 1, 0)
    if diagnostic.end_line == diagnostic.line and diagnostic.end_column > diagnostic.column:
        end = min(diagnostic.end_column - 1, len(text))
    else:
        end = start + 1
    end = max(end, start + 1)
    left, right, prefix, suffix = 0, len(text), "", ""
    if len(text) > SNIPPET_WIDTH:
        left = max(0, min(start - _LEAD, len(text) - SNIPPET_WIDTH))
        right = min(len(text), max(left + SNIPPET_WIDTH, end))
        prefix = "…" if left > 0 else ""
        suffix = "…" if right < len(text) else ""
    gutter = " " * len(str(diagnostic.line))
    shown = prefix + text[left:right] + suffix
    # Pad by display width, so the caret stays under its text after CJK characters or emoji.
    pad = _width(prefix + text[left:start])
    caret = " " * pad + "^" * max(1, _width(text[start : min(end, right)]))
    return [f" {diagnostic.line} | {shown}", f" {gutter} | {caret}"]


def _width(text: str) -> int:
    """Terminal columns `text` takes: wide East Asian characters take two, combining marks none."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def summary(diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    files = f"{files_checked} file" + ("" if files_checked == 1 else "s")
    if not diagnostics:
        return f"No problems found in {files}."
    counts = Counter(d.severity for d in diagnostics)
    parts = [
        f"{counts[level]} {level}{'' if counts[level] == 1 else 's'}"
        for level in ("error", "warning", "info")
        if counts[level]
    ]
    affected = len({d.file for d in diagnostics})
    total = len(diagnostics)
    noun = "problem" if total == 1 else "problems"
    if affected > files_checked:
        # findings about files the checked ones use (an agent catalog entry's front matter)
        return (
            f"Found {total} {noun} ({', '.join(parts)}) in {affected} files ({files} checked,"
            " and files they use)."
        )
    return f"Found {total} {noun} ({', '.join(parts)}) in {affected} of {files}."


def statistics(diagnostics: Sequence[Diagnostic]) -> str:
    """One line per rule: count, code, slug (like `ruff --statistics`)."""
    counts = Counter((d.code, d.rule) for d in diagnostics)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = max((len(str(n)) for _, n in rows), default=1)
    return "".join(f"{n:>{width}}  {code}  {slug}\n" for (code, slug), n in rows)


def as_dict(diagnostic: Diagnostic) -> dict[str, object]:
    """The DESIGN §5 fields, and `fix` when the finding has one."""
    data = diagnostic.as_json()
    if data["fix"] is None:
        del data["fix"]
    return data


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    """A JSON array of diagnostics with the fields of DESIGN §5."""
    import json  # here: the default text output never needs it (cold start)

    return json.dumps([as_dict(d) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def format_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=WF301::message`."""
    out = []
    for d in diagnostics:
        properties = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", d.file),
                ("line", d.line),
                ("col", d.column),
                ("endLine", d.end_line),
                ("endColumn", d.end_column),
                ("title", d.code),
            )
        )
        message = _escape_data(f"{d.rule}: {d.message}")
        out.append(f"::{_GITHUB_LEVEL[d.severity]} {properties}::{message}")
    return "".join(line + "\n" for line in out)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
