"""Finding agent invocations in text: `subagent_type=…` lines, `Task:` blocks, `<Task>` tags and
`Task(...)` / `Agent(...)` calls. Each becomes an `Invocation` with exact spans."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from compiler.model import Provenance, Span
from compiler.parse import patterns as p
from compiler.parse.agent_names import GENERIC_NAME
from compiler.parse.calls import Call, scan_calls
from compiler.parse.elements import TextLine
from compiler.parse.text import Passage, cut_line
from compiler.regex import LazyPattern

InvocationForm = Literal["line", "block", "call"]


@dataclass
class Invocation:
    """An agent invocation found in an element, in whatever form it was written."""

    form: InvocationForm
    agent: str | None
    agent_span: Span | None
    span: Span
    first_line: int
    description: str | None = None
    prompt: Passage | None = None
    model: str | None = None
    background: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, Span]] = field(default_factory=list)
    #: call arguments spelt near a known key (`subagent_typ=`, `promt=`, `agent=`): written
    #: key, intended key, span of the written key; the value is read as the intended key's
    misspelt: list[tuple[str, str, Span]] = field(default_factory=list)
    #: `subagent_type=`, `Task:` blocks and `Task(...)` calls are explicit; delegation read
    #: out of prose ("use the **x** agent") is inferred
    provenance: Provenance = "explicit"
    #: invocations launched together ("spawn these in parallel:") share a batch number
    batch: int | None = None
    #: one invocation that runs as many parallel copies ("launch 5 parallel reviewers")
    fan_out: bool = False


#: Words a `subagent_type` value opens with when it says in words which agent runs.
_WHICH_WORDS = frozenset(
    {"the", "a", "an", "its", "their", "matching", "appropriate", "relevant", "same", "any"}
    | {"corresponding", "whichever", "selected", "chosen", "assigned"}
)


#: Types written where a value would be (a TypeScript or Python interface of the tool).
_TYPE_NAMES = frozenset({"string", "str", "number", "boolean", "any", "unknown"})


def agent_mentions(passage: Passage) -> list[tuple[str, Span, int, int]]:
    """Every `subagent_type` with a value: (agent, span, start, end offsets in passage.text)."""
    text = passage.text
    if "subagent_type" not in text:
        return []
    seen: list[tuple[int, int]] = []
    found: list[tuple[str, Span, int, int]] = []
    for pattern in p.AGENT_PATTERNS:
        for match in _keyword_matches(pattern, text):
            start, end = match.span()
            if any(s <= start < e for s, e in seen):
                continue
            seen.append((start, end))
            written = match["agent"].rstrip(".:,;")
            if written.lower() in _TYPE_NAMES:
                continue  # "subagent_type: string;": an interface's field, no value given
            a_start = match.start("agent")
            span = passage.span(a_start, a_start + len(written))
            agent = written
            if written.lower() in _WHICH_WORDS and text[a_start + len(written) :][:1] == " ":
                # "`subagent_type`: the reviewer from the plan", "matching the step's agent":
                # which agent, said in words; no name
                agent = GENERIC_NAME
            found.append((agent, span, start, end))
    found.sort(key=lambda item: item[2])
    return found


def _keyword_matches(pattern: LazyPattern, text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern of `AGENT_PATTERNS`, tried only where one of
    its matches can start: at `subagent_type`, or one or two characters before it (a `` ` ``
    or `**`). Those patterns start with a word boundary or an optional class, so a search
    tries them at every position of the text (~200 characters, a keyword or two, over the
    corpora). Keywords do not overlap, so the first start that matches at a keyword is the
    leftmost match, as a search finds it."""
    position = 0  # where the last match ended: matches do not overlap
    keyword = text.find(_KEYWORD)
    while keyword >= 0:
        for start in range(max(position, keyword - 2), keyword + 1):
            match = pattern.match(text, start)
            if match:
                yield match
                position = match.end()
                break
        keyword = text.find(_KEYWORD, max(keyword + 1, position))


_KEYWORD = "subagent_type"


# --- Task: blocks (plugin dialect) ------------------------------------------------------

#: A `key: value` line of the block, written bare or as a list item (`- prompt: |`).
_BLOCK_KEY = LazyPattern(r"^(?P<indent>\s*)(?:[-*]\s+)?(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*)$")


def parse_task_block(lines: tuple[TextLine, ...]) -> Invocation | None:
    """A `Task:` block (fenced or inside `<Task>` tags): YAML-like `key: value` lines, with
    `prompt: |` followed by an indented block. Returns None when no key of a task is present."""
    body = [line for line in lines if not p.TASK_TAG_OPEN.match(line.text)]
    body = [line for line in body if not p.TASK_TAG_CLOSE.fullmatch(line.text.strip())]
    if body and p.TASK_BLOCK_START.match(body[0].text):
        body = body[1:]
    values: dict[str, Passage] = {}
    key_spans: dict[str, Span] = {}
    problems: list[tuple[str, Span]] = []
    index = 0
    base_indent: int | None = None
    while index < len(body):
        line = body[index]
        match = _BLOCK_KEY.match(line.text)
        indent = len(line.text) - len(line.text.lstrip())
        if not match or (base_indent is not None and indent > base_indent):
            index += 1
            continue
        if base_indent is None:
            base_indent = indent
        key = match["key"].lower()
        value_start = match.start("value")
        value = cut_line(line, value_start)
        key_spans[key] = line.span(match.start("key"), match.end("key"))
        index += 1
        if value.text in ("|", ">", "|-", ">-", "|+", ">+") or (not value.text and key == "prompt"):
            block: list[TextLine] = []
            while index < len(body):
                nxt = body[index]
                nxt_indent = len(nxt.text) - len(nxt.text.lstrip())
                if nxt.text.strip() and nxt_indent <= indent:
                    break
                block.append(nxt)
                index += 1
            while block and not block[-1].text.strip():
                block.pop()
            values[key] = Passage.of(_dedent(block))
            if not block:
                problems.append((f"'{key}' has an empty block", key_spans[key]))
        else:
            values[key] = Passage.of([_unquote_value(value)])
    agent_value = values.get("subagent_type") or values.get("agent")
    if agent_value is None and "prompt" not in values and "description" not in values:
        return None
    first = lines[0]
    span = Span(
        line=first.line,
        column=first.column,
        end_line=lines[-1].line,
        end_column=lines[-1].column + len(lines[-1].text),
    )
    agent = agent_value.text.strip() if agent_value is not None else None
    agent_span = (
        agent_value.lines[0].span() if agent_value is not None and agent_value.lines else None
    )
    if agent_value is not None and not agent:
        problems.append(("subagent_type has no value", agent_span or span))
        agent = None
    elif agent is not None:
        # "dev-workflows:technical-designer (or …-frontend for frontend docs)": the first name
        # is the agent, the alternative stays in the text; so is a field beside it
        # ("bug-auditor   |   Prefix: STAKES-") or a comment. Placeholders ("[Update Agent
        # from Step 2]") are kept as written: they are not malformed, just not a catalog name.
        name = re.match(p.AGENT_NAME, agent)
        if name and agent[name.end() :].lstrip().startswith(("(", "|", "#", "//")):
            agent = name.group(0)
            agent_span = (
                Span(
                    line=agent_span.line,
                    column=agent_span.column,
                    end_line=agent_span.line,
                    end_column=agent_span.column + len(agent),
                )
                if agent_span is not None
                else None
            )
    background = values.get("run_in_background")
    return Invocation(
        form="block",
        agent=agent,
        agent_span=agent_span,
        span=span,
        first_line=first.line,
        description=values["description"].text if "description" in values else None,
        prompt=values.get("prompt"),
        model=values["model"].text.strip() if "model" in values else None,
        background=bool(background and background.text.strip().lower() in ("true", "yes")),
        problems=problems,
    )


def _dedent(lines: list[TextLine]) -> list[TextLine]:
    widths = [len(line.text) - len(line.text.lstrip()) for line in lines if line.text.strip()]
    cut = min(widths) if widths else 0
    return [TextLine(line.text[cut:], line.line, line.column + cut) for line in lines]


def _unquote_value(value: TextLine) -> TextLine:
    text = value.text
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return TextLine(text[1:-1], value.line, value.column + 1)
    return value


# --- Task(...) / Agent(...) calls (call dialect) ---------------------------------------------

#: A line inside a call that opens a Markdown fence: it closed the code block around the call.
_FENCE_LINE = LazyPattern(r"^[ \t]*(?P<fence>```|~~~)", re.MULTILINE)


def find_calls(passage: Passage) -> list[Invocation]:
    """Every agent call in `passage`: `Task(...)`, `Agent(...)`, an agent-like `task(...)`,
    `spawn_agent(...)`, `new_task(...)`. How arguments are read: `compiler.parse.calls`."""
    text = passage.text
    found: list[Invocation] = []
    for call in scan_calls(text):
        agent = call.values.get("subagent_type")
        prompt = call.values.get("prompt")
        name = _read(text, call, "subagent_type")
        agent_span = passage.span(agent.start, agent.end) if agent else None
        generic = name is None and call.name in ("spawn_agent", "new_task")
        if generic:
            # `spawn_agent(message=…)` names no agent: a fresh generic one runs it
            name, agent_span = "subagent", passage.span(call.start, call.start + len(call.name))
        found.append(
            Invocation(
                form="call",
                agent=name,
                agent_span=agent_span,
                provenance="inferred" if generic else "explicit",
                span=passage.span(call.start, call.end),
                first_line=passage.locate(call.start)[0].line,
                # a literal describes the task; a variable name would make a poor title
                description=_read(text, call, "description", literal_only=True),
                prompt=passage.slice(prompt.start, prompt.end) if prompt else None,
                model=_read(text, call, "model"),
                background=(_read(text, call, "run_in_background") or "").strip().lower() == "true",
                problems=[] if call.closed else [_unclosed(passage, call)],
                misspelt=[(w, k, passage.span(s, e)) for w, k, s, e in call.misspelt],
            )
        )
    return found


def _read(text: str, call: Call, key: str, *, literal_only: bool = False) -> str | None:
    value = call.values.get(key)
    if value is None or (literal_only and not value.literal):
        return None
    return text[value.start : value.end]


def _unclosed(passage: Passage, call: Call) -> tuple[str, Span]:
    """Why a call has no `)`. Most often a ``` fence inside its prompt ended the code block
    around it early, so the rest of the call fell outside the block: say so."""
    text = passage.text
    where = f"{call.name}( call on line {passage.locate(call.start)[0].line} is not closed"
    fence = _FENCE_LINE.search(text, call.start, call.end)
    if fence is None:
        message = f"{where}: its `(` has no matching `)`"
    else:
        marker = fence["fence"]
        line = passage.locate(fence.start("fence"))[0].line
        outer = "~~~ or four backticks (````)" if marker == "```" else "``` or four tildes"
        message = (
            f"{where}: the {marker} fence on line {line} inside its prompt closes the "
            f"surrounding code block early; use {outer} for the outer fence"
        )
    return message, passage.span(call.start, call.open_end)
