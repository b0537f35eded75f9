"""WF114: front matter that disallows the tool the document's own workflow launches agents with."""

from __future__ import annotations

import textwrap

import pytest

from compiler.checks import check_document
from compiler.parse import parse_text

_BODY = """
## Phase 1: Triage
- Use Task tool with subagent_type="incident-commander"
- Prompt: "Triage $ARGUMENTS."
- Output: Incident brief

## Phase 2: Logs
- Use Task tool with subagent_type="log-analyst"
- Prompt: "Read the logs for the [incident brief]."
- Output: Log findings
"""


def findings(front_matter: str, body: str = _BODY) -> list[tuple[int, str]]:
    text = "---\n" + textwrap.dedent(front_matter).strip() + "\n---\n" + body
    found = check_document(parse_text(text, "cmd.md"), source=text)
    return [(d.line, d.message) for d in found if d.code == "WF114"]


@pytest.mark.parametrize(
    "front_matter",
    [
        "disallowed-tools: Task, EnterPlanMode",
        "disallowedTools: [Read, Agent]",
        "disallowed-tools:\n  - Bash\n  - Task",
        "disallowed-tools: Task(log-analyst)",
    ],
)
def test_a_disallowed_launch_tool_is_reported_on_its_line(front_matter: str) -> None:
    ((line, message),) = findings("description: Triage\n" + front_matter)
    assert line == 3
    assert "yet this workflow launches its agents with it" in message


def test_the_message_counts_the_launches_and_names_the_first() -> None:
    ((_, message),) = findings("disallowed-tools: Task")
    assert "(2 launches, the first phase-1 at line" in message
    ((_, message),) = findings("disallowed-tools: Task(log-analyst)")
    assert "(1 launch, the first phase-2 at line" in message


@pytest.mark.parametrize(
    "front_matter",
    [
        # the task list's tools are other tools
        "disallowed-tools: TaskCreate, TaskUpdate",
        # a launch of an agent this workflow does not run
        "disallowed-tools: Task(security-auditor)",
        # allowed-tools grants without asking; it forbids nothing
        "allowed-tools: Read, Grep",
        "description: Triage",
    ],
)
def test_what_the_workflow_does_not_need_may_be_disallowed(front_matter: str) -> None:
    assert findings(front_matter) == []


def test_agents_named_only_in_prose_are_not_judged() -> None:
    body = "\n## Review\n\nUse the **code-reviewer** agent to review the change.\n"
    assert findings("disallowed-tools: Task", body) == []
