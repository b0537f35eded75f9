"""Invocations an element states in a form made for them: `Task:` blocks and `<Task>` tags,
`Task(...)`/`Agent(...)` calls, `subagent_type=…` lines, an `Agent:` field naming the agent,
agent CLIs started by a shell command (`claude -p`, `codex exec`), and the near misses of
those keywords (read as meant, reported as WF111). What prose says in words is the prose
reader's (`prose`, `delegation`); code shown as wrong is neither's."""

from __future__ import annotations

import re

from compiler.model import ParseDiagnostic, Span
from compiler.parse import patterns as p
from compiler.parse.commands import command_launches
from compiler.parse.elements import Element
from compiler.parse.invocations import (
    Invocation,
    agent_mentions,
    find_calls,
    parse_task_block,
)
from compiler.parse.misspellings import KEYWORD, misspelt_agent_keys, misspelt_keyword
from compiler.parse.text import Passage
from compiler.regex import LazyPattern


def stated_invocations(
    element: Element, agentless_step: bool
) -> tuple[list[Invocation], list[ParseDiagnostic]]:
    """The invocations `element` states in a form made for them, and the problems met
    reading them. `agentless_step`: the open step has no agent yet, so an `Agent:` field
    there is that step's field rather than a step of its own.

    A one-letter agent (or "xxx") quoted as code in running text ("name the agent with
    `subagent_type="x"`") is syntax being explained, not an agent anyone runs: neither a
    step nor a finding."""
    found, problems = _stated(element, agentless_step)
    if not found or element.kind not in ("paragraph", "item"):
        return found, problems
    kept = [inv for inv in found if not _quoted_placeholder(element, inv)]
    if len(kept) == len(found):
        return found, problems
    lines = {inv.span.line for inv in kept}
    return kept, [problem for problem in problems if problem.span.line in lines]


#: A name written to be filled in ("xxx", "XXX"), as a one-letter one is.
_FILL_IN = LazyPattern(r"x{2,}", re.IGNORECASE)


def _quoted_placeholder(element: Element, invocation: Invocation) -> bool:
    agent, span = invocation.agent, invocation.agent_span
    if agent is None or span is None:
        return False
    name = agent.strip("\"'`*")
    if len(name) != 1 and not _FILL_IN.fullmatch(name):
        return False
    for line in element.lines:
        if line.line == span.line:
            return line.text[: span.column - line.column].count("`") % 2 == 1
    return False


def _stated(
    element: Element, agentless_step: bool
) -> tuple[list[Invocation], list[ParseDiagnostic]]:
    if element.kind in ("fence", "html"):
        blocks = _task_blocks(element) or command_launches(element)
        if blocks:
            return blocks, []
    passage = element.passage
    calls = find_calls(passage)
    if calls:
        rest = _mentions_outside(passage, calls)
        return sorted(calls + rest, key=lambda inv: (inv.span.line, inv.span.column)), []
    mentions = agent_mentions(passage)
    if mentions:
        return [_line(agent, span) for agent, span, _start, _end in mentions], []
    misspelt = misspelt_agent_keys(passage)
    if misspelt:
        problems = [
            misspelt_keyword(miss.written, KEYWORD, miss.key_span, "agent invocation")
            for miss in misspelt
        ]
        return [_line(miss.agent, miss.agent_span) for miss in misspelt], problems
    if agentless_step:
        return [], []
    return _agent_fields(element), []


def _line(agent: str, span: Span) -> Invocation:
    return Invocation(form="line", agent=agent, agent_span=span, span=span, first_line=span.line)


def _agent_fields(element: Element) -> list[Invocation]:
    """`**Subagent**: `pydantic-ai-planner``, `- Agent: code-reviewer`: a field naming the
    agent states a step even where no other line opened one."""
    if element.kind not in ("item", "paragraph"):
        return []
    found: list[Invocation] = []
    for line in element.lines[:1] if element.kind == "item" else element.lines:
        text = line.text.strip()
        match = p.field_line(text)
        if not match or p.field_role(match["key"]) != "agent":
            continue
        name = agent_field_value(match["value"].strip())
        if name is None:
            continue
        offset = line.text.find(text) + match.start("value") + name.start("name")
        invocation = _line(name["name"], line.span(offset, offset + len(name["name"])))
        note = (name["note"] or "").strip()
        if _MODEL_NOTE.match(note):
            invocation.model = note
        found.append(invocation)
    return found


def _task_blocks(element: Element) -> list[Invocation]:
    """`Task:` blocks in a fence (several `Task #1:`… headers split it: they are launched
    together), a fence starting `subagent_type:`, or a `<Task>` element."""
    text = element.text
    if "subagent_type" not in text and not any(
        p.TASK_BLOCK_START.match(line.text) for line in element.lines
    ):
        return []
    if element.kind == "html":
        if not p.TASK_TAG_OPEN.match(element.lines[0].text):
            return []
        found = parse_task_block(element.lines)
        return [found] if found else []
    lines = element.lines
    first = next((line for line in lines if line.text.strip()), None)
    if first is None:
        return []
    if re.match(r"\s*(?:[-*]\s+)?subagent_type\s*:", first.text):
        found = parse_task_block(lines)
        return [found] if found else []
    starts = [i for i, line in enumerate(lines) if p.TASK_BLOCK_START.match(line.text)]
    blocks: list[Invocation] = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        found = parse_task_block(tuple(lines[start:end]))
        if found is not None:
            blocks.append(found)
    if len(blocks) > 1:
        for block in blocks:
            block.background = True  # several Task blocks in one fence are one batch
    return blocks


#: The value of an `Agent:` field when it is a name (not a sentence about agents).
_FIELD_AGENT = LazyPattern(
    r"[`*\"']{0,2}(?P<name>[A-Za-z][\w.:/@+-]*(?: [A-Z][\w-]*){0,3})[`*\"']{0,2}"
    # "task-enricher (haiku)": the model it runs on, or a note, beside the name
    r"(?:\s*[(（](?P<note>[^()（）\n]{1,40})[)）])?\.?"
)


def agent_field_value(value: str) -> re.Match[str] | None:
    """The name (and a note beside it) an `Agent:` field gives, if it gives a name."""
    return _FIELD_AGENT.fullmatch(value)


#: A note beside an agent's name that names a model ("(haiku)", "(gpt-5)"); "(inherit)" says
#: it runs on the coordinator's model, which is no hint.
_MODEL_NOTE = LazyPattern(
    r"^(?:haiku|sonnet|opus|gpt[\w.-]*|o\d[\w-]*|gemini[\w.-]*|claude[\w.-]*)$", re.IGNORECASE
)

#: A lead-in or first line marking the code after it as a counter-example.
_WRONG = LazyPattern(
    r"❌|🚫|\b(?:wrong|incorrect|bad|broken|anti-?pattern|don'?t|do\s+not|never|avoid|"
    r"old\s+(?:way|version|syntax)|deprecated|for\s+example|e\.g\.|for\s+instance|"
    r"example|such\s+as|looks?\s+like\s+this)\b|^\W*before\s*[:：]"
    # a lead that only labels a format or a sample ("Format:", "格式：", "範例：", "예시:")
    r"|^\W*(?:(?:output|status|display|banner)\s+)?(?:format|formato|formats?|格式|形式"
    r"|フォーマット|형식|範例|示例|例子|例|예시|ejemplo|exemplo|esempio|exemple|beispiel)\s*[:：]\W*$",
    re.IGNORECASE,
)
#: A lead-in giving what to say to the user ("Prompt the user with:", "Tell the user:"): the
#: fence is a message shown, what it says the workflow will do is said elsewhere.
_TO_THE_USER = LazyPattern(
    r"\b(?:prompt|ask|tell|show|present|display|notify|inform|message|reply\s+to|respond\s+to"
    r"|say\s+to)\s+(?:the\s+)?user\b[^:：\n]*[:：]\W*$",
    re.IGNORECASE,
)
#: Box-drawing corners: a diagram of the flow, which describes what the steps say.
_DIAGRAM = LazyPattern(r"[┌┐╔╗]")  # a box; a tree (├ └) lists its items


def shown_wrong(lead: str, fence: Element) -> bool:
    """Code shown, not run: a fence introduced as wrong or as an example ("❌ Incorrect:",
    "For example:"), or as a message to the user ("Prompt the user with:"), one whose
    first line says so, or a box-drawn diagram of the flow."""
    first = next((line.text for line in fence.lines if line.text.strip()), "")
    last = lead.splitlines()[-1] if lead else ""
    marked = lead.rstrip(" \t*_").endswith((":", "：")) and (
        _WRONG.search(last) or _TO_THE_USER.search(last)
    )
    if _DIAGRAM.search(fence.text):
        return True
    return bool(marked) or bool(
        re.match(r"\s*(?:#|//)\s*(?:❌|wrong|incorrect|bad|example)\b", first, re.I)
        or _EXAMPLES_LABEL.match(first)
    )


#: A fence's first line that labels what follows as examples ("Exemplos de ativação
#: automática:", "Examples:").
_EXAMPLES_LABEL = LazyPattern(
    r"^\W*(?:examples?|exemplos?|ejemplos?|esempi|exemples?|beispiele?)\b[^\n]*[:：]\s*$",
    re.IGNORECASE,
)


def _mentions_outside(passage: Passage, calls: list[Invocation]) -> list[Invocation]:
    """`subagent_type` mentions not inside one of `calls` (a line mixing both forms)."""
    found: list[Invocation] = []
    for agent, span, _start, _end in agent_mentions(passage):
        inside = any(
            (call.span.line, call.span.column) <= (span.line, span.column)
            and (span.end_line, span.end_column) <= (call.span.end_line, call.span.end_column)
            for call in calls
        )
        if not inside:
            found.append(
                Invocation(
                    form="line", agent=agent, agent_span=span, span=span, first_line=span.line
                )
            )
    return found
