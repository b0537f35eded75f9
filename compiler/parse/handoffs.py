"""Context handed over through files (DESIGN §2, plugin dialect): one step, or the
coordinator between steps, writes a file ("Write `analysis/AI_NATIVE_SPEC.md` containing: …")
and a later step reads it by naming it ("Review the architecture against the spec in
analysis/AI_NATIVE_SPEC.md", "If `INTERVIEW-NOTES.md` exists, read it").

Runs once the recogniser has built the document's steps, because a hand-off joins two
places far apart. A later step that names a written file consumes it (an inferred reference
that resolves to its writer, so no rule reports it missing); a file the coordinator writes
outside every step becomes an inferred step of its own, without an agent, when a later step
reads it. Steps that run side by side never read each other's files here: that would be a
race drillbook guessed, not one the document states.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import NamedTuple

from compiler.model import Item, Ref, Reference, Span
from compiler.parse.builder import (
    BlockDraft,
    ContainerDraft,
    DecisionDraft,
    LoopBlockDraft,
    ParallelDraft,
    PhaseDraft,
    StepDraft,
)
from compiler.parse.elements import Element, TextLine
from compiler.regex import LazyPattern


@dataclass
class _Placed:
    """A step, the containers around it and the parallel groups it runs in."""

    step: StepDraft
    container: ContainerDraft
    groups: tuple[tuple[int, int], ...]  # (parallel group, branch) pairs, outermost first


@dataclass(frozen=True, eq=False)
class _Written:
    """A file the document says a step writes, with where it says so."""

    path: str
    line: int  # where the document says it is written
    writer: StepDraft
    span: Span


def link_handoffs(phases: list[PhaseDraft], elements: list[Element], written: list[Ref]) -> None:
    placed = list(_placed(phases))
    if not placed or not written:
        return
    lines = _Lines.of(elements)
    writes = _writes(placed, written, elements)
    basenames: dict[str, list[_Written]] = {}
    for write in writes:
        basenames.setdefault(PurePosixPath(write.path).name, []).append(write)
    group_of = {id(p.step): p.groups for p in placed}
    handed: set[_Written] = set()
    for reader in placed:
        step = reader.step
        consumed = {ref.text for ref in step.consumes}
        read = consumed | {i.name for i in step.produces}
        for line in _lines_of(step, lines):
            for write, start, end in _mentions(line, writes, basenames):
                if (
                    write.writer is step
                    or write.line >= line.line
                    or _side_by_side(group_of.get(id(write.writer), ()), reader.groups)
                ):
                    continue
                if write.path in read:
                    if write.path in consumed:
                        # read already, as its brief says ("Read `x.md`"): still handed over
                        # by whoever wrote it, which must say it produces it
                        handed.add(write)
                    continue
                read.add(write.path)
                handed.add(write)
                step.consumes.append(_read(write, line.span(start, end)))
    handed |= _loose_reads(placed, writes, lines)
    # only a file some step reads changes who produces what: a write nobody reads says
    # nothing about the flow, and must not teach the rules that steps here declare outputs
    known = {id(p.step) for p in placed}
    for write in sorted(handed, key=lambda w: (w.line, w.path)):
        if all(item.name != write.path for item in write.writer.produces):
            write.writer.produces.append(Item(name=write.path, kind="file", span=write.span))
        if id(write.writer) not in known and _insert(write.writer, placed, write.path):
            known.add(id(write.writer))


#: "Read both report files", "Merge all the findings", "Collect their results": the files
#: the agents just launched together wrote, named as a group.
_LOOSE_READ = LazyPattern(
    r"\b(?:read|merge|combine|collect|gather|consolidate|aggregate|synthesi[sz]e)\b[^.\n]{0,40}?"
    r"\b(?:both|all|the|these|those|their|each)\s+(?:[\w-]+\s+){0,2}"
    r"(?:reports?|findings|outputs?|results?|files)\b",
    re.IGNORECASE,
)


def _loose_reads(placed: list[_Placed], writes: list[_Written], lines: _Lines) -> set[_Written]:
    """A step right after a parallel group that reads "both report files": it reads the
    files the group's members wrote (inferred, as the group is named, not each file)."""
    handed: set[_Written] = set()
    written_by: dict[int, list[_Written]] = {}
    for write in writes:
        written_by.setdefault(id(write.writer), []).append(write)
    for index, reader in enumerate(placed):
        before = placed[index - 1] if index else None
        if before is None or not before.groups or reader.groups[:1] == before.groups[:1]:
            continue
        group = before.groups[0][0]
        members = [p.step for p in placed[:index] if p.groups[:1] and p.groups[0][0] == group]
        files = [write for m in members for write in written_by.get(id(m), [])]
        if len(files) < 2:
            continue
        step = reader.step
        read = {ref.text for ref in step.consumes}
        for line in _lines_of(step, lines):
            loose = _LOOSE_READ.search(line.text)
            if loose is None:
                continue
            for write in files:
                if write.path not in read:
                    read.add(write.path)
                    handed.add(write)
                    step.consumes.append(_read(write, line.span(*loose.span())))
            break
    return handed


def _read(write: _Written, span: Span) -> Reference:
    """A step reading `write`'s file where `span` names it: inferred, as no form made for
    reading says so."""
    return Reference(text=write.path, kind="file", span=span, provenance="inferred")


def _placed(phases: list[PhaseDraft]) -> Iterator[_Placed]:
    counter = iter(range(1, 1 << 30))

    def walk(
        container: ContainerDraft, blocks: list[BlockDraft], groups: tuple[tuple[int, int], ...]
    ) -> Iterator[_Placed]:
        batches: dict[int, int] = {}
        for block in blocks:
            if isinstance(block, StepDraft):
                inner = groups
                if block.batch is not None:
                    # steps launched in one batch become one parallel block, a branch each
                    group = batches.setdefault(block.batch, next(counter))
                    inner = (*groups, (group, next(counter)))
                yield _Placed(block, container, inner)
            elif isinstance(block, ParallelDraft):
                group = next(counter)
                for branch in block.branches:
                    yield from walk(branch, branch.blocks, (*groups, (group, id(branch))))
            elif isinstance(block, DecisionDraft):
                for path in block.paths:
                    yield from walk(path, path.blocks, groups)
            elif isinstance(block, LoopBlockDraft):
                yield from walk(container, [*block.body, block.closer], groups)

    for phase in phases:
        yield from walk(phase, phase.blocks, ())


#: A path without a folder is a file only with an extension files have (`runs.run(…)` is a
#: method call, `notes.md` a file).
_FILE_EXTENSION = LazyPattern(
    r"\.(?:md|mdx|markdown|json|jsonl|ya?ml|toml|txt|html?|csv|tsv|xml|log|ini|cfg|env|diff"
    r"|patch|py|ts|tsx|js|mjs|sh|sql|png|jpe?g|svg|pdf)$",
    re.IGNORECASE,
)


def _writes(placed: list[_Placed], written: list[Ref], elements: list[Element]) -> list[_Written]:
    """Who writes each written file: the step that produces it, else the step whose region
    holds the line saying so, else the coordinator (a new step, inserted if it is read)."""
    found: list[_Written] = []
    for ref in written:
        if "/" not in ref.text and not _FILE_EXTENSION.search(ref.text):
            continue
        produced = next(
            (
                (p.step, item.span)
                for p in placed
                for item in p.step.produces
                if item.name == ref.text
            ),
            None,
        )
        if produced is not None:
            found.append(_Written(ref.text, produced[1].line, produced[0], produced[1]))
            continue
        # a step running beside others keeps what follows it as notes, but "Collect the
        # results. Write `x`" after the batch is the coordinator's work, not the last agent's
        writer = next(
            (p.step for p in placed if _inside(ref.span, p.step.span) and _owns(p, ref.span)),
            None,
        )
        found.append(
            _Written(ref.text, ref.span.line, writer or _coordinator_step(ref, elements), ref.span)
        )
    return found


def _owns(placed: _Placed, span: Span) -> bool:
    """Whether a line in a step's region is the step's own: always for a step in sequence;
    for one of several run together, only under its own heading or inside its brief."""
    step = placed.step
    if not placed.groups or step.from_heading:
        return True
    brief = step.prompt_span
    return brief is not None and _inside(span, brief)


def _coordinator_step(ref: Ref, elements: list[Element]) -> StepDraft:
    element = next((e for e in elements if e.span.line <= ref.span.line <= e.span.end_line), None)
    text = element.text if element is not None else ref.text
    return StepDraft(
        title=_first_sentence(text),
        span=element.span if element is not None else ref.span,
        coordinator=True,
    )


def _insert(step: StepDraft, placed: list[_Placed], path: str) -> bool:
    """The coordinator's step, in the innermost container around it, in document order."""
    container = _container_at(placed, step.span)
    reader = next((p for p in placed if any(ref.text == path for ref in p.step.consumes)), None)
    if container is None and reader is not None and reader.step in reader.container.blocks:
        # written in an overview before any step ("1. Create design.md using template"):
        # the coordinator does it just before the first step that reads it
        blocks = reader.container.blocks
        index = blocks.index(reader.step)
        batch = reader.step.batch
        while batch is not None and index and getattr(blocks[index - 1], "batch", None) == batch:
            index -= 1  # before the whole batch the reader is launched with, not inside it
        blocks.insert(index, step)
        return True
    if container is None:
        return False
    index = next(
        (i for i, block in enumerate(container.blocks) if _first_line(block) > step.span.line),
        len(container.blocks),
    )
    container.blocks.insert(index, step)
    return True


def _container_at(placed: list[_Placed], span: Span) -> ContainerDraft | None:
    """The innermost container holding steps on both sides of `span`, or around it."""
    around = [p.container for p in placed if _inside(span, p.container.span)]
    if around:
        return min(around, key=lambda c: c.span.end_line - c.span.line)
    before = [p for p in placed if p.step.span.line < span.line]
    return before[-1].container if before else None


def _first_line(block: BlockDraft) -> int:
    if isinstance(block, LoopBlockDraft):
        return _first_line(block.body[0]) if block.body else block.closer.span.line
    return block.span.line


def _inside(span: Span, around: Span) -> bool:
    return around.line <= span.line and span.end_line <= around.end_line


def _side_by_side(one: tuple[tuple[int, int], ...], other: tuple[tuple[int, int], ...]) -> bool:
    """Whether two steps sit in different branches of one parallel group."""
    branches = dict(one)
    return any(group in branches and branches[group] != branch for group, branch in other)


class _Lines(NamedTuple):
    """The document's body lines in order, with their numbers for bisection."""

    lines: list[TextLine]
    numbers: list[int]

    @classmethod
    def of(cls, elements: list[Element]) -> _Lines:
        lines = [line for e in elements if e.kind != "heading" for line in e.lines]
        return cls(lines, [line.line for line in lines])


def _lines_of(step: StepDraft, lines: _Lines) -> list[TextLine]:
    """The lines of a step's region."""
    span = step.span
    start = bisect_left(lines.numbers, span.line)
    return lines.lines[start : bisect_right(lines.numbers, span.end_line)]


def _mentions(
    line: TextLine, writes: list[_Written], basenames: dict[str, list[_Written]]
) -> list[tuple[_Written, int, int]]:
    """Written files a line names: by the path written, or by its file name alone when
    only one written file has that name ("{SPEC_FOLDER}/NOTES.md" read as "NOTES.md"); where
    two written paths match at one place ("NOTES.md" inside "{DIR}/NOTES.md"), the longer."""
    text = line.text
    if "." not in text or not any(name in text for name in basenames):
        return []  # every match holds the file name of a written file
    found: list[tuple[_Written, int, int]] = []
    for write in writes:
        for start in _bounded(text, write.path):
            found.append((write, start, start + len(write.path)))
    for name, written in basenames.items():
        # "creates INITIAL.md" elsewhere names the same file as `…/planning/INITIAL.md`
        same = [write for write in written if write.path != name] or written
        if len(same) != 1 or len(name) < 6 or same[0].path == name:
            continue
        for start in _bounded(text, name):
            if start > 0 and text[start - 1] == "/" and not _same_file(text, start, same[0].path):
                continue  # part of another path to a file of the same name
            found.append((same[0], start, start + len(name)))
    return [
        (write, start, end)
        for write, start, end in found
        if not any(s <= start and end <= e and (e - s) > (end - start) for _, s, e in found)
    ]


#: A fill-in part of a path: `[folder]`, `{SPEC_FOLDER}`, `<name>`.
_PLACEHOLDER = LazyPattern(r"\[[^\]/]*\]|\{[^}/]*\}|<[^>/]*>")


def _same_file(text: str, start: int, path: str) -> bool:
    """Whether the path ending at `start`'s file name is `path` with other fill-ins
    (`agents/[folder]/planning/x.md` for `agents/[EXACT_FOLDER_NAME]/planning/x.md`): only
    paths with fill-ins, where a document cannot spell the same file the same way twice."""
    begin = start
    while begin > 0 and not text[begin - 1].isspace() and text[begin - 1] not in "`'\"(":
        begin -= 1
    written = _PLACEHOLDER.sub("*", text[begin : start + len(PurePosixPath(path).name)])
    full = _PLACEHOLDER.sub("*", path)
    # the same path with other fill-ins, or its tail read from inside the folder it names
    # ("planning/INITIAL.md" for `agents/[NAME]/planning/INITIAL.md`)
    return "*" in full + written and (written == full or full.endswith("/" + written))


def _bounded(text: str, needle: str) -> Iterator[int]:
    """Where `needle` stands on its own in `text`, left to right, occurrences not
    overlapping (str.find, not a pattern escaped and looked up for every line and path).
    Needles are written paths and their file names, never empty: each ends in `.ext`."""
    assert needle
    start = text.find(needle)
    while start >= 0:
        end = start + len(needle)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before in "_-.") and not (after.isalnum() or after in "_-/"):
            yield start
        start = text.find(needle, end)


def _first_sentence(text: str) -> str:
    text = " ".join(text.replace("**", "").replace("`", "").split())
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return sentence[:100].rstrip(":")
