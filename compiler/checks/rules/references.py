"""Context-flow rules: does every reference name something that exists by the time the
step runs (WF201–WF205; the parallel race WF301 lives with the parallel rules)."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.facts import DocumentFacts, WorkflowFacts
from compiler.checks.names import quote
from compiler.checks.pointers import is_pointer
from compiler.checks.resolve import PROSE_KINDS, Resolved
from compiler.checks.ruleset import static_rule
from compiler.diagnostics import Diagnostic, Edit, Fix, Related, Severity
from compiler.model import Reference
from compiler.rules import Stated, make_diagnostic


def shown(reference: Reference) -> str:
    """The reference as a message names it."""
    if reference.kind == "file":
        return f"`{reference.text}`"
    return quote(reference.text)


def producer_lines(
    facts: DocumentFacts, wf: WorkflowFacts, entry: Resolved, producers: tuple[str, ...]
) -> tuple[Related, ...]:
    """ "produced here" locations: the matched item of each producer (or its step)."""
    related: list[Related] = []
    for producer in producers:
        items = [p for p in entry.match.items if p.step_id == producer]
        line = items[0].item.span.line if items else wf.step_line(producer)
        related.append(Related(file=facts.file, line=line, message=f"produced here ({producer})"))
    return tuple(related)


def where(
    facts: DocumentFacts, wf: WorkflowFacts, entry: Resolved, producers: tuple[str, ...]
) -> str:
    lines = producer_lines(facts, wf, entry, producers)
    return ", ".join(f"{p} (line {r.line})" for p, r in zip(producers, lines, strict=True))


def capped(entry: Resolved, severity: Severity) -> Severity | None:
    """Prose references never carry error severity (they are read leniently), unless they
    name the item exactly."""
    resolution = entry.resolution
    if (
        resolution.reference.kind in PROSE_KINDS
        and severity == "error"
        and resolution.confidence != "exact"
    ):
        return "warning"
    return None


def _reportable(wf: WorkflowFacts, entry: Resolved) -> bool:
    """Is this unresolved reference worth a warning? A match on another decision path, a
    template and a near miss always are. Prose items (`Context: existing architecture`)
    often describe what comes from outside the workflow, as do `Input:` items where most of
    a document's do not name earlier output, and in documents that use brackets as
    placeholders (`[plan-name]`) a bracket is not a reference: those are reported only
    when they name something closely."""
    resolution = entry.resolution
    kind = resolution.reference.kind
    if resolution.producers or kind == "template":
        return True
    if (resolution.hint or "").startswith("did you mean"):
        return True
    if kind == "bracket":
        return _produced_before(wf, resolution.consumer) and _brackets_are_references(wf)
    if kind == "input":
        return _inputs_are_references(wf)
    return kind not in PROSE_KINDS


def _produced_before(wf: WorkflowFacts, consumer: str) -> bool:
    """Does any step before `consumer` produce something? A bracket in a step that nothing
    runs before can only be filled from outside the workflow (`Task: Analyze requirements
    for [feature]` in the first phase's template: the feature the user asked for)."""
    order = wf.index.steps[consumer].order
    return any(item.order < order for item in wf.index.produced)


def _brackets_are_references(wf: WorkflowFacts) -> bool:
    """Brackets name earlier output in the docs-site dialect, and in any document where
    most of them resolve by name; elsewhere they are placeholders (`[plan-name]`,
    `[path from Step 1]`)."""
    if wf.workflow.dialect == "docs-site":
        return True
    # Each bracket written once: a prompt template repeated for four researchers says
    # `[domain]` eleven times, and one name resolving eleven times is no convention. A name
    # that only matches what a later step makes ("[PROJECT.md summary]" and a SUMMARY.md
    # written afterwards) names no earlier output either.
    brackets = {
        e.resolution.reference.text.lower(): e.resolution
        for e in wf.resolved
        if e.resolution.reference.kind == "bracket" and not is_pointer(e.resolution.reference.text)
    }
    resolved = sum(
        1 for r in brackets.values() if r.status not in ("unresolved", "external", "later")
    )
    return len(brackets) >= 2 and resolved * 2 >= len(brackets)


def _inputs_are_references(wf: WorkflowFacts) -> bool:
    """`Input:` items written in prose name earlier output where most of them resolve by
    name; where none or few do, they describe what comes from outside ("task description",
    "language guide path") and an unmatched one is no finding."""
    inputs = [e.resolution for e in wf.resolved if e.resolution.reference.kind == "input"]
    resolved = sum(1 for r in inputs if r.status not in ("unresolved", "external"))
    return len(inputs) >= 2 and resolved * 2 >= len(inputs)


def about(wf: WorkflowFacts, entry: Resolved) -> tuple[Stated, ...]:
    """What a finding on `entry` relies on: the consuming step and the reference, the
    producers, and the structure behind the verdict (the parallel block of a race, the
    decision path or optional step of a "maybe")."""
    resolution = entry.resolution
    index = wf.index
    found: list[Stated] = [index.steps[resolution.consumer].step, resolution.reference]
    found.extend(index.steps[p].step for p in resolution.producers if p in index.steps)
    for producer in resolution.producers:
        block = index.sibling_branch(resolution.consumer, producer)
        if block is not None:
            found.append(index.containers[block])
    witness = resolution.witness
    if witness in index.containers:
        found.append(index.containers[witness])
    elif witness in index.steps:
        found.append(index.steps[witness].step)
    return tuple(found)


def entries(facts: DocumentFacts, status: str) -> Iterator[tuple[WorkflowFacts, Resolved]]:
    for wf in facts.workflows:
        for entry in wf.resolved:
            if entry.resolution.status == status:
                yield wf, entry


@static_rule("WF201", "unresolved-reference", "warning", "reference")
def unresolved_reference(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a reference that names nothing the workflow produces: a bracketed prompt
    reference (`[incident brief]`), an `Input:`/`Context:` item, a `{phase1.output}`
    template, a `$VARIABLE` that is a near miss of a defined one, or a file that is a near
    miss of a saved one. Names are compared leniently (case, punctuation, plurals and words
    such as "all", "complete", "results" do not matter; titles and "from step 2" count),
    and when something is close the message says "did you mean …". An item produced only
    on another path of the same decision is also reported: it never exists on this one.
    Files that no step writes and undefined variables are taken to come from outside the
    workflow and are not reported, nor is a bracket in a step that no producing step comes
    before (`Analyze requirements for [feature]` in the first phase: the user's request).
    A file in the workflow's own working folder (one its steps save into) that no step
    writes is reported, unless the coordinator loads it before the first step
    (`@.planning/PROJECT.md` under "Load project context": it exists before the run).

    Why it matters:
    The agent receives a placeholder instead of the context it needs, and works from
    guesses; in an incident that is where wrong conclusions come from.

    Example:
    Nothing produces "customer impact":

    ```markdown
    ## Phase 1: Triage
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Triage $ARGUMENTS."
    - Output: Incident brief

    ## Phase 2: Communicate
    - Use Task tool with subagent_type="communications-lead"
    - Prompt: "Draft the status update from [incident brief, customer impact]."
    - Output: Status update
    ```

    Produce it first (or reference what exists):

    ```markdown
    ## Phase 1: Triage
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Triage $ARGUMENTS."
    - Output: Incident brief, customer impact

    ## Phase 2: Communicate
    - Use Task tool with subagent_type="communications-lead"
    - Prompt: "Draft the status update from [incident brief, customer impact]."
    - Output: Status update
    ```
    """
    for wf, entry in entries(facts, "unresolved"):
        resolution = entry.resolution
        reference = resolution.reference
        if not _reportable(wf, entry):
            continue
        if resolution.producers:
            message = f"{shown(reference)} is never available here: {resolution.hint}"
            related = producer_lines(facts, wf, entry, resolution.producers)
        else:
            noun = "defined" if reference.kind == "variable" else "produced by any step"
            message = f"{shown(reference)} is not {noun}; " + (
                resolution.hint or "name an item from an earlier step's Output, or produce it first"
            )
            related = ()
        yield make_diagnostic(
            "WF201",
            facts.file,
            reference.span,
            message,
            reference=reference.text,
            related=related,
            about=about(wf, entry),
            fix=_did_you_mean(facts, reference, entry.match.suggestion),
        )


def _did_you_mean(facts: DocumentFacts, reference: Reference, suggestion: str | None) -> Fix | None:
    """Write the near miss the message proposes in place of the reference, where the
    reference is written as it is named (not reworded across lines). Unsafe: the author
    confirms that the proposal is what they meant."""
    span = reference.span
    if suggestion is None or facts.lines is None or span.line != span.end_line:
        return None
    if span.line > len(facts.lines):
        return None
    written = facts.lines[span.line - 1][span.column - 1 : span.end_column - 1]
    if written != reference.text:
        return None
    return Fix(message=f"write '{suggestion}'", edits=(Edit.replace(span, suggestion),), safe=False)


@static_rule("WF202", "used-before-produced", "error", "reference", on_inferred="info")
def used_before_produced(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a reference whose only producers run after the consuming step. (Inside a
    loop, an item produced later in the same loop body is reported by WF203 instead: it
    exists from the second pass on.) A prose `Context:` item is reported only when it names
    its producer by position ("from step 7"), and then as a warning: one that merely
    resembles a later output (`Context: monitoring dashboards`) usually describes
    something that exists outside the workflow.

    Why it matters:
    When the step runs, the item does not exist yet: the agent either invents it or the
    coordinator silently passes nothing.

    Example:
    The plan is used one phase before it is written:

    ```markdown
    ## Phase 1: Build
    - Use Task tool with subagent_type="python-pro"
    - Prompt: "Implement the [migration plan]."
    - Output: Implementation

    ## Phase 2: Plan
    - Use Task tool with subagent_type="database-architect"
    - Prompt: "Plan the schema migration for $ARGUMENTS."
    - Output: Migration plan
    ```

    Plan first, then build:

    ```markdown
    ## Phase 1: Plan
    - Use Task tool with subagent_type="database-architect"
    - Prompt: "Plan the schema migration for $ARGUMENTS."
    - Output: Migration plan

    ## Phase 2: Build
    - Use Task tool with subagent_type="python-pro"
    - Prompt: "Implement the [migration plan]."
    - Output: Implementation
    ```
    """
    for wf, entry in entries(facts, "later"):
        resolution = entry.resolution
        producers = resolution.producers
        yield make_diagnostic(
            "WF202",
            facts.file,
            resolution.reference.span,
            f"{shown(resolution.reference)} is used before it is produced: only "
            f"{where(facts, wf, entry, producers)} produces it, after this step; move this "
            "step after it or use an earlier output",
            reference=resolution.reference.text,
            related=producer_lines(facts, wf, entry, producers),
            severity=capped(entry, "error"),
            about=about(wf, entry),
        )


@static_rule("WF203", "maybe-unavailable-reference", "warning", "reference")
def maybe_unavailable_reference(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a reference that is available on some runs only, and names a witness run on
    which it is missing: a decision path on which no producer runs; an optional step
    ("(if applicable)", "(if the feature adds a hot path)") that may be skipped — optional
    steps count as not run, since the playbook allows skipping them; or a loop body in
    which the item is produced after the consumer, so the first pass misses it.

    Why it matters:
    The workflow works on the path its author had in mind and breaks on the others, which
    are exactly the runs nobody rehearsed.

    Example:
    "Rollback plan" exists only when path A was taken:

    ```markdown
    ## Phase 1: Decide
    ### Decision Point: Is the deploy at fault?
    #### Path A: Roll back (Condition: deploy in the last hour)
    - Use Task tool with subagent_type="deployment-engineer"
    - Prompt: "Prepare a rollback of $ARGUMENTS."
    - Output: Rollback plan

    #### Else: Investigate
    - Use Task tool with subagent_type="debugger"
    - Prompt: "Investigate $ARGUMENTS."
    - Output: Investigation notes

    ## Phase 2: Execute
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Execute the [rollback plan]."
    - Output: Execution log
    ```

    Refer to what every path produces (or give each path the output):

    ```markdown
    ## Phase 1: Decide
    ### Decision Point: Is the deploy at fault?
    #### Path A: Roll back (Condition: deploy in the last hour)
    - Use Task tool with subagent_type="deployment-engineer"
    - Prompt: "Prepare a rollback of $ARGUMENTS."
    - Output: Rollback plan

    #### Else: Investigate
    - Use Task tool with subagent_type="debugger"
    - Prompt: "Investigate $ARGUMENTS."
    - Output: Investigation notes

    ## Phase 2: Execute
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Act on the [selected path results]."
    - Output: Execution log
    ```
    """
    for wf, entry in entries(facts, "maybe"):
        resolution = entry.resolution
        witness = resolution.witness or "another run"
        producers = resolution.producers
        text = shown(resolution.reference)
        container = wf.index.containers.get(witness)
        if container is not None and container.kind == "loop":
            message = (
                f"{text} is produced later in the loop {witness} "
                f"({where(facts, wf, entry, producers)}): on the first pass it does not exist "
                "yet; produce it before the loop or say what the first pass uses"
            )
        elif (container is None or container.kind != "path") and witness in wf.index.steps:
            step = wf.index.steps[witness].step
            why = f"if {step.condition}" if step.condition else "optional"
            message = (
                f"{text} comes from {witness}, which is conditional ({why}) and may be "
                "skipped: say what to use when it did not run, or make the step unconditional"
            )
        else:
            message = (
                f"{text} is only produced on some decision paths "
                f"({where(facts, wf, entry, producers)}); when {witness} is taken it is "
                "missing: produce it on every path, or reference the selected path's results"
            )
        yield make_diagnostic(
            "WF203",
            facts.file,
            resolution.reference.span,
            message,
            reference=resolution.reference.text,
            related=producer_lines(facts, wf, entry, producers),
            about=about(wf, entry),
        )


@static_rule("WF204", "ambiguous-reference", "info", "reference")
def ambiguous_reference(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a bracketed reference that matches several different items of unrelated steps
    equally well (`[analysis report]` when one step outputs "Log analysis report" and
    another "Database analysis report"). Alternatives of one decision are not unrelated:
    each path may produce its own version of an item. Prose `Context:` items often name
    several things at once and are not reported.

    Why it matters:
    The coordinator picks one, or passes both; either way the agent may not get what the
    author meant.

    Example:
    Which analysis?

    ```markdown
    ## Phase 1: Investigate
    - Use Task tool with subagent_type="log-analyst"
    - Prompt: "Read the logs for $ARGUMENTS."
    - Output: Log analysis report

    ## Phase 2: Database
    - Use Task tool with subagent_type="database-admin"
    - Prompt: "Check the database for $ARGUMENTS."
    - Output: Database analysis report

    ## Phase 3: Fix
    - Use Task tool with subagent_type="debugger"
    - Prompt: "Fix the fault described in the [analysis report]."
    - Output: Fix
    ```

    Name the item:

    ```markdown
    ## Phase 1: Investigate
    - Use Task tool with subagent_type="log-analyst"
    - Prompt: "Read the logs for $ARGUMENTS."
    - Output: Log analysis report

    ## Phase 2: Database
    - Use Task tool with subagent_type="database-admin"
    - Prompt: "Check the database for $ARGUMENTS."
    - Output: Database analysis report

    ## Phase 3: Fix
    - Use Task tool with subagent_type="debugger"
    - Prompt: "Fix the fault described in the [database analysis report]."
    - Output: Fix
    ```
    """
    for wf, entry in entries(facts, "ambiguous"):
        resolution = entry.resolution
        yield make_diagnostic(
            "WF204",
            facts.file,
            resolution.reference.span,
            f"{shown(resolution.reference)} {resolution.hint}",
            reference=resolution.reference.text,
            related=producer_lines(facts, wf, entry, resolution.producers),
            about=about(wf, entry),
        )
