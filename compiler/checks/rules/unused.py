"""Unused outputs (WF205): items produced that no later step reads."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.facts import DocumentFacts, WorkflowFacts
from compiler.checks.index import Produced
from compiler.checks.names import content_tokens, quote
from compiler.checks.ruleset import static_rule
from compiler.diagnostics import Diagnostic
from compiler.model import DecisionBlock, Span, Step, iter_blocks, iter_steps
from compiler.parse.patterns import normalise_key
from compiler.rules import make_diagnostic


@static_rule("WF205", "unused-output", "info", "reference")
def unused_output(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports items a step produces that no later step references — directly, through an
    aggregate (`[all investigation results]`), by naming its step ("from step 2") or in a
    decision's condition (`If cache hit ratio below 50%`) — one report per output line,
    naming every unused item on it. This rule is opt-in (like ruff's preview rules): it
    runs only when selected, `--select WF205` or `select = ["WF205"]`, because most
    playbooks list outputs for readers as much as for later steps. Not reported: final context
    (`Context for completion:`, `Final context:`), the outputs of the last phase (they are
    the workflow's result), files (they outlive the run), and workflows that never
    reference an output by name (their context flows implicitly).

    Why it matters:
    An output nobody reads is either work the playbook could drop, or — more often — a
    reference somewhere that was meant to name it and is spelt differently.

    Example:
    "Risk register" is produced and then forgotten:

    ```markdown
    ## Phase 1: Design
    - Use Task tool with subagent_type="backend-architect"
    - Prompt: "Design $ARGUMENTS."
    - Output: Technical design, risk register

    ## Phase 2: Build
    - Use Task tool with subagent_type="python-pro"
    - Prompt: "Implement the [technical design]."
    - Output: Implementation
    ```

    Use it (or stop producing it):

    ```markdown
    ## Phase 1: Design
    - Use Task tool with subagent_type="backend-architect"
    - Prompt: "Design $ARGUMENTS."
    - Output: Technical design, risk register

    ## Phase 2: Build
    - Use Task tool with subagent_type="python-pro"
    - Prompt: "Implement the [technical design], mitigating the [risk register]."
    - Output: Implementation
    ```
    """
    for wf in facts.workflows:
        consumed: set[tuple[str, str]] = set()
        for entry in wf.resolved:
            consumed.update((p.step_id, p.key) for p in entry.match.items)
        if not consumed:
            continue
        conditions = _condition_tokens(wf)
        last_phase = _last_phase_with_steps(wf)
        unused: dict[tuple[str, int], list[Produced]] = {}
        seen: set[tuple[str, str]] = set()
        for produced in wf.index.produced:
            key = (produced.step_id, produced.key)
            info = wf.index.steps[produced.step_id]
            if (
                key in consumed
                or key in seen
                or any(produced.tokens and produced.tokens <= c for c in conditions)
                or produced.item.kind in ("final", "file")
                or info.phase.id == last_phase
                or _declared_final(info.step, produced)
            ):
                continue
            seen.add(key)
            unused.setdefault((produced.step_id, produced.item.span.line), []).append(produced)
        for (step_id, _), items in unused.items():
            first, last = items[0].item.span, items[-1].item.span
            span = Span(
                line=first.line,
                column=first.column,
                end_line=last.end_line,
                end_column=last.end_column,
            )
            names = ", ".join(quote(p.item.name) for p in items)
            verb = "is" if len(items) == 1 else "are"
            yield make_diagnostic(
                "WF205",
                facts.file,
                span,
                f"{names} ({step_id}) {verb} never used by a later step: reference "
                f"{'it' if len(items) == 1 else 'them'} where needed, or stop producing "
                f"{'it' if len(items) == 1 else 'them'}",
                reference=items[0].item.name if len(items) == 1 else None,
                about=(wf.index.steps[step_id].step,),
            )


def _condition_tokens(wf: WorkflowFacts) -> list[frozenset[str]]:
    """The words of every condition: a decision's `If cache hit ratio below 50%` reads the
    "cache hit ratio" an earlier step produced."""
    found: list[frozenset[str]] = []
    for phase in wf.workflow.phases:
        for block in iter_blocks(phase.blocks):
            if isinstance(block, DecisionBlock):
                found.extend(content_tokens(p.condition) for p in block.paths if p.condition)
            elif isinstance(block, Step) and block.condition:
                found.append(content_tokens(block.condition))
    return found


def _declared_final(step: Step, produced: Produced) -> bool:
    """Items listed under `Context for completion:` are what the workflow hands back."""
    line = produced.item.span.line
    return any(
        normalise_key(field.key) in FINAL_KEYS and field.span.line <= line <= field.span.end_line
        for field in step.fields
    )


FINAL_KEYS = frozenset({"context for completion", "final context", "final output", "final outputs"})


def _last_phase_with_steps(wf: WorkflowFacts) -> str | None:
    for phase in reversed(wf.workflow.phases):
        if any(True for _ in iter_steps(phase)):
            return phase.id
    return None
