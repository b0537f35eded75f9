"""The recogniser's state and the lookups every part of it needs: the section stack (which
follows heading levels), the open step, and the containers content falls into."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Literal

from compiler.model import Note, ParseDiagnostic, Ref, Span
from compiler.parse import patterns as p
from compiler.parse.builder import (
    ContainerDraft,
    PhaseDraft,
    StepDraft,
)
from compiler.parse.elements import Element
from compiler.regex import LazyPattern

PathRole = Literal["path", "if", "elif", "else"]


@dataclass
class Section:
    """An open heading: its level, what the recogniser took it for, and what it opened."""

    level: int
    role: str  # phase, branch, path, decision, step, checkpoint, notes, skip, generic
    title: str
    obj: Any = None
    step: StepDraft | None = None  # a step adopted by a generic heading
    line: int = 0  # where a generic heading is


@dataclass
class Recognised:
    """Everything the recogniser found in one workflow, before it is frozen."""

    title: str | None = None
    title_span: Span | None = None
    intent: str | None = None
    phases: list[PhaseDraft] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    inputs: list[Ref] = field(default_factory=list)
    diagnostics: list[ParseDiagnostic] = field(default_factory=list)


class RecogniserState:
    """Everything the recogniser remembers while it walks one document's elements."""

    def __init__(self, elements: list[Element]) -> None:
        self.elements = elements
        self.out = Recognised()
        self.stack: list[Section] = []
        self.step: StepDraft | None = None
        self.step_depth = 0  # list depth at which the current step's fields sit
        self.field_value: tuple[str, StepDraft, int] | None = None  # (role, step, depth)
        self.phase_level = _phase_level(elements)
        self.numbered_phase_level = _numbered_phase_level(elements, self.phase_level)
        self.parent_items: dict[int, Element] = {}
        self.pending_title: tuple[str, str | None] | None = None  # from a bold pseudo-heading
        self.chain: list[StepDraft] = []  # steps named together on one line
        self.prompt_item: tuple[StepDraft, int] | None = None  # list item holding the prompt
        self.prompt_fence: StepDraft | None = None  # invocation line ending in ":"
        #: a code block already read as the list of agents its lead-in launches
        self.members_fence: Element | None = None
        #: the batch of agents a lead-in launches in the "Agent 1 - …" paragraphs below it
        self.members_led: int | None = None
        # "ONLY IF tests pass" before the step it governs: (its section, the condition)
        self.only_if: tuple[object, str] | None = None
        #: "**Pass 2 (if Pass 1 had fixes):**" just above a launch: (its line, the condition)
        self.titled_if: tuple[int, str | None] | None = None
        self.routes: list[StepDraft] = []  # the alternatives of a routing list so far
        self.lead_text = ""  # the last heading or paragraph read (`prose.ProseDelegation`)
        self.reading_files = False  # inside `<files_to_read>` … `</files_to_read>`
        #: under a heading that says its agents run in parallel: (heading level, batch)
        self.batch_region: tuple[int, int] | None = None
        self.batches = 0
        #: the step that launched several agents numbered under headings below it
        #: ("### Agent 1 (4 repos)"), and the level of those headings
        self.member_launch: tuple[StepDraft, int] | None = None
        #: the first line of each element, in order: where the element after a line is
        self.element_lines = [element.span.line for element in self.elements]
        #: lines between `<example>` (or `<Good>`, `<Bad>`) and its closing tag
        self.example_lines = example_lines(elements)

    def index_after(self, line: int) -> int:
        """Where in `elements` the first element starting after `line` is."""
        return bisect_right(self.element_lines, line)

    def next_batch(self) -> int:
        self.batches += 1
        return self.batches

    def skipping(self) -> bool:
        return any(section.role == "skip" for section in self.stack)

    def current_phase(self, span: Span, title: str) -> PhaseDraft:
        for section in reversed(self.stack):
            if section.role == "phase":
                return section.obj  # type: ignore[no-any-return]
        if self.out.phases and self.out.phases[-1].implicit is False and not self.in_notes():
            return self.out.phases[-1]
        phase = PhaseDraft(
            span=span, title=self.implicit_title(title), implicit=True, provenance="inferred"
        )
        self.out.phases.append(phase)
        return phase

    def implicit_title(self, fallback: str) -> str:
        """An implicit phase is named after the top-level section it sits in."""
        top = self.top_generic()
        if top is not None:
            return p.strip_markup(top.title)
        return self.out.title or fallback

    def in_notes(self) -> bool:
        return any(section.role == "notes" for section in self.stack)

    def container(self, span: Span, title: str) -> ContainerDraft:
        prose = self.case_container()
        if prose is not None:
            return prose  # a path of a decision written in prose
        for section in reversed(self.stack):
            if section.role in ("branch", "path", "phase"):
                return section.obj  # type: ignore[no-any-return]
        # Content outside any phase: an implicit phase collects it, one per top section.
        top = self.top_generic()
        last = self.out.phases[-1] if self.out.phases else None
        if last is not None and last.implicit and getattr(last, "_anchor", None) is top:
            return last
        phase = PhaseDraft(
            span=span, title=self.implicit_title(title), implicit=True, provenance="inferred"
        )
        phase._anchor = top  # type: ignore[attr-defined]
        self.out.phases.append(phase)
        return phase

    def section_title(self) -> str:
        """The title of the innermost open section ("" at the top of the document)."""
        return self.stack[-1].title if self.stack else ""

    def in_spawn_list(self, element: Element) -> bool:
        """Is `element` a member of a list of agents to launch (`prose.ProseDelegation`)?"""
        return False

    def in_prompt(self, element: Element) -> bool:
        """Is `element` text the open step reads as its prompt (`prose.ProseDelegation`)?"""
        return False

    def case_container(self) -> ContainerDraft | None:
        """The path of an open decision written in prose (`cases.ProseDecisions`)."""
        return None

    def case_condition(self, element: Element) -> str | None:
        """The condition `element` opens a path of a prose decision on, if it does."""
        return None

    def top_generic(self) -> Section | None:
        for section in self.stack:
            if section.role in ("generic", "notes", "checkpoint"):
                return section
        return None

    def top_checkpoint(self) -> Section | None:
        for section in reversed(self.stack):
            if section.role == "checkpoint":
                return section
        return None

    def innermost_container(self) -> ContainerDraft | None:
        for section in reversed(self.stack):
            if section.role in ("branch", "path", "phase"):
                return section.obj  # type: ignore[no-any-return]
            if section.role in ("notes",):
                return None
        return None

    def close_step(self, keep_routes: bool = False) -> None:
        if not keep_routes:
            self.routes = []
        self.step = None
        self.field_value = None
        self.step_depth = 0
        self.prompt_item = None


def _phase_level(elements: list[Element]) -> int:
    """The heading level phases are written at, 0 if none: the level most `Phase N`
    headings use (the shallower on a tie). "### Phase 1 Tools" under a "## Tool Guidance"
    section of a document whose phases are `####` headings talks about a phase."""
    levels: dict[int, int] = {}
    for element in elements:
        if element.kind == "heading":
            classified = p.classify_heading(element.lines[0].text)
            if classified and classified[0] == "phase":
                levels[element.level] = levels.get(element.level, 0) + 1
    if not levels:
        return 0
    return min(levels, key=lambda level: (-levels[level], level))


def _numbered_phase_level(elements: list[Element], phase_level: int) -> int:
    """`## 1. Setup` headings are phases when step headings are nested below them."""
    if phase_level:
        return 0
    levels: dict[int, int] = {}
    for element in elements:
        if element.kind == "heading" and p.NUMBERED_HEADING.match(p.strip_markup(element.text)):
            levels[element.level] = levels.get(element.level, 0) + 1
    if len(levels) >= 2:
        top = min(levels)
        return top if levels[top] >= 2 else 0
    return 0


#: A line that is only a tag setting an example apart: "<example>", '<example type="x">',
#: "</examples>", "<Good>", "<Bad>", "<anti-pattern>".
_EXAMPLE_TAG = LazyPattern(
    r"^\s*<(?P<close>/)?(?:examples?|good|bad|anti[-_]?patterns?|\w+_examples?)\b[^<>]*>\s*$",
    re.IGNORECASE,
)


def example_lines(elements: list[Element]) -> frozenset[int]:
    """The lines from each example tag to the tag that closes it (an example left open
    sets nothing apart: the rest of the document is no example)."""
    inside: set[int] = set()
    opened: list[int] = []
    for element in elements:
        if "<" not in element.text:
            continue  # (most elements: no tag at all)
        for line in element.lines:
            tag = _EXAMPLE_TAG.match(line.text)
            if tag is None:
                continue
            if not tag["close"]:
                opened.append(line.line)
            elif opened:
                inside.update(range(opened.pop(), line.line + 1))
    return frozenset(inside)
