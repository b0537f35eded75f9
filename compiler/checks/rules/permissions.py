"""What the document's own front matter lets its coordinator do: a command or skill that
forbids the tool its workflow launches agents with (WF114)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from compiler.checks.facts import DocumentFacts
from compiler.checks.ruleset import static_rule
from compiler.diagnostics import Diagnostic
from compiler.model import Span, Step, iter_steps
from compiler.regex import LazyPattern
from compiler.rules import make_diagnostic

#: The front matter keys that forbid tools (Claude Code writes `disallowed-tools` in
#: commands and skills, `disallowedTools` in its settings and SDK).
_DISALLOWED_KEYS = ("disallowed-tools", "disallowed_tools", "disallowedTools")
#: One forbidden tool: the launch tool itself (`Task`, or `Agent`, its later name), or the
#: launch of one agent (`Task(code-reviewer)`).
_LAUNCH_TOOL = LazyPattern(r"^(?P<tool>Task|Agent)(?:\(\s*(?P<agent>[^()\s]+)\s*\))?$")
_KEY_LINE = LazyPattern(r"^(?:disallowed[-_]tools|disallowedTools)\s*:")


@static_rule("WF114", "launch-tool-disallowed", "warning", "structure")
def launch_tool_disallowed(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports front matter that forbids the tool the document's own workflow launches its
    agents with: `disallowed-tools` naming `Task` (or `Agent`, the tool's later name) in a
    command or skill whose steps launch agents with `Task(…)` calls, `subagent_type` or
    `Task:` blocks, or naming `Task(code-reviewer)` where a step launches `code-reviewer`.
    Only stated launches count; an agent mentioned in prose is not judged. (`allowed-tools`
    is not read: in commands and skills it grants tools without asking, it forbids none.)

    Why it matters:
    Where the key is honoured (Claude Code reads `disallowedTools` in agent definitions),
    the coordinator cannot start a single agent the playbook relies on: the run stops at the
    first launch, or the coordinator does the specialists' work itself, without their
    instructions, tools or models. Where it is not, the document still says two things that
    cannot both hold, and a reader (or a later runtime) may believe the wrong one. Nothing
    in the body shows it; the line sits at the top of the file.

    Example:
    ```markdown
    ---
    description: Triage an incident with specialist agents
    disallowed-tools: Task, EnterPlanMode
    ---

    ## Phase 1: Triage
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Triage $ARGUMENTS."
    ```

    Forbid only what the workflow does not need:

    ```markdown
    ---
    description: Triage an incident with specialist agents
    disallowed-tools: EnterPlanMode
    ---

    ## Phase 1: Triage
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Triage $ARGUMENTS."
    ```
    """
    document = facts.document
    value = next(
        (document.front_matter[k] for k in _DISALLOWED_KEYS if k in document.front_matter), None
    )
    span = _key_span(facts.lines)
    if value is None or span is None:
        return
    launched = [
        step
        for wf in facts.workflows
        for step in iter_steps(wf.workflow)
        if step.agent is not None and step.provenance == "explicit"
    ]
    tools: list[str] = []
    blocked: list[Step] = []
    for tool, agent in _launch_tools(value):
        stopped = [step for step in launched if agent is None or step.agent == agent]
        if stopped:
            tools.append(f"'{tool}'")
            blocked += [step for step in stopped if step not in blocked]
    if not blocked:
        return
    blocked.sort(key=lambda step: (step.span.line, step.span.column))
    first = blocked[0]
    count = f"{len(blocked)} launch" + ("es" if len(blocked) > 1 else "")
    yield make_diagnostic(
        "WF114",
        facts.file,
        span,
        f"the front matter disallows {' and '.join(tools)}, yet this workflow launches its "
        f"agents with it ({count}, the first {first.id} at line {first.span.line}): take it "
        f"out of the disallowed tools, or the agents cannot be started",
    )


def _launch_tools(value: Any) -> Iterator[tuple[str, str | None]]:
    """The launch tools among the forbidden ones, as (as written, agent or None)."""
    items = value if isinstance(value, list) else re.split(r",|\s+(?![^()]*\))", str(value))
    for item in items:
        written = str(item).strip()
        found = _LAUNCH_TOOL.match(written)
        if found:
            yield written, found["agent"]


def _key_span(lines: tuple[str, ...] | None) -> Span | None:
    """Where the front matter's disallowed-tools key is written."""
    if not lines or lines[0].strip() != "---":
        return None
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return None
        if _KEY_LINE.match(line):
            return Span(line=number, column=1, end_line=number, end_column=len(line) + 1)
    return None
