"""Parse a workflow document (any dialect) into the typed model.

The workflow is either the whole file or one or more ```` ```markdown ```` fences inside a
host page (the docs-site dialect); in the latter case the fence content is parsed as its
own document through a `View` that maps every line back to the original file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from compiler.collector import collector_paused
from compiler.model import Document, ParseDiagnostic, Phase, Ref, Span, Workflow, iter_steps
from compiler.parse import patterns as p
from compiler.parse.agent_names import GENERIC_NAME
from compiler.parse.builder import ParallelDraft, PhaseDraft, StepDraft
from compiler.parse.calls import scan_calls
from compiler.parse.elements import (
    Element,
    View,
    merge_open_calls,
    merge_tagged_blocks,
    parse_elements,
)
from compiler.parse.freeze import IdAllocator, freeze_phases
from compiler.parse.gates import WordGated
from compiler.parse.handoffs import link_handoffs
from compiler.parse.host import read_host
from compiler.parse.offered_handoffs import offered_handoffs
from compiler.parse.otherwise import split_otherwise
from compiler.parse.recognizer import Recognised, Recogniser
from compiler.parse.values import HAS_EXTENSION, file_reads, file_saves
from compiler.regex import LazyPattern
from compiler.source import Source, normalise_text

__all__ = ["parse_document", "parse_text"]

_WORKFLOW_MARKER = LazyPattern(
    r"^#{1,4}\s+(?:phase|step)\s+\d|subagent_type|^\s*(?:Task|Agent)\s*[:(]", re.IGNORECASE | re.M
)


def parse_text(text: str, path: str = "<text>") -> Document:
    """Parse a document given as text (tests, stdin)."""
    return parse_document(Source(path, normalise_text(text)))


def parse_document(source: Source) -> Document:
    if "\r" in source.text:
        # Line ends as every reader of a file leaves them (`normalise_text`): markdown-it
        # counts a lone CR as a line break, the line table would not.
        source = Source(source.path, normalise_text(source.text))
    # The parse makes tens of thousands of small objects (tokens, lines, spans, drafts) that
    # live until the document is built, and few cycles (~5% of a lint of the corpora when
    # the collector went over them).
    with collector_paused():
        return _parse_document(source)


def _parse_document(source: Source) -> Document:
    view = View.whole(source.text)
    elements = _elements(view)
    host = read_host(elements)
    embedded = _embedded_fences(elements)
    workflows: list[Workflow] = []
    diagnostics: list[ParseDiagnostic] = list(host.diagnostics)
    if embedded:
        for index, fence in enumerate(embedded):
            sub = _fence_view(view, fence)
            prefix = "" if index == 0 else f"workflow-{index + 1}/"
            workflow, found = _workflow(_elements(sub), prefix, fence.span, embedded=True)
            workflows.append(workflow)
            diagnostics.extend(found)
    else:
        whole = Span(line=1, column=1, end_line=max(1, len(view.lines)), end_column=1)
        offered = offered_handoffs(host.front_matter, _front_matter_element(elements))
        workflow, found = _workflow(elements, "", whole, embedded=False, offered=offered)
        workflows.append(workflow)
        diagnostics.extend(found)
        diagnostics.extend(_headings_in_code(elements))
    title = (
        host.front_matter.get("title") if isinstance(host.front_matter.get("title"), str) else None
    )
    return Document(
        path=source.path,
        title=title or host.title or (workflows[0].title if workflows else None),
        front_matter=host.front_matter,
        requirements=tuple(host.requirements),
        recorded_run=host.recorded_run,
        workflows=tuple(workflows),
        parse_diagnostics=tuple(sorted(diagnostics, key=lambda d: (d.span.line, d.span.column))),
    )


def _elements(view: View) -> list[Element]:
    elements = parse_elements(view)
    elements = merge_open_calls(elements, view)
    return merge_tagged_blocks(
        elements, view, r"^\s*<(?:Task|Agent)\b[^>]*>\s*$", r"</(?:Task|Agent)\s*>"
    )


def _embedded_fences(elements: list[Element]) -> list[Element]:
    """```markdown fences that hold a workflow, when the page around them holds none."""
    candidates = [
        element
        for element in elements
        if element.kind == "fence"
        and element.marker.split()[:1] in (["markdown"], ["md"])
        and _WORKFLOW_MARKER.search(element.text)
        # a fence that runs agents; "## Phase 1: [Name]" alone is a template of a plan, and
        # "Task: <task title>" over the context to give is the brief of one agent
        and re.search(r"subagent_type|\b(?:Task|Agent)\s*\(", element.text, re.M)
    ]
    if not candidates:
        return []
    chosen = {id(element) for element in candidates}  # (equality would compare every line)
    outside = [element for element in elements if id(element) not in chosen]
    # (line by line: a page's other elements need not have their text joined for this)
    if any("subagent_type" in line.text for element in outside for line in element.lines):
        return []
    return candidates


_STRUCTURE_HEADING = LazyPattern(r"^#{2,3}\s+(?:phase|step)\s+\d", re.IGNORECASE)
#: A fence line inside a code block: an attempt to close it.
_FENCE_ATTEMPT = LazyPattern(r"\s*(`{3,}|~{3,})(.*)$")


def _headings_in_code(elements: list[Element]) -> list[ParseDiagnostic]:
    """A `## Phase 3` line inside a code block almost always means a fence above it was not
    closed (or was closed by a nested fence): the phase silently drops out of the workflow.
    Not when the document has that phase outside code (the block shows a report about it:
    "## Phase 1 Complete"), nor inside the prompt of a closed agent call (the agent's own
    "### Step 1" instructions)."""
    found: list[ParseDiagnostic] = []
    stated = {
        _numbered(element.lines[0].text)
        for element in elements
        if element.kind == "heading" and element.lines
    }
    for index, element in enumerate(elements):
        if element.kind != "fence" or element.marker.split()[:1] in (["markdown"], ["md"]):
            continue
        if not any(_STRUCTURE_HEADING.match(line.text) for line in element.lines):
            continue  # (most code blocks: nothing to report, no calls to read)
        quoted = _lines_in_calls(element)
        opened = element.first_line
        fence = element.open_line.text.strip() if element.open_line is not None else ""
        marker = re.match(r"`{3,}|~{3,}", fence)
        attempt: str | None = None
        for line in element.lines:
            tried = (
                _FENCE_ATTEMPT.match(line.text) if "``" in line.text or "~~" in line.text else None
            )
            if tried and attempt is None and marker is not None:
                attempt = _why_not_closing(line.line, tried, marker.group(0))
            if (
                line.text.startswith("##")
                and _STRUCTURE_HEADING.match(line.text)
                and line.line not in quoted
                and _numbered(line.text.lstrip("#")) not in stated
                and (attempt is not None or not element.closed or not _introduced(elements, index))
            ):
                cause = attempt or "a fence above is probably not closed"
                found.append(
                    ParseDiagnostic(
                        code="WF110",
                        message=f"'{line.text.strip()}' is inside the code block opened at "
                        f"line {opened}, so it is not part of the workflow; {cause} — "
                        "close the block before this heading",
                        span=line.span(),
                    )
                )
    return found


def _introduced(elements: list[Element], index: int) -> bool:
    """Is the code block `elements[index]` introduced by the line just above it (".swarm/
    plan.md:", "**Worked example**:")? Then the author opened it to show that text, headings
    and all: where it closes and no fence inside it failed to close, nothing is wrong."""
    if index == 0:
        return False
    before, fence = elements[index - 1], elements[index]
    return fence.span.line - before.span.end_line <= 2 and before.text.rstrip().endswith(
        (":", "：", ":**", "：**")
    )


#: "Phase 2", "step 3" at the start of a heading's text: which phase or step it is.
_NUMBERED = LazyPattern(r"\s*(phase|step)\s+(\d+)", re.IGNORECASE)


def _numbered(text: str) -> tuple[str, str] | None:
    match = _NUMBERED.match(text)
    return (match[1].lower(), match[2]) if match else None


def _lines_in_calls(fence: Element) -> set[int]:
    """The lines of `fence` inside an agent call that closes in it (its prompt's text)."""
    passage = fence.passage
    if "(" not in passage.text:
        return set()
    inside: set[int] = set()
    for call in scan_calls(passage.text):
        if call.closed:
            span = passage.span(call.start, call.end)
            inside.update(range(span.line, span.end_line + 1))
    return inside


def _why_not_closing(number: int, tried: re.Match[str], opener: str) -> str:
    """Why the fence line at `number` does not close a block opened with `opener`."""
    fence, info = tried.group(1), tried.group(2).strip()
    if fence[0] != opener[0] or len(fence) < len(opener):
        return (
            f"line {number} ({fence}{info}) does not close it: the block was opened with "
            f"{opener}, and only {len(opener)} or more {opener[0]} close it"
        )
    return f"line {number} ({fence}{info}) does not close it: a closing fence takes no info string"


def _fence_view(view: View, fence: Element) -> View:
    first = fence.first_line  # the opening ``` line
    assert fence.open_line is not None
    indent = fence.open_line.column - 1
    start = view.origin_lines.index(first) + 1
    count = len(fence.lines)
    return view.sub(start, start + count - 1, indent) if count else view.sub(start, start - 1, 0)


def _front_matter_element(elements: list[Element]) -> Element | None:
    return elements[0] if elements and elements[0].kind == "front_matter" else None


def _workflow(
    elements: list[Element],
    prefix: str,
    span: Span,
    embedded: bool,
    offered: PhaseDraft | None = None,
) -> tuple[Workflow, list[ParseDiagnostic]]:
    """The workflow `elements` state; `offered`: the hand-offs the page's front matter
    offers once it has run (its last phase)."""
    recognised = Recogniser(split_otherwise(elements)).run()
    if offered is not None:
        recognised.phases.append(offered)
    for phase in recognised.phases:
        if phase.implicit:
            _drop_numbered_prose(phase)
    _drop_restated_overviews(recognised.phases, recognised.title)
    phases = [phase for phase in recognised.phases if _keep(phase)]
    has_steps = any(_has_step(phase) for phase in phases)
    written, rewritten = _written_files(elements)
    if has_steps:
        link_handoffs(phases, elements, [ref for ref in written if ref.text not in rewritten])
    frozen = freeze_phases(phases, IdAllocator(prefix)) if has_steps else ()
    inputs = _inputs(recognised, elements)
    workflow = Workflow(
        title=recognised.title,
        intent=recognised.intent,
        dialect="none",
        inputs=tuple(inputs),
        phases=frozen,
        notes=tuple(recognised.notes),
        final_context=tuple(
            item
            for phase in frozen
            for step in iter_steps(phase)
            for item in step.produces
            if item.kind == "final"
        ),
        written_files=tuple(written),
        loaded_files=tuple(_loaded_files(elements, frozen)),
        span=span,
    )
    workflow = replace(workflow, dialect=_dialect(workflow, elements, embedded))
    return workflow, recognised.diagnostics


def _drop_numbered_prose(phase: PhaseDraft) -> None:
    """Outside explicit phases, a "### 1. Initialise state" heading with no agent is an
    ordinary numbered section (pre-flight checks, setup), not a workflow step."""
    phase.blocks = [
        block
        for block in phase.blocks
        if not (isinstance(block, StepDraft) and block.agent is None and not block.named_step)
    ]


#: The title of a section that describes the workflow before running it.
_OVERVIEW = LazyPattern(
    r"^\W*(?:purpose|overview|summary|outline|goals?|role|responsibilities|core\s+mission"
    r"|at\s+a\s+glance|quick\s+reference|(?:workflow|process|flow)\s+(?:overview|outline|summary)"
    r"|what\s+(?:it|this\s+\w+)\s+does|how\s+it\s+works|概述|目的|目标|概要|개요|목적|propósito"
    r"|resumen|objetivo|visão\s+geral"
    # the role's duties and mission, translated ("Responsabilidades", "Missão", "职责")
    r"|responsabilidades|responsabilités|responsabilità|verantwortlichkeiten|zuständigkeiten"
    r"|missão|misión|mission|missione|职责|職責|責務|役割|역할|책임)\b",
    re.IGNORECASE,
)


def _drop_restated_overviews(phases: list[PhaseDraft], title: str | None) -> None:
    """A "## Purpose" section whose bullets name the agents the workflow launches later
    ("Delegate report generation to `Report Generator`") says what is to come: its inferred
    steps are restatements of the later ones, not launches of their own. So does the
    introduction under the document's title that speaks of unnamed agents."""
    for index, phase in enumerate(phases):
        # what the document says under its title, before its first section
        intro = index == 0 and phase.implicit and title is not None and phase.title == title
        if not phase.implicit or not (intro or _OVERVIEW.match(phase.title)):
            continue
        # (steps alone, or in a parallel group: "deploys 4 subagents in parallel")
        if not all(isinstance(block, (StepDraft, ParallelDraft)) for block in phase.blocks):
            continue
        steps = list(_draft_steps(phase.blocks))
        if not steps:
            continue
        later = {
            step.agent.lower()
            for later in phases[index + 1 :]
            for step in _draft_steps(later.blocks)
            if step.agent
        }
        if all(
            step.provenance == "inferred"
            and step.agent
            and (
                step.agent.lower() in later
                # "Run a review using multiple specialized agents" above the steps that
                # launch them: an unnamed agent in the introduction announces the others
                or (step.agent == GENERIC_NAME and later)
            )
            for step in steps
        ):
            phase.blocks = []


def _keep(phase: PhaseDraft) -> bool:
    return bool(phase.blocks) or not phase.implicit


def _has_step(phase: PhaseDraft) -> bool:
    return next(_draft_steps(phase.blocks), None) is not None


def _draft_steps(blocks: Sequence[object]) -> Iterator[StepDraft]:
    """The steps among draft blocks, in branches and paths too (before `structure` makes
    loops, drafts nest only so)."""
    for block in blocks:
        if isinstance(block, StepDraft):
            yield block
        for attr in ("branches", "paths"):
            for child in getattr(block, attr, []):
                yield from _draft_steps(child.blocks)


#: "save … to `x`", "write `x`", "update `x`", "create `x`", "**Output file:** `x`".
#: Gated by its verbs: two lines in three with a backtick and a dot hold none of them.
_WRITES = WordGated(
    LazyPattern(
        r"\b(?:save[sd]?|writes?|written|create[sd]?|update[sd]?|append(?:s|ed)?|record(?:s|ed)?|"
        r"store[sd]?|generate[sd]?|output(?:\s+file)?|produce[sd]?|emit(?:s|ted)?)\b[^`\n]{0,60}?"
        r"`(?P<path>" + p.FILE_PATH + r")`",
        re.IGNORECASE,
    ),
    (
        "save",
        "writ",
        "create",
        "update",
        "append",
        "record",
        "store",
        "generate",
        "output",
        "produce",
        "emit",
    ),
)


#: "Create requirements.md using template", "Initialize empty design.md": a document file
#: named bare, right after the verb that makes it. Gated by its verbs, as `_WRITES`.
_WRITES_BARE = WordGated(
    LazyPattern(
        r"\b(?:save[sd]?|writes?|create[sd]?|generate[sd]?|produce[sd]?|initiali[sz]e[sd]?)\s+"
        r"(?:(?:an?|the|empty|new|initial)\s+){0,2}"
        r"(?P<path>[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.(?:md|json|ya?ml|txt|html|csv))(?![\w/.`])",
        re.IGNORECASE,
    ),
    ("save", "write", "create", "generate", "produce", "initiali"),
)

#: What a bare file name in prose ends with (`_WRITES_BARE`): the cheap test before it.
_DOCUMENT_FILE = LazyPattern(r"\.(?:md|json|ya?ml|txt|html|csv)\b", re.IGNORECASE)

#: "Output: agents/[NAME]/planning/prompts.md", "6. Output: …/INITIAL.md": a step's output
#: written as a path with a folder on an `Output:` line (also inside its fenced brief).
_OUTPUT_LINE = LazyPattern(
    r"^[\s>*+\-•\d.)]*(?:\*\*)?output(?:\s+file)?(?:\*\*)?\s*[:：]\s*(?:\*\*)?"
    r"(?P<path>[\w.{}\[\]$<>-]+(?:/[\w.{}\[\]$<>-]+)+\.(?:md|json|ya?ml|txt|html|csv))\b",
    re.IGNORECASE,
)

#: `"output_file": "bazinga/prompts/x.md"`: a parameter naming where a tool writes.
_OUTPUT_KEY = LazyPattern(
    r"\b(?:output_file|output_path|out_file|report_path|output)[\"']?\s*[:=]\s*[\"'`]"
    r"(?P<path>" + p.FILE_PATH + r")[\"'`]"
)


def _written_files(elements: list[Element]) -> tuple[list[Ref], set[str]]:
    """Every file the document says gets written, wherever it says so (first mention), and
    those it says get written on three lines or more: bookkeeping (`state.json` updated
    after every step), not something one step hands to another."""
    found: dict[str, Ref] = {}
    lines: dict[str, set[int]] = {}
    for element in elements:
        if not HAS_EXTENSION.search(element.text):
            continue  # no path in it (most elements): every pattern below needs `.` + a letter
        refs: list[Ref] = []
        for line in element.lines:
            text = line.text
            if "." not in text or not (
                "`" in text or "/" in text or "output" in text or _DOCUMENT_FILE.search(text)
            ):
                continue  # no path on this line
            refs += [
                Ref(text=match["path"], span=line.span(*match.span("path")))
                for pattern in _path_patterns(text)
                for match in pattern.finditer(text)
            ]
        # (the element's whole text: a save may name its files over more than one line,
        # "Create `design.md` and" / "`tasks.md`")
        refs += [Ref(text=item.name, span=item.span) for item in file_saves(element.passage)]
        for ref in sorted(refs, key=lambda ref: (ref.span.line, ref.span.column)):
            found.setdefault(ref.text, ref)
            lines.setdefault(ref.text, set()).add(ref.span.line)
    written = sorted(found.values(), key=lambda ref: (ref.span.line, ref.span.column))
    return written, {path for path, where in lines.items() if len(where) > 2}


#: `@.planning/PROJECT.md` alone on its line (or as a list item): a file put in context.
_AT_FILE = LazyPattern(r"^\s*(?:[-*+]\s+)?@(?P<path>~?" + p.FILE_PATH + r")\s*$")


def _loaded_files(elements: list[Element], phases: Sequence[Phase]) -> list[Ref]:
    """Files the document loads before its first step: `@path` lines and files it says to
    read (first mention of each)."""
    first = min((step.span.line for phase in phases for step in iter_steps(phase)), default=0)
    found: dict[str, Ref] = {}
    for element in elements:
        if element.span.line >= first:
            break
        if "." not in element.text or element.kind == "heading":
            continue
        for line in element.lines:
            at = _AT_FILE.match(line.text) if "@" in line.text else None
            if at:
                ref = Ref(text=at["path"], span=line.span(*at.span("path")))
                found.setdefault(ref.text, ref)
                continue
            for read in file_reads(line.passage):
                found.setdefault(read.text, Ref(text=read.text, span=read.span))
    return list(found.values())


def _path_patterns(text: str) -> list[LazyPattern | WordGated]:
    """Those of `_written_files`' patterns, in their order, that may match `text`: each
    needs a sign on the line (a backtick, a quote, a folder, a document's extension), and
    most lines with a path lack most of them."""
    patterns: list[LazyPattern | WordGated] = []
    quoted = "`" in text or '"' in text or "'" in text
    if "`" in text:
        patterns.append(_WRITES)
    if quoted and ("out" in text or "report_path" in text):
        patterns.append(_OUTPUT_KEY)
    if _DOCUMENT_FILE.search(text):
        patterns.append(_WRITES_BARE)
    if "/" in text and "output" in text.lower():
        patterns.append(_OUTPUT_LINE)
    return patterns


def _inputs(recognised: Recognised, elements: list[Element]) -> list[Ref]:
    """`$ARGUMENTS` and variables defined in the prose are the workflow's inputs."""
    inputs = list(recognised.inputs)
    for element in elements:
        if element.kind == "heading":
            continue
        for line in element.lines:
            found = line.text.find("$ARGUMENTS")
            if found >= 0:
                if all(ref.text != "$ARGUMENTS" for ref in inputs):
                    inputs.insert(0, Ref(text="$ARGUMENTS", span=line.span(found, found + 10)))
                break
    return inputs


#: `Task(subagent_type=…)`, `Agent(description=…)`: a call with a keyword argument.
_KEYWORD_CALL_SOURCE = r"(?:Task|Agent)\s*\(\s*\w+\s*="
_KEYWORD_CALL = LazyPattern(r"\b" + _KEYWORD_CALL_SOURCE)
#: The same without its leading `\b`, which matches wherever `_KEYWORD_CALL` does: a pattern
#: that starts with a word boundary is tried at every position of the text, one that starts
#: with a letter only where that letter is: over the corpora it takes a third of the time,
#: and nine documents in ten hold no such call, so the exact pattern is seldom asked.
_KEYWORD_CALL_ANYWHERE = LazyPattern(_KEYWORD_CALL_SOURCE)


def _dialect(workflow: Workflow, elements: list[Element], embedded: bool) -> str:
    """Which of DESIGN §2's families the workflow is written in (informational)."""
    steps = list(iter_steps(workflow))
    if not steps:
        return "none"
    text = "\n".join(element.text for element in elements)
    roles = {
        found[0]
        for element in elements
        if element.kind == "heading" and (found := p.classify_heading(element.text))
    }
    if embedded or roles & {"branch", "decision", "path", "if", "elif"}:
        return "docs-site"
    # (the cheap tests first: see `_KEYWORD_CALL_ANYWHERE`; a call with a keyword argument
    # is a `CALL_START` too, so that is not asked first)
    if _KEYWORD_CALL_ANYWHERE.search(text) and _KEYWORD_CALL.search(text):
        return "call"
    if re.search(r"^\s*(?:Task|Agent)\s*:\s*$|<Task>|`subagent_type`", text, re.M | re.I) or any(
        element.kind == "heading" and re.match(r"step\s+\d", element.text, re.I)
        for element in elements
    ):
        return "plugin"
    if "phase" in roles and "step" not in roles and all(not step.label for step in steps):
        # `## Phase N` with the step bullets right under it and no numbered step headings:
        # the seed's shape, written as a whole file.
        return "docs-site"
    return "commands"
