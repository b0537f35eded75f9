"""Numbering rule: phase and step numbers, branch and path labels (WF106)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from compiler.checks.facts import DocumentFacts
from compiler.checks.rules.structure import first_line
from compiler.checks.ruleset import static_rule
from compiler.diagnostics import Diagnostic, Related
from compiler.model import (
    Block,
    Branch,
    DecisionBlock,
    LoopBlock,
    ParallelBlock,
    Phase,
    Provenance,
    Span,
    Step,
    iter_blocks,
)
from compiler.regex import LazyPattern
from compiler.rules import make_diagnostic


@static_rule("WF106", "numbering", "warning", "structure")
def numbering(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports phase numbers that repeat or skip (Phase 1, Phase 3), step numbers that repeat
    or skip within a phase, and branch or path labels that repeat inside one parallel block
    or decision. Where numbering starts is not checked (it may restart in each phase, run
    on across phases, follow the phase number as in 2A/2B, or continue another document's
    numbering). A range ("Stage 1-2"), sub-stages ("Stage 5.4", "5.5a") and a heading
    between that numbers the missing ones another way ("Phases 5 and 6", "Etapas 2 e 3")
    say that their numbers are used. Outside explicit phases only repeats are reported:
    unnumbered gaps there are usually steps the coordinator does itself. Variants numbered
    alike on purpose ("Stage 1: Execution (Team Mode)" / "(Subagent Mode)") are not
    repeats, nor is a
    heading about a phase or a step ("### Phase 2 Sub-Agents" after "### Phase 2:
    Dispatchers", "### Step 15 Completion Gate" before "### Step 15: Summary"), nor
    a phase that holds no step (a section of the page numbered by another scheme, such as
    two "Phase 1 - …" appendices after the workflow): such a phase only counts as used.

    Why it matters:
    Numbers are how people and prompts refer to work ("from step 2", "Phase 3 results"); a
    gap usually means a deleted or misplaced section, a repeat makes those references
    ambiguous.

    Example:
    Phase 2 is missing:

    ```markdown
    ## Phase 1: Plan
    - Use Task tool with subagent_type="planner"
    - Prompt: "Plan $ARGUMENTS."
    - Output: Project plan

    ## Phase 3: Build
    - Use Task tool with subagent_type="python-pro"
    - Prompt: "Build from the [project plan]."
    - Output: Build
    ```

    Number phases consecutively:

    ```markdown
    ## Phase 1: Plan
    - Use Task tool with subagent_type="planner"
    - Prompt: "Plan $ARGUMENTS."
    - Output: Project plan

    ## Phase 2: Build
    - Use Task tool with subagent_type="python-pro"
    - Prompt: "Build from the [project plan]."
    - Output: Build
    ```
    """
    for wf in facts.workflows:
        phases = [p for p in wf.workflow.phases if not p.implicit]
        entries = list(_phase_entries(facts, phases))
        yield from _sequence(facts.file, "phase", entries, gaps=True, lines=facts.lines)
        for phase in wf.workflow.phases:
            numbered = [
                _Numbered(
                    s.label or "",
                    first_line(s.span),
                    "" if not (nested or _about_a_number(facts.lines, s.span)) else None,
                    _stated(s.provenance, s.label_provenance),
                )
                for s, nested in _numbered_steps(phase.blocks, False)
                if s.label
                and (not phase.implicit or s.agent is not None)
                and not _RANGE_RESIDUE.match(s.title)
            ]
            # Outside explicit phases the parser keeps only agent steps, so a gap there is
            # usually a coordinator step (not an error); inside a phase every numbered
            # heading is a step and a gap is real.
            yield from _sequence(
                facts.file, "step", numbered, gaps=not phase.implicit, lines=facts.lines
            )
            for block in iter_blocks(phase.blocks):
                yield from _repeated_labels(facts.file, block)


def _phase_entries(facts: DocumentFacts, phases: list[Phase]) -> Iterator[_Numbered]:
    for p in phases:
        yield _Numbered(
            p.label or str(p.number or ""),
            first_line(p.span),
            None if not p.blocks or _about_a_number(facts.lines, p.span) else _variant(p.title),
            p.provenance,
        )
        over = _RANGE_RESIDUE.match(p.title)
        if over is not None:
            # "Stage 1-2: Spec & Doc Writer" reaches us as stage 1 titled "2: Spec …": it
            # is stage 2 as well, which only counts as used
            yield _Numbered(over.group("n"), first_line(p.span), None, p.provenance)


#: "### Phase 2 Sub-Agents", "### Step 15 Completion Gate — …": a heading about phase 2 or
#: step 15 (the number runs into the words, no separator), not a second one of that number.
_ABOUT_A_NUMBER = LazyPattern(
    r"^\s*(?:#{1,6}\s+|\*\*)\W*(?:phase|step)\s+\d+[a-z]?\s+[^\W\d_]", re.IGNORECASE
)


def _about_a_number(lines: tuple[str, ...] | None, span: Span) -> bool:
    """Is the heading at `span` about a numbered phase or step rather than one itself?"""
    if lines is None or not 0 < span.line <= len(lines):
        return False
    return _ABOUT_A_NUMBER.match(lines[span.line - 1]) is not None


class _Numbered(NamedTuple):
    """One entry of a numbering sequence. `variant` tells variants apart ("" for none);
    None marks a nested entry that only counts as used. `provenance` is explicit when both
    the element and its number are written in forms made for them (a heading)."""

    label: str
    span: Span
    variant: str | None
    provenance: Provenance


def _stated(*provenances: Provenance) -> Provenance:
    return "inferred" if "inferred" in provenances else "explicit"


#: "Step 2-5: Per-Unit Processing" reaches us as step 2 titled "5: Per-Unit Processing":
#: a heading over a range of steps, not a step of its own.
_RANGE_RESIDUE = LazyPattern(r"^(?P<n>\d+)[a-z]?\s*[:.]")


def _variant(title: str) -> str:
    """ "Execution (Team Mode)" and "Execution (Subagent Mode)" are variants of one stage
    numbered alike on purpose; the parenthetical tells them apart."""
    found = re.search(r"\(([^)]*)\)\s*$", title)
    return found.group(1).strip().lower() if found else ""


def _numbered_steps(blocks: tuple[Block, ...], nested: bool) -> Iterator[tuple[Step, bool]]:
    """Steps of one numbering sequence in document order. Steps on decision paths are
    `nested`: paths may number their steps on their own, so their numbers only count as
    used, they are never reported."""
    for block in blocks:
        if isinstance(block, Step):
            yield block, nested
        elif isinstance(block, ParallelBlock):
            for branch in block.branches:
                yield from _numbered_steps(branch.blocks, nested)
        elif isinstance(block, LoopBlock):
            yield from _numbered_steps(block.body, nested)
        elif isinstance(block, DecisionBlock):
            for path in block.paths:
                yield from _numbered_steps(path.blocks, True)


_NUMBER = LazyPattern(r"^(?P<n>\d+)(?P<suffix>[a-z]?)$", re.IGNORECASE)
_SUB_NUMBER = LazyPattern(r"^(?P<n>\d+)\.\d+[a-z]?$", re.IGNORECASE)


def _sequence(
    file: str,
    what: str,
    labelled: list[_Numbered],
    gaps: bool,
    lines: tuple[str, ...] | None = None,
) -> Iterator[Diagnostic]:
    """Repeats (and, with `gaps`, skips) in a run of labels. The third element tells
    variants apart ("" for none); None marks a nested entry that only counts as used.
    Where numbering starts is not checked: documents continue another's numbering, use
    the phase number (2A, 2B in phase 2), or start at 0."""
    seen: dict[tuple[str, str], Span] = {}
    previous: int | None = None
    previous_line = 0
    for entry in labelled:
        label, span, variant = entry.label, entry.span, entry.variant
        match = _NUMBER.match(label.strip())
        if not match:
            sub = _SUB_NUMBER.match(label.strip())
            if sub is not None:
                # "Stage 5.4", "5.5a": sub-stages of a stage 5 the document numbers no other
                # way; they only say that 5 is used
                head = int(sub.group("n"))
                previous = max(head, previous if previous is not None else head)
            continue  # "A", names: not part of an integer sequence
        number = int(match.group("n"))
        if variant is None:
            previous = max(number, previous if previous is not None else number)
            continue
        key = (label.strip().lower(), variant)
        if key in seen:
            yield make_diagnostic(
                "WF106",
                file,
                span,
                f"{what} {label} repeats (also line {seen[key].line}): renumber so that "
                f"references such as '{what} {label}' are unambiguous",
                related=(Related(file=file, line=seen[key].line, message=f"{what} {label}"),),
                about=(entry,),
            )
        elif (
            gaps
            and previous is not None
            and number > previous + 1
            and not _numbered_elsewhere(lines, previous_line, span.line, previous + 1, number - 1)
        ):
            gap = f"{previous + 1}" if number == previous + 2 else f"{previous + 1}–{number - 1}"
            missing = "is" if number == previous + 2 else "are"
            yield make_diagnostic(
                "WF106",
                file,
                span,
                f"{what} {number} follows {what} {previous}: {what} {gap} {missing} missing "
                "(renumber, or restore the missing section)",
                about=(entry,),
            )
        seen[key] = span
        previous = max(number, previous if previous is not None else number)
        previous_line = span.line


def _numbered_elsewhere(
    lines: tuple[str, ...] | None, after: int, before: int, first: int, last: int
) -> bool:
    """Does a heading between lines `after` and `before` (1-based, exclusive) number the
    missing `first`..`last` in a form not read as one of them ("### Etapas 2 e 3 — PM",
    "## Phases 2 and 3: Build")? Then nothing is missing."""
    if lines is None:
        return False
    wanted = {str(n) for n in range(first, last + 1)}
    for text in lines[after : max(after, before - 1)]:
        if text.lstrip().startswith("#") and wanted <= set(_INTEGER.findall(text)):
            return True
    return False


_INTEGER = LazyPattern(r"(?<![\d.])\d+(?![\d.])")


def _repeated_labels(file: str, block: Block) -> Iterator[Diagnostic]:
    members: list[tuple[str, str, Span, Provenance]] = []
    if isinstance(block, ParallelBlock):
        members = [
            ("branch", b.label, b.span, _label_provenance(b))
            for b in block.branches
            if not _numbered_by_position(b)
        ]
    elif isinstance(block, DecisionBlock):
        members = [("path", p.label, p.span, p.provenance) for p in block.paths if not p.is_default]
    seen: dict[str, int] = {}
    for kind, label, span, provenance in members:
        key = label.strip().lower()
        if not key:
            continue
        if key in seen:
            yield make_diagnostic(
                "WF106",
                file,
                first_line(span),
                f"{kind} label {label} repeats (also line {seen[key]}): give each {kind} of "
                f"{block.id} its own label",
                related=(Related(file=file, line=seen[key], message=f"{kind} {label}"),),
                about=(block, _Numbered(label, span, "", provenance)),
            )
        else:
            seen[key] = span.line


def _numbered_by_position(branch: Branch) -> bool:
    """A branch of an automatic group whose step has no label is numbered by its place
    (`Task 2: subagent_type=curator` after `## 2. Spawn Parallel Tasks`): the document
    gave it no label to repeat."""
    only = branch.blocks[0] if len(branch.blocks) == 1 else None
    # made around its step (a `### Branch A:` heading starts before the step it holds)
    return isinstance(only, Step) and only.label is None and only.span == branch.span


def _label_provenance(branch: Branch) -> Provenance:
    """A branch of an automatic group takes its step's label, and how that was written."""
    only = branch.blocks[0] if len(branch.blocks) == 1 else None
    if isinstance(only, Step) and only.label == branch.label:
        return only.label_provenance
    return "explicit"
