"""One open document, parsed and checked: what every editor feature reads.

`analyse` runs exactly what `drillbook lint` runs on a file (`check_document` with the
configuration and the document's suppression comments), but on the editor's text, and
keeps the facts behind the findings (index, graph, resolved references) so hover,
definition and completion answer from the same resolution the linter judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from compiler.checks import apply_config, check_document
from compiler.checks.config import LintConfig
from compiler.checks.facts import DocumentFacts, WorkflowFacts
from compiler.checks.index import Produced, StepInfo
from compiler.checks.resolve import Resolved
from compiler.diagnostics import Diagnostic
from compiler.model import Document, Span, Step, iter_steps
from compiler.parse import parse_document
from compiler.source import Source, UnreadableFile, decode_bytes

#: A document with no workflow is somebody's README: the editor stays silent on it.
SILENT_CODES = frozenset({"WF101"})


@dataclass(frozen=True)
class Point:
    """A cursor position: 1-based line, 1-based column in code points (like `Span`)."""

    line: int
    column: int


def contains(span: Span, point: Point) -> bool:
    """Is `point` inside `span`? The end counts too: a cursor right after a word is on it."""
    start = (span.line, span.column)
    end = (span.end_line, span.end_column)
    return start <= (point.line, point.column) <= end


@dataclass
class Analysis:
    path: str
    text: str
    config: LintConfig
    document: Document | None = None
    facts: DocumentFacts | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    #: findings this document's lint made about other files (an agent catalog's broken
    #: front matter): the editor shows them on those files, never on this one
    elsewhere: tuple[Diagnostic, ...] = ()
    lines: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = tuple(self.text.split("\n"))

    def line(self, number: int) -> str:
        """The text of 1-based line `number`, or "" past the end."""
        return self.lines[number - 1] if 1 <= number <= len(self.lines) else ""

    @property
    def workflows(self) -> list[WorkflowFacts]:
        return self.facts.workflows if self.facts is not None else []

    def steps(self) -> Iterator[tuple[WorkflowFacts, StepInfo]]:
        for wf in self.workflows:
            for info in wf.index.steps.values():
                yield wf, info

    def reference_at(self, point: Point) -> tuple[WorkflowFacts, Resolved] | None:
        """The consumed reference under the cursor, with its resolution."""
        for wf in self.workflows:
            for entry in wf.resolved:
                if contains(entry.resolution.reference.span, point):
                    return wf, entry
        return None

    def item_at(self, point: Point) -> tuple[WorkflowFacts, Produced] | None:
        """The produced item (Output, Context for next…, saved file) under the cursor."""
        for wf in self.workflows:
            for produced in wf.index.produced:
                if contains(produced.item.span, point):
                    return wf, produced
        return None

    def agent_at(self, point: Point) -> Step | None:
        """The step whose agent name is under the cursor."""
        if self.document is None:
            return None
        for step in iter_steps(self.document):
            if step.agent_span is not None and contains(step.agent_span, point):
                return step
        return None

    def step_around(self, line: int) -> tuple[WorkflowFacts, StepInfo] | None:
        """The step whose lines hold `line`, else the nearest step starting above it in the
        same workflow (a half-typed field often sits just past the step's parsed span)."""
        best: tuple[WorkflowFacts, StepInfo] | None = None
        for wf, info in self.steps():
            span = info.step.span
            if span.line <= line <= span.end_line:
                return wf, info
            inside = wf.workflow.span.line <= line <= wf.workflow.span.end_line
            if (
                inside
                and span.line <= line
                and (best is None or span.line > best[1].step.span.line)
            ):
                best = (wf, info)
        return best

    def diagnostics_at(self, line: int) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.line <= line <= max(d.line, d.end_line)]


def analyse(text: str, path: str, config: LintConfig | None = None) -> Analysis:
    """Parse and check `text` (the editor's buffer of `path`). Unreadable text (NUL bytes,
    over the size limit) gets the WF901 lint would give; no workflow gets nothing."""
    config = config or LintConfig()
    try:
        source = decode_bytes(text.encode("utf-8", "surrogatepass"), path)
    except UnreadableFile as exc:
        from compiler.checks.rules.parsing import unreadable_file

        problem = unreadable_file(path, exc.reason, exc.line, exc.column)
        return Analysis(path, text, config, diagnostics=tuple(apply_config([problem], config)))
    document = parse_document(Source(path, source.text))
    found = check_document(document, config, source=source.text)
    shown = [d for d in found if d.code not in SILENT_CODES]
    own = tuple(d for d in shown if d.file == path)
    elsewhere = tuple(d for d in shown if d.file != path)
    lines = tuple(source.text.split("\n"))
    facts = DocumentFacts(document, config, lines)
    return Analysis(path, source.text, config, document, facts, own, elsewhere)
