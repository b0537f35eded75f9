"""Edits that fix or silence a finding, in the model's coordinates (1-based lines, code-point
columns, end exclusive), offered by the language server as code actions.

- `suggested_fix`: the finding's own `Fix` (what `drillbook lint --fix` applies), else its
  "did you mean" read from the message (WF108 agents, and any finding without a `Fix`);
- `suppression_fix`: a `<!-- drillbook-disable-next-line WFxxx -->` line above the finding
  (the syntax `compiler.checks.suppression` honours), or, for a playbook embedded in a
  ```` ```markdown ```` fence, `<!-- drillbook-disable-next-block WFxxx -->` before the fence;
- `default_path_fix`: a default path skeleton after a decision's last path (WF401).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from compiler.diagnostics import Diagnostic, Edit
from compiler.model import DecisionBlock, DecisionPath, iter_blocks

#: Codes whose "did you mean" names a replacement for the text the finding points at.
SUGGESTING = frozenset({"WF107", "WF108", "WF201"})

_SUGGESTION = re.compile(
    r"did you mean (?:'(?P<quoted>[^']+)'|`(?P<path>[^`]+)`|\$(?P<variable>[A-Za-z_][\w]*))"
)
_DISABLE_LINE = re.compile(r"<!--\s*drillbook-disable-next-line(?P<codes>[^>]*?)\s*-->")
_DISABLE_BLOCK = re.compile(r"<!--\s*drillbook-disable-next-block(?P<codes>[^>]*?)\s*-->")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_HEADING = re.compile(r"^(?P<indent>\s*)(?P<hashes>#{1,6})\s")


@dataclass(frozen=True)
class TextFix:
    """A titled set of edits; `preferred` marks the one an editor may apply on its own."""

    title: str
    code: str
    edits: tuple[Edit, ...]
    preferred: bool = False


def _one(title: str, code: str, span: tuple[int, int, int, int], text: str, **kw: bool) -> TextFix:
    line, column, end_line, end_column = span
    edit = Edit(line=line, column=column, end_line=end_line, end_column=end_column, text=text)
    return TextFix(title, code, (edit,), **kw)


def suggested_fix(diagnostic: Diagnostic, lines: Sequence[str]) -> TextFix | None:
    """The finding's `Fix` when the rule gave one (preferred when it is safe), else its
    did-you-mean as an edit of the text it points at, written the way the author wrote
    the original: lower case stays lower case, `$` and `:` stay as they were."""
    if diagnostic.fix is not None:
        fix = diagnostic.fix
        title = fix.message[:1].upper() + fix.message[1:]
        return TextFix(title, diagnostic.code, fix.edits, preferred=fix.safe)
    return message_fix(diagnostic, lines)


def message_fix(diagnostic: Diagnostic, lines: Sequence[str]) -> TextFix | None:
    """A did-you-mean read from the finding's message, as an edit of what it points at."""
    if diagnostic.code not in SUGGESTING or diagnostic.end_line != diagnostic.line:
        return None
    found = _SUGGESTION.search(diagnostic.message)
    if found is None or not 1 <= diagnostic.line <= len(lines):
        return None
    original = lines[diagnostic.line - 1][diagnostic.column - 1 : diagnostic.end_column - 1]
    if not original:
        return None
    if found.group("path") is not None:
        replacement = found.group("path")
    elif found.group("variable") is not None:
        replacement = ("$" if original.startswith("$") else "") + found.group("variable")
    else:
        replacement = found.group("quoted")
        if not original.endswith(":"):
            replacement = replacement.rstrip(":")
        if diagnostic.code != "WF108" and original == original.lower():
            replacement = replacement.lower()
    if replacement == original:
        return None
    span = (diagnostic.line, diagnostic.column, diagnostic.end_line, diagnostic.end_column)
    return _one(f"Write '{replacement}'", diagnostic.code, span, replacement, preferred=True)


def suppression_fix(diagnostic: Diagnostic, lines: Sequence[str]) -> TextFix:
    """A disable-next-line comment for the finding's code above its line, indented like
    it; a disable-next-line comment already there gets the code added instead. A finding
    inside a code fence (a `Task:` block, a call) is disabled around the whole fence: a
    comment inside it would be code, and would change what the block says. A finding in a
    playbook embedded in a ```` ```markdown ```` fence (a docs page, like the seed) is
    disabled by a `disable-next-block` comment before that fence: docs sites print a
    comment inside a fence as text, and outside it stays hidden."""
    line = max(1, diagnostic.line)
    title = f"Disable {diagnostic.code} ({diagnostic.rule}) for this line"
    embedding = markdown_fence_around(lines, line)
    if embedding is not None:
        return _before_fence(diagnostic, lines, embedding)
    fence = code_fence_around(lines, line)
    if fence is not None:
        return _around_fence(diagnostic, lines, fence)
    return _add_to_comment_above(title, diagnostic, lines, line, _DISABLE_LINE, "next-line")


def _add_to_comment_above(
    title: str,
    diagnostic: Diagnostic,
    lines: Sequence[str],
    line: int,
    existing_comment: re.Pattern[str],
    kind: str,
) -> TextFix:
    """`<!-- drillbook-disable-KIND CODE -->` on a new line above `line`, indented like
    it, or CODE added to such a comment already there."""
    above = lines[line - 2] if 2 <= line <= len(lines) + 1 else ""
    existing = existing_comment.search(above)
    if existing is not None:
        codes = existing.group("codes").strip()
        listed = f"{codes}, {diagnostic.code}" if codes else ""
        comment = f"<!-- drillbook-disable-{kind} {listed} -->" if listed else existing.group()
        span = (line - 1, existing.start() + 1, line - 1, existing.end() + 1)
        return _one(title, diagnostic.code, span, comment)
    text = lines[line - 1] if line <= len(lines) else ""
    indent = text[: len(text) - len(text.lstrip())]
    comment = f"{indent}<!-- drillbook-disable-{kind} {diagnostic.code} -->\n"
    return _one(title, diagnostic.code, (line, 1, line, 1), comment)


def _before_fence(diagnostic: Diagnostic, lines: Sequence[str], fence: tuple[int, int]) -> TextFix:
    title = (
        f"Disable {diagnostic.code} ({diagnostic.rule}) for this fenced playbook "
        "(a comment before the fence, hidden on the published page)"
    )
    first = fence[0]
    return _add_to_comment_above(title, diagnostic, lines, first, _DISABLE_BLOCK, "next-block")


def markdown_fence_around(lines: Sequence[str], line: int) -> tuple[int, int] | None:
    """The (opening, closing) lines of the top-level ```` ```markdown ```` fence whose
    text holds `line` (not its fence lines: a comment above those is outside already)."""
    fence = _fence_holding(lines, 1, len(lines), line)
    if fence is None:
        return None
    first, last, info = fence
    if info.split()[:1] not in (["markdown"], ["md"]) or not first < line < last:
        return None
    return first, last


def _around_fence(diagnostic: Diagnostic, lines: Sequence[str], fence: tuple[int, int]) -> TextFix:
    first, last = fence
    opening = lines[first - 1]
    indent = opening[: len(opening) - len(opening.lstrip())]
    code = diagnostic.code
    before = Edit(
        line=first,
        column=1,
        end_line=first,
        end_column=1,
        text=f"{indent}<!-- drillbook-disable {code} -->\n",
    )
    if last < len(lines):
        after = Edit(
            line=last + 1,
            column=1,
            end_line=last + 1,
            end_column=1,
            text=f"{indent}<!-- drillbook-enable {code} -->\n",
        )
    else:
        end = len(lines[-1]) + 1
        after = Edit(
            line=len(lines),
            column=end,
            end_line=len(lines),
            end_column=end,
            text=f"\n{indent}<!-- drillbook-enable {code} -->",
        )
    title = f"Disable {code} ({diagnostic.rule}) for this block"
    return TextFix(title, code, (before, after))


def code_fence_around(lines: Sequence[str], line: int) -> tuple[int, int] | None:
    """The (opening, closing) lines of the code fence holding `line`, if any. A
    ```` ```markdown ```` fence is a workflow's own text, not code: fences inside it count."""
    start, end = 1, len(lines)
    while True:
        fence = _fence_holding(lines, start, end, line)
        if fence is None:
            return None
        first, last, info = fence
        if first == line or last == line:
            return None  # on the fence line itself: a comment above it is outside
        if info.split()[:1] not in (["markdown"], ["md"]):
            return first, last
        start, end = first + 1, last - 1


def _fence_holding(
    lines: Sequence[str], start: int, end: int, line: int
) -> tuple[int, int, str] | None:
    number = start
    while number <= end:
        opened = _FENCE.match(lines[number - 1])
        if opened is None:
            number += 1
            continue
        marker = opened.group("fence")
        close = number + 1
        while close <= end:
            closing = _FENCE.match(lines[close - 1])
            if (
                closing is not None
                and closing.group("fence")[0] == marker[0]
                and len(closing.group("fence")) >= len(marker)
                and not closing.group("info").strip()
            ):
                break
            close += 1
        last = min(close, end)
        if number <= line <= last:
            return number, last, opened.group("info").strip().lower()
        number = last + 1
    return None


def default_path_fix(
    decision: DecisionBlock, diagnostic: Diagnostic, lines: Sequence[str]
) -> TextFix | None:
    """A default path after the decision's last path, written in the decision's own form:
    `#### Path D: … (Default)` after `Path A/B/C` paths, `### Else: …` after `If`/`Elif`."""
    if not decision.paths:
        return None
    last = decision.paths[-1]
    head = lines[last.span.line - 1] if last.span.line <= len(lines) else ""
    heading = _HEADING.match(head)
    if heading is None:
        return None
    prefix = heading.group("indent") + heading.group("hashes")
    if last.role == "path":
        title = f"{prefix} Path {_next_label(last.label)}: No condition holds (Default)"
    else:
        title = f"{prefix} Else: No condition holds"
    indent = heading.group("indent")
    body = (
        f'{indent}- Use Task tool with subagent_type="general-purpose"\n'
        f'{indent}- Prompt: "None of the conditions above holds: say what to do then."\n'
        f"{indent}- Output: Fallback findings\n"
    )
    end = _last_line(last)
    if end < len(lines):
        insert = (end + 1, 1)
        text = f"\n{title}\n{body}"
    else:  # the path runs to the end of the text
        insert = (len(lines), len(lines[-1]) + 1)
        text = f"\n\n{title}\n{body}"
    span = (insert[0], insert[1], insert[0], insert[1])
    return _one("Add a default path to this decision", diagnostic.code, span, text, preferred=True)


def _last_line(path: DecisionPath) -> int:
    ends = [path.span.end_line, *(n.span.end_line for n in path.notes)]
    ends.extend(block.span.end_line for block in iter_blocks(path.blocks))
    return max(ends)


def _next_label(label: str) -> str:
    if label.isdigit():
        return str(int(label) + 1)
    if len(label) == 1 and label.isalpha() and label.upper() != "Z":
        return chr(ord(label) + 1)
    return "Default"


def apply_fix(text: str, fix: TextFix) -> str:
    """`text` with `fix` applied (columns in code points, lines split on "\\n")."""
    lines = text.split("\n")

    def offset(line: int, column: int) -> int:
        before = sum(len(lines[n]) + 1 for n in range(min(line - 1, len(lines))))
        return before + column - 1

    spans = [(offset(e.line, e.column), offset(e.end_line, e.end_column), e) for e in fix.edits]
    for start, end, edit in sorted(spans, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:start] + edit.text + text[end:]
    return text
