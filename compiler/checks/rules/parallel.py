"""Parallel-safety rules: branches of one parallel block run at the same time, so they can
neither read nor write each other's work (WF301–WF303)."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.facts import DocumentFacts
from compiler.checks.names import normalise, quote
from compiler.checks.rules.references import (
    about,
    capped,
    entries,
    producer_lines,
    shown,
    where,
)
from compiler.checks.ruleset import static_rule
from compiler.diagnostics import Diagnostic, Related
from compiler.model import Block, Item, ParallelBlock, Span, Step, iter_blocks
from compiler.rules import make_diagnostic


@static_rule("WF301", "parallel-read-race", "error", "parallel", on_inferred="info")
def parallel_read_race(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a reference whose only producers are sibling branches of the parallel block
    the consuming step runs in: a bracketed prompt reference, an `Input:` item, or a
    `Context:` item that names a sibling's output exactly. A `Context:` item that merely
    resembles a sibling's output is reported only when it names the sibling step itself
    ("from step 4a"), and then as a warning: such prose usually describes something from
    outside the workflow. On a parallel block drillbook inferred from prose ("run these in
    parallel") the race is reported as an info.

    Why it matters:
    Branches of one parallel block run concurrently: when the consumer starts, its sibling
    has not finished, so the item is missing or half-written — a race that passes in a calm
    rehearsal and fails under load.

    Example:
    Branch B reads what branch A is still writing:

    ```markdown
    ## Phase 1: Triage
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Triage $ARGUMENTS."
    - Output: Incident brief

    ## Phase 2: Investigate
    ### Branch A: Metrics
    - Use Task tool with subagent_type="monitoring-specialist"
    - Prompt: "Analyse the metrics for the [incident brief]."
    - Output: Monitoring analysis

    ### Branch B: Customers
    - Use Task tool with subagent_type="customer-impact-analyst"
    - Prompt: "Assess customer impact from the [monitoring analysis]."
    - Output: Customer impact

    ## Phase 3: Resolve
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Resolve using [monitoring analysis, customer impact]."
    - Output: Resolution
    ```

    Read the previous phase's output, or move the consumer after the join:

    ```markdown
    ## Phase 1: Triage
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Triage $ARGUMENTS."
    - Output: Incident brief

    ## Phase 2: Investigate
    ### Branch A: Metrics
    - Use Task tool with subagent_type="monitoring-specialist"
    - Prompt: "Analyse the metrics for the [incident brief]."
    - Output: Monitoring analysis

    ### Branch B: Customers
    - Use Task tool with subagent_type="customer-impact-analyst"
    - Prompt: "Assess customer impact from the [incident brief]."
    - Output: Customer impact

    ## Phase 3: Resolve
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Resolve using [monitoring analysis, customer impact]."
    - Output: Resolution
    ```
    """
    for wf, entry in entries(facts, "parallel-race"):
        resolution = entry.resolution
        producers = resolution.producers
        kind = "sibling" if len(producers) == 1 else "siblings"
        yield make_diagnostic(
            "WF301",
            facts.file,
            resolution.reference.span,
            f"{shown(resolution.reference)} is produced by parallel {kind} "
            f"{where(facts, wf, entry, producers)}; branches of one parallel block run "
            "concurrently — move the consumer to a later phase or read the previous "
            "phase's output",
            reference=resolution.reference.text,
            related=producer_lines(facts, wf, entry, producers),
            severity=capped(entry, "error"),
            about=about(wf, entry),
        )


@static_rule("WF302", "parallel-write-conflict", "warning", "parallel")
def parallel_write_conflict(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports two sibling branches of one parallel block that produce the same item (as an
    `Output:`) or save the same file. `Context for …` lists are not writes: a branch may
    re-list what a sibling produced when it describes the context handed on.

    Why it matters:
    Whichever branch finishes last wins: the other's work is overwritten, and which one
    survives changes from run to run.

    Example:
    Both branches write `.review/findings.md`:

    ```markdown
    ## Phase 1: Review
    ### Branch A: Security
    - Use Task tool with subagent_type="security-auditor"
    - Prompt: "Audit $ARGUMENTS. Save output to `.review/findings.md`."

    ### Branch B: Performance
    - Use Task tool with subagent_type="performance-engineer"
    - Prompt: "Profile $ARGUMENTS. Save output to `.review/findings.md`."
    ```

    One file per branch:

    ```markdown
    ## Phase 1: Review
    ### Branch A: Security
    - Use Task tool with subagent_type="security-auditor"
    - Prompt: "Audit $ARGUMENTS. Save output to `.review/security.md`."

    ### Branch B: Performance
    - Use Task tool with subagent_type="performance-engineer"
    - Prompt: "Profile $ARGUMENTS. Save output to `.review/performance.md`."
    ```
    """
    for wf in facts.workflows:
        for phase in wf.workflow.phases:
            for block in iter_blocks(phase.blocks):
                if isinstance(block, ParallelBlock):
                    yield from _conflicts(facts.file, block)


def _conflicts(file: str, block: ParallelBlock) -> Iterator[Diagnostic]:
    first: dict[str, tuple[str, Item]] = {}
    for branch in block.branches:
        mine: dict[str, Item] = {}
        for step in _steps_in(branch.blocks):
            for item in step.produces:
                if item.kind not in ("output", "file"):
                    continue  # "Context for …" lists may re-list a sibling's item
                key = ("file:" if item.kind == "file" else "") + normalise(item.name)
                mine.setdefault(key, item)
        for key, item in mine.items():
            if key not in first:
                first[key] = (branch.id, item)
                continue
            other_branch, other = first[key]
            what = f"`{item.name}`" if item.kind == "file" else quote(item.name)
            verb = "saved" if item.kind == "file" else "produced"
            yield make_diagnostic(
                "WF302",
                file,
                item.span,
                f"{what} is also {verb} by sibling branch {other_branch} (line "
                f"{other.span.line}); concurrent branches overwrite each other — give each "
                "branch its own name or file, and combine them after the parallel block",
                reference=item.name,
                related=(Related(file=file, line=other.span.line, message=f"{verb} here"),),
                about=(block,),
            )


def _steps_in(blocks: tuple[Block, ...]) -> Iterator[Step]:
    for block in iter_blocks(blocks):
        if isinstance(block, Step):
            yield block


@static_rule("WF303", "single-branch-parallel", "info", "parallel")
def single_branch_parallel(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a parallel block with a single branch.

    Why it matters:
    Nothing runs concurrently, so the "parallel" heading promises a speed-up that does not
    exist; often a second branch was deleted or never written.

    Example:
    One lonely branch:

    ```markdown
    ## Phase 1: Parallel Checks
    ### Branch A: Security
    - Use Task tool with subagent_type="security-auditor"
    - Prompt: "Audit $ARGUMENTS."
    - Output: Security findings
    ```

    Either add the sibling that should run alongside, or make it a plain phase:

    ```markdown
    ## Phase 1: Security Check
    - Use Task tool with subagent_type="security-auditor"
    - Prompt: "Audit $ARGUMENTS."
    - Output: Security findings
    ```
    """
    for wf in facts.workflows:
        for phase in wf.workflow.phases:
            for block in iter_blocks(phase.blocks):
                if isinstance(block, ParallelBlock) and len(block.branches) == 1:
                    span = block.branches[0].span
                    yield make_diagnostic(
                        "WF303",
                        facts.file,
                        Span(
                            line=span.line,
                            column=span.column,
                            end_line=span.line,
                            end_column=span.column,
                        ),
                        f"parallel block {block.id} has a single branch, so nothing runs "
                        "concurrently: add the branches that run alongside it, or make it "
                        "a plain step",
                        about=(block,),
                    )
