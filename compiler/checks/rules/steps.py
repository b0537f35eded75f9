"""Step rules: does every agent get a prompt, and say what it delivers (WF104, WF105)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from compiler.checks.facts import DocumentFacts
from compiler.checks.rules.structure import first_line
from compiler.checks.ruleset import static_rule
from compiler.diagnostics import Diagnostic
from compiler.model import (
    ParallelBlock,
    Step,
    Workflow,
    iter_blocks,
    iter_steps,
)
from compiler.parse.languages import prose_words
from compiler.parse.patterns import field_line, field_role
from compiler.regex import LazyPattern
from compiler.rules import make_diagnostic


@static_rule("WF104", "missing-prompt", "warning", "structure")
def missing_prompt(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a step that names an agent but gives it no prompt (no `Prompt:` field, no
    `prompt:` in its `Task:` block or call, no description) and no instructions in prose
    under it, in a document whose steps carry prompts (at least two agent steps, and at
    least half of them, do): where prompts are not the document's style, the coordinator
    briefs each agent itself. An agent merely listed as one option of several (`- Python
    issues → python-pro`) is not a step of its own and is not reported.

    Why it matters:
    The agent starts with nothing but the coordinator's improvisation: the playbook no
    longer says what this step must do, so two runs do different things.

    Example:
    The other steps are briefed, the triage agent is not:

    ```markdown
    ## Phase 1: Triage
    - Use Task tool with subagent_type="incident-commander"
    - Output: Incident brief

    ## Phase 2: Investigate
    - Use Task tool with subagent_type="log-analyst"
    - Prompt: "List every error in the logs around the [incident brief]."
    - Output: Log findings

    ## Phase 3: Report
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Summarise the [log findings]."
    - Output: Summary
    ```

    Say what it must do:

    ```markdown
    ## Phase 1: Triage
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Triage $ARGUMENTS: confirm severity and open the incident channel."
    - Output: Incident brief

    ## Phase 2: Investigate
    - Use Task tool with subagent_type="log-analyst"
    - Prompt: "List every error in the logs around the [incident brief]."
    - Output: Log findings

    ## Phase 3: Report
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Summarise the [log findings]."
    - Output: Summary
    ```
    """
    for wf in facts.workflows:
        if not wf.conventions.prompts:
            continue  # this document's steps do not carry prompts: that is its style
        for step in iter_steps(wf.workflow):
            if (
                step.agent is not None
                and not step.prompt
                and not step.description
                and not _has_instructions(facts, step)
                and not any(field_role(f.key) == "prompt" for f in step.fields)
                and not _mention_only(step)
            ):
                yield make_diagnostic(
                    "WF104",
                    facts.file,
                    step.agent_span or first_line(step.span),
                    f"step '{step.title}' ({step.id}) runs agent '{step.agent}' without a "
                    "prompt: add a `Prompt:` saying what it must do",
                    about=(step,),
                )


@static_rule("WF105", "missing-output", "warning", "structure")
def missing_output(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports an agent step that declares nothing it produces (no `Output:`, no context for
    the next phase, no file it saves) in a workflow where declaring outputs is the
    convention (at least two agent steps in three do). Workflows that rarely declare
    outputs pass context implicitly and are not reported; nor are the branches of a
    parallel block one of whose branches declares the output (concurrent results are often
    consolidated once, after the join), nor a step that re-runs an agent whose earlier step
    declared its output (a revision updates that output in place), nor a step whose brief
    says what to hand back ("Return patch instructions if issues found").

    Why it matters:
    Later steps cannot name what this step delivers, so its results are either lost or
    passed on by the coordinator's memory; a reader cannot tell what "done" means for it.

    Example:
    The build step delivers nothing the release can refer to:

    ```markdown
    ## Phase 1: Design
    - Use Task tool with subagent_type="backend-architect"
    - Prompt: "Design the API for $ARGUMENTS."
    - Output: API design

    ## Phase 2: Build
    - Use Task tool with subagent_type="python-pro"
    - Prompt: "Implement the [API design]."

    ## Phase 3: Release
    - Use Task tool with subagent_type="deployment-engineer"
    - Prompt: "Release the service built from the [API design]."
    - Output: Release log
    ```

    Declare its output (and use it):

    ```markdown
    ## Phase 1: Design
    - Use Task tool with subagent_type="backend-architect"
    - Prompt: "Design the API for $ARGUMENTS."
    - Output: API design

    ## Phase 2: Build
    - Use Task tool with subagent_type="python-pro"
    - Prompt: "Implement the [API design]."
    - Output: Service build

    ## Phase 3: Release
    - Use Task tool with subagent_type="deployment-engineer"
    - Prompt: "Release the [service build]."
    - Output: Release log
    ```
    """
    for wf in facts.workflows:
        if not wf.conventions.outputs:
            continue  # outputs are the exception here, not the convention
        steps = [s for s in iter_steps(wf.workflow) if s.agent is not None]
        consolidated = _consolidated_branches(wf.workflow)
        producing_agents: set[str] = set()
        for step in steps:
            rerun = step.agent in producing_agents
            if step.produces:
                producing_agents.add(step.agent or "")
            if (
                step.produces
                or rerun
                or _mention_only(step)
                or step.id in consolidated
                or _asks_for_result(step)
            ):
                continue
            yield make_diagnostic(
                "WF105",
                facts.file,
                step.agent_span or first_line(step.span),
                f"step '{step.title}' ({step.id}) declares no output while the other steps "
                "do: add `Output: …` naming what it delivers",
                about=(step,),
            )


#: A brief that says what to hand back: "Return patch instructions if issues found",
#: "Report back the failing tests", "Respond with a JSON verdict".
_RESULT_ASKED = LazyPattern(
    r"(?:^|[.!?:]\s+|\n\s*(?:[-*]\s+)?)(?:return|report(?:\s+back)?|respond\s+with|reply\s+with|"
    r"deliver|provide|produce|summari[sz]e)\b",
    re.IGNORECASE,
)


def _asks_for_result(step: Step) -> bool:
    """The step's brief states what it delivers, in words rather than an `Output:` field."""
    return step.prompt is not None and _RESULT_ASKED.search(step.prompt) is not None


def _mention_only(step: Step) -> bool:
    """A step the parser made from an agent named in a list ("Python issues → python-pro"):
    its title is the agent, its instructions are shared with its alternatives."""
    agent = (step.agent or "").lower()
    return bool(agent) and step.title.lower().endswith(agent)


_INVOCATION = LazyPattern(
    r"use\s+(?:the\s+)?(?:task|agent)\s+tool(?:\s+with)?|subagent_type\s*[:=]\s*[\"'`]?[\w:./@+-]+[\"'`]?",
    re.IGNORECASE,
)


def _has_instructions(facts: DocumentFacts, step: Step) -> bool:
    """Does prose on the step's own lines tell the agent what to do? Field lines
    (`Output: …`), headings and fences do not count; the invocation itself is taken out
    (`code-verifier (subagent_type: "x") → verify the implementation` has instructions)."""
    if facts.lines is None:
        return any(_instruction(note.text) for note in step.notes)
    for number in range(step.span.line, step.span.end_line + 1):
        if number > len(facts.lines):
            break
        line = facts.lines[number - 1].strip().lstrip("-*+> ").strip()
        if not line or line.startswith(("#", "```", "~~~")):
            continue
        field = field_line(line)
        if field and field_role(field["key"]) not in (None, "agent"):
            continue
        if _instruction(line):
            return True
    return False


def _instruction(note: str) -> bool:
    """Prose under a step that tells the agent what to do: what is left of a note once the
    invocation itself (`Use Task tool with subagent_type="x"`) is taken out, when that is
    more than a label. HTML comments do not count."""
    text = note.strip()
    if not text or text.startswith("<!--"):
        return False
    return prose_words(_INVOCATION.sub(" ", text)) >= 3


def _consolidated_branches(workflow: Workflow) -> set[str]:
    """Steps of parallel blocks in which some branch declares an output: the results of
    concurrent agents are commonly gathered once, after the join ("After both complete,
    consolidate into …"), and that declaration lands on one branch."""
    quiet: set[str] = set()
    for phase in workflow.phases:
        for block in iter_blocks(phase.blocks):
            if not isinstance(block, ParallelBlock):
                continue
            steps = [
                s for b in block.branches for s in iter_blocks(b.blocks) if isinstance(s, Step)
            ]
            if any(s.produces for s in steps):
                quiet.update(s.id for s in steps)
    return quiet
