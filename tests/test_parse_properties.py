"""Property tests: whatever Markdown it is given, the parser returns a model whose spans lie
inside the file, and never raises."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.checks import check_document
from compiler.checks.config import LintConfig
from compiler.model import iter_steps
from compiler.parse import parse_document, parse_text
from compiler.source import Source

FRAGMENTS = [
    "## Phase 1: Start",
    "## Phase 2: Next (Steps 3-4)",
    "### Branch A: One",
    "### Branch B: Two",
    "### Decision Point: Which?",
    "#### Path A: First (Condition: x = 1)",
    "### Else: fallback",
    "### 1. Numbered",
    "### Step 2A: Lettered",
    "## PHASE CHECKPOINT 1 — User Approval Required",
    '- Use Task tool with subagent_type="agent-a"',
    '- Prompt: "Use [previous output, other thing] and $ARGUMENTS"',
    "- Output: thing one, thing two",
    "- Context: from step 1",
    "```",
    "````",
    "```markdown",
    "Task:",
    '  subagent_type: "agent-b"',
    "  prompt: |",
    "    Read [Insert contents of .x/01.md]",
    "<Task>",
    "</Task>",
    'Task(subagent_type="c", run_in_background=True, prompt="p")',
    "Save output to `.x/01.md`.",
    "Read `.x/01.md`.",
    "If it fails, return to Step 1 (max 2 retries).",
    '- Python → subagent_type="py"',
    "**First: Something**",
    "---",
    "",
    "plain prose with [brackets] and `code`",
    "\u00e9\u00e8 unicode — dashes",
    "\t- tabbed item",
    "3. If all tests pass:",
    "   a. **PAUSE** — Ask the user if they want to:",
    "- Prompt 1:",
    "Task('",
    ")'",
]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40), st.sampled_from(["\n", "\r\n"]))
def test_any_arrangement_parses_with_spans_inside_the_file(lines: list[str], eol: str) -> None:
    text = eol.join(lines)
    document = parse_text(text, "fuzz.md")
    count = max(1, len(text.replace("\r\n", "\n").split("\n")))
    ids = [step.id for step in iter_steps(document)]
    assert len(ids) == len(set(ids))
    for step in iter_steps(document):
        assert 1 <= step.span.line <= step.span.end_line <= count
        for ref in step.consumes:
            assert step.span.line <= ref.span.line <= count
            assert ref.span.column >= 1


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(text: str) -> None:
    parse_text(text, "random.md")


#: Texts a crash hunt over ~127,000 mutated corpus documents reduced its crashes to: a
#: wait-for-the-user bullet that is all key, a call that no longer is one once the lines up to
#: its `)` are joined, and lone carriage returns (markdown-it breaks lines there).
CRASHES = [
    "3. If all tests pass:\n   a. Delegate to **Automator** subagent.\n"
    "4. If any test fails:\n   a. **PAUSE** — Ask the user if they want to:\n",
    "Task('\n\n)'\\",
    "```markdown\rsubagent_type",
    "\r---",
    "\r```",
]


@pytest.mark.parametrize("text", CRASHES)
def test_shapes_that_once_crashed_parse_and_lint(text: str) -> None:
    document = parse_document(Source("crash.md", text))
    check_document(document, LintConfig(), source=text)
