"""Inline suppression comments (DESIGN §5), by code or slug:

    <!-- drillbook-disable-next-line WF201 -->        the next non-blank line
    <!-- drillbook-disable WF201, WF203 -->           from here …
    <!-- drillbook-enable WF201 -->                   … to here (or to the end of the file)
    <!-- drillbook-disable-file unused-output -->     the whole file
    <!-- drillbook-disable-next-block WF201 -->       the next block: a whole fenced code
                                                      block (an embedded playbook), list or
                                                      paragraph — the comment stays outside
                                                      the fence, where docs sites hide it

No codes means every rule. A suppression that suppresses nothing, or names no known rule,
is reported itself (WF902, info) — unless the rules it names are switched off anyway.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from compiler.checks.config import LintConfig
from compiler.diagnostics import Diagnostic
from compiler.regex import LazyPattern

_COMMENT = LazyPattern(
    r"<!--\s*drillbook-(?P<kind>disable-next-line|disable-next-block|disable-file|disable|enable)"
    r"(?P<codes>(?:[\s,]+[A-Za-z0-9_-]+)*)\s*-->"
)

ALL = "*"

#: Diagnostics about the run itself cannot be suppressed from inside the file.
UNSUPPRESSIBLE = frozenset({"WF901", "WF902"})


@dataclass
class Directive:
    """A `<!-- drillbook-disable… -->` comment, with the lines it covers."""

    kind: str
    line: int
    column: int
    end_column: int
    names: tuple[str, ...]  # as written
    codes: tuple[str, ...]  # resolved; ALL when none were written
    unknown: tuple[str, ...]
    start: int = 0  # first line it covers
    ends: dict[str, int] = field(default_factory=dict)  # code (or ALL) → last line covered
    used: set[str] = field(default_factory=set)

    def covers(self, diagnostic: Diagnostic) -> bool:
        if diagnostic.line < self.start:
            return False
        end = self.ends.get(diagnostic.code, self.ends.get(ALL, 0))
        return diagnostic.line <= end


#: A fence line (CommonMark: a backtick fence's info string holds no backtick, so
#: "```` ```markdown ````" is inline code, not a fence).
_FENCE = LazyPattern(r"^\s{0,3}(?:(?P<ticks>`{3,})(?P<info>[^`]*)|(?P<tildes>~{3,})(?P<rest>.*))$")
#: Fences whose text may be a workflow drillbook reads (an embedded playbook): a comment
#: there is a directive. In any other fence (`console`, `python`…) it is shown as text.
_MARKDOWN_FENCES = frozenset({"", "markdown", "md", "mdx"})


def _fence(line: str) -> tuple[str, str] | None:
    """(marker, info string) of a fence line (```` ``` ````, `~~~`), or None."""
    found = _FENCE.match(line)
    if found is None:
        return None
    return found["ticks"] or found["tildes"], (found["info"] or found["rest"] or "").strip()


def _closes(line: str, marker: str) -> bool:
    """Does `line` close the fence opened with `marker` (same character, at least as long,
    no info string)?"""
    fence = _fence(line)
    return (
        fence is not None
        and fence[0][0] == marker[0]
        and len(fence[0]) >= len(marker)
        and not fence[1]
    )


def _code_fence_lines(lines: list[str]) -> set[int]:
    """1-based numbers of the lines inside fences of code other than Markdown."""
    inside: set[int] = set()
    opener: tuple[str, str] | None = None  # marker, language
    for number, line in enumerate(lines, start=1):
        if opener is None:
            fence = _fence(line)
            if fence is not None:
                opener = (fence[0], fence[1].split(" ")[0].lower())
            continue
        if _closes(line, opener[0]):
            opener = None
            continue
        if opener[1] not in _MARKDOWN_FENCES:
            inside.add(number)
    return inside


def find_directives(text: str, resolve_code: Callable[[str], str | None]) -> list[Directive]:
    lines = text.split("\n")
    directives: list[Directive] = []
    open_ranges: list[Directive] = []
    code_lines = _code_fence_lines(lines)
    for number, line in enumerate(lines, start=1):
        if number in code_lines:
            continue
        for match in _COMMENT.finditer(line):
            if line[: match.start()].count("`") % 2:
                continue  # inside `code`: the page shows it as text, it suppresses nothing
            names = tuple(n for n in re.split(r"[\s,]+", match.group("codes")) if n)
            resolved = [(name, resolve_code(name)) for name in names]
            codes = tuple(code for _, code in resolved if code is not None)
            unknown = tuple(name for name, code in resolved if code is None)
            directive = Directive(
                kind=match.group("kind"),
                line=number,
                column=match.start() + 1,
                end_column=match.end() + 1,
                names=names,
                codes=codes if names else (ALL,),
                unknown=unknown,
            )
            if directive.kind == "enable":
                _close(open_ranges, directive, number)
                continue
            if directive.kind == "disable-file":
                directive.start, last = 1, len(lines)
            elif directive.kind == "disable-next-line":
                directive.start = last = _next_content_line(lines, number)
            elif directive.kind == "disable-next-block":
                directive.start = _next_content_line(lines, number)
                last = _block_end(lines, directive.start)
            else:
                directive.start, last = number, len(lines)
                open_ranges.append(directive)
            directive.ends = dict.fromkeys(directive.codes, last)
            directives.append(directive)
    return directives


def _next_content_line(lines: list[str], after: int) -> int:
    for number in range(after + 1, len(lines) + 1):
        if lines[number - 1].strip():
            return number
    return after + 1


def _block_end(lines: list[str], first: int) -> int:
    """The last line of the block starting at line `first`: a fenced code block to its
    closing fence (or the end of the file), anything else to the next blank line."""
    opener = _fence(lines[first - 1]) if first <= len(lines) else None
    if opener is not None:
        for number in range(first + 1, len(lines) + 1):
            if _closes(lines[number - 1], opener[0]):
                return number
        return len(lines)
    for number in range(first, len(lines) + 1):
        if not lines[number - 1].strip():
            return number - 1
    return len(lines)


def _close(open_ranges: list[Directive], enable: Directive, line: int) -> None:
    """`enable X` ends the open `disable` ranges for X; `enable` alone ends them all."""
    for directive in open_ranges:
        if ALL in directive.ends and ALL not in enable.codes:
            # `disable` (everything) … `enable WF201`: WF201 alone comes back.
            for code in enable.codes:
                directive.ends[code] = min(directive.ends.get(code, line), line)
        for code in directive.ends:
            if ALL in enable.codes or code in enable.codes:
                directive.ends[code] = min(directive.ends[code], line)


def apply_suppressions(
    diagnostics: list[Diagnostic],
    directives: list[Directive],
    config: LintConfig,
    report: Callable[[Directive, str], Diagnostic],
) -> list[Diagnostic]:
    """Drop suppressed diagnostics; add WF902 for suppressions that did nothing."""
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if diagnostic.code in UNSUPPRESSIBLE:
            kept.append(diagnostic)
            continue
        hit = next((d for d in directives if d.covers(diagnostic)), None)
        if hit is None:
            kept.append(diagnostic)
        else:
            hit.used.add(diagnostic.code)
    for directive in directives:
        for name in directive.unknown:
            kept.append(report(directive, f"'{name}' in this suppression names no known rule"))
        if ALL in directive.codes:
            if not directive.used and not directive.unknown:
                kept.append(report(directive, "this suppression suppresses nothing; remove it"))
            continue
        idle = [c for c in directive.codes if c not in directive.used and config.enabled(c)]
        if idle:
            names = ", ".join(idle)
            kept.append(report(directive, f"suppression of {names} suppresses nothing; remove it"))
    return kept
