"""Structure rules: is there a workflow, and does every phase, branch and path hold a step
that names its agent (WF101–WF103)."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.facts import DocumentFacts
from compiler.checks.rules.decisions import is_default
from compiler.checks.ruleset import static_rule
from compiler.diagnostics import Diagnostic
from compiler.model import (
    Block,
    Checkpoint,
    DecisionBlock,
    ParallelBlock,
    Span,
    Step,
    iter_blocks,
    iter_steps,
)
from compiler.parse.patterns import normalise_key
from compiler.rules import make_diagnostic


@static_rule("WF101", "no-workflow", "info", "structure")
def no_workflow(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a Markdown file in which no workflow was recognised: no phase with a step, no
    agent invocation (`subagent_type=…`, a `Task:` block, a `Task(…)` call).

    Why it matters:
    A playbook that drillbook cannot read is not checked at all, so every other rule is
    silently skipped for it. Usually the file is not a playbook (a README, a changelog) and
    should be excluded; sometimes the headings or agent lines use a form drillbook does not
    know yet.

    Example:
    Prose only, nothing to check:

    ```markdown
    # Release notes

    We shipped the new dashboard.
    ```

    A workflow drillbook recognises:

    ```markdown
    # Release

    ## Phase 1: Notes
    - Use Task tool with subagent_type="docs-architect"
    - Prompt: "Write the release notes for $ARGUMENTS."
    - Output: Release notes
    ```
    """
    if any(any(True for _ in iter_steps(w)) for w in facts.document.workflows):
        return
    span = Span(line=1, column=1, end_line=1, end_column=1)
    yield make_diagnostic(
        "WF101",
        facts.file,
        span,
        "no workflow found: no phase with a step and no agent invocation (subagent_type=…, "
        "Task:, Task(…)) was recognised; if this file is not a playbook, exclude it",
    )


@static_rule("WF102", "empty-phase", "warning", "structure")
def empty_phase(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a phase, a parallel branch or a decision path that contains no step. A phase
    whose body is prose for the coordinator (instructions, no agent) is not reported: the
    coordinator does that work itself. A default (Else) path with no step is not reported
    either: "otherwise, carry on" is a legitimate choice.

    Why it matters:
    An empty branch runs nothing in parallel; an empty path means that choosing it does
    nothing; an empty phase is usually a heading whose content was lost in an edit.

    Example:
    Branch B has a heading but no agent:

    ```markdown
    ## Phase 1: Investigate
    ### Branch A: Logs
    - Use Task tool with subagent_type="log-analyst"
    - Prompt: "Read the logs for $ARGUMENTS."
    - Output: Log findings

    ### Branch B: Metrics

    ## Phase 2: Report
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Summarise [log findings]."
    - Output: Summary
    ```

    Give the branch its step (or remove it):

    ```markdown
    ## Phase 1: Investigate
    ### Branch A: Logs
    - Use Task tool with subagent_type="log-analyst"
    - Prompt: "Read the logs for $ARGUMENTS."
    - Output: Log findings

    ### Branch B: Metrics
    - Use Task tool with subagent_type="monitoring-specialist"
    - Prompt: "Check the dashboards for $ARGUMENTS."
    - Output: Metric findings

    ## Phase 2: Report
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Summarise [log findings, metric findings]."
    - Output: Summary
    ```
    """
    for wf in facts.workflows:
        for phase in wf.workflow.phases:
            if not phase.implicit and not phase.blocks and not phase.notes:
                yield make_diagnostic(
                    "WF102",
                    facts.file,
                    first_line(phase.span),
                    f"phase '{phase.title}' ({phase.id}) has no step: add a step with an "
                    "agent and a prompt, or remove the heading",
                    about=(phase,),
                )
            for block in iter_blocks(phase.blocks):
                yield from _empty_members(facts.file, block)


def _empty_members(file: str, block: Block) -> Iterator[Diagnostic]:
    if isinstance(block, ParallelBlock):
        for branch in block.branches:
            if not _has_step(branch.blocks) and not branch.notes:
                yield make_diagnostic(
                    "WF102",
                    file,
                    first_line(branch.span),
                    f"branch '{branch.title}' ({branch.id}) has no step, so nothing runs in "
                    "it: give it an agent and a prompt, or remove it",
                    about=(block, branch),
                )
    elif isinstance(block, DecisionBlock):
        for path in block.paths:
            if not is_default(path) and not _has_step(path.blocks) and not path.notes:
                yield make_diagnostic(
                    "WF102",
                    file,
                    first_line(path.span),
                    f"path '{path.title}' ({path.id}) has no step, so choosing it does "
                    "nothing: give it a step, or say what happens in a default path",
                    about=(block, path),
                )


def _has_step(blocks: tuple[Block, ...]) -> bool:
    return any(isinstance(b, Step | Checkpoint) for b in iter_blocks(blocks))


def first_line(span: Span) -> Span:
    return Span(line=span.line, column=span.column, end_line=span.line, end_column=span.column)


@static_rule("WF103", "missing-agent", "warning", "structure")
def missing_agent(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a step that has a `Prompt:` field but names no agent (`subagent_type`). Steps
    without both are the coordinator's own work and are not reported, nor are prompt
    templates written under other labels (`**Instructions:**` in a quoted template).

    Why it matters:
    Without an agent the coordinator does not know whom to hand the prompt to; it either
    guesses or does the work itself, without the specialist's tools and instructions.

    Example:
    A prompt with nobody to run it:

    ```markdown
    ## Phase 1: Review
    ### 1. Code Review
    - Prompt: "Review the change for $ARGUMENTS."
    - Output: Review notes
    ```

    Name the agent:

    ```markdown
    ## Phase 1: Review
    ### 1. Code Review
    - Use Task tool with subagent_type="code-reviewer"
    - Prompt: "Review the change for $ARGUMENTS."
    - Output: Review notes
    ```
    """
    for wf in facts.workflows:
        for step in iter_steps(wf.workflow):
            if step.agent is None and step.prompt and _prompt_field(step):
                yield make_diagnostic(
                    "WF103",
                    facts.file,
                    step.prompt_span or first_line(step.span),
                    f"step '{step.title}' ({step.id}) has a prompt but no agent: add "
                    '`Use Task tool with subagent_type="…"` naming who runs it',
                    about=(step,),
                )


def _prompt_field(step: Step) -> bool:
    return any(normalise_key(f.key) in PROMPT_KEYS for f in step.fields)


PROMPT_KEYS = frozenset({"prompt", "task prompt", "prompt template"})
