"""Finding agent invocations in text: `subagent_type=…` lines, `Task:` blocks, `<Task>` tags and
`Task(...)` / `Agent(...)` calls. Each becomes an `Invocation` with exact spans."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from compiler.model import Span
from compiler.parse import patterns as p
from compiler.parse.elements import TextLine
from compiler.parse.text import Passage, cut_line

InvocationForm = Literal["line", "block", "call"]


@dataclass
class Invocation:
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


def agent_mentions(passage: Passage) -> list[tuple[str, Span, int, int]]:
    """Every `subagent_type` with a value: (agent, span, start, end offsets in passage.text)."""
    text = passage.text
    seen: list[tuple[int, int]] = []
    found: list[tuple[str, Span, int, int]] = []
    for pattern in p.AGENT_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s <= start < e for s, e in seen):
                continue
            seen.append((start, end))
            agent = match["agent"].rstrip(".:,")
            a_start = match.start("agent")
            found.append((agent, passage.span(a_start, a_start + len(agent)), start, end))
    found.sort(key=lambda item: item[2])
    return found


# --- Task: blocks (plugin dialect) ------------------------------------------------------

_BLOCK_KEY = re.compile(r"^(?P<indent>\s*)(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*)$")


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
        # is the agent, the alternative stays in the text. Placeholders ("[Update Agent from
        # Step 2]") are kept as written: they are not malformed, just not a catalog name.
        name = re.match(p.AGENT_NAME, agent)
        if name and agent[name.end() :].lstrip().startswith("("):
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


def find_calls(passage: Passage) -> list[Invocation]:
    """Every `Task(...)` / `Agent(...)` call with keyword arguments in `passage`."""
    text = passage.text
    calls: list[Invocation] = []
    position = 0
    while True:
        match = p.CALL_START.search(text, position)
        if not match:
            break
        close = _matching_paren(text, match.end() - 1)
        args = _keyword_arguments(text, match.end(), close if close is not None else len(text))
        position = match.end()
        if not args or not ({"subagent_type", "prompt", "description"} & args.keys()):
            continue
        end = (close + 1) if close is not None else len(text)
        problems: list[tuple[str, Span]] = []
        if close is None:
            problems.append(
                (f"{match['fn']}( call is not closed", passage.span(match.start(), match.end()))
            )
        agent = args.get("subagent_type")
        calls.append(
            Invocation(
                form="call",
                agent=text[agent[0] : agent[1]] if agent else None,
                agent_span=passage.span(*agent) if agent else None,
                span=passage.span(match.start(), end),
                first_line=passage.locate(match.start())[0].line,
                description=_arg_text(text, args, "description"),
                prompt=passage.slice(*args["prompt"]) if "prompt" in args else None,
                model=_arg_text(text, args, "model"),
                background=(_arg_text(text, args, "run_in_background") or "").strip().lower()
                == "true",
                problems=problems,
            )
        )
        position = end
    return calls


def _arg_text(text: str, args: dict[str, tuple[int, int]], key: str) -> str | None:
    if key not in args:
        return None
    start, end = args[key]
    return text[start:end]


def _matching_paren(text: str, open_index: int) -> int | None:
    depth = 0
    index = open_index
    quote: str | None = None
    while index < len(text):
        char = text[index]
        if quote:
            if text.startswith(quote, index):
                index += len(quote)
                quote = None
                continue
            if char == "\\":
                index += 2
                continue
        elif text.startswith('"""', index) or text.startswith("'''", index):
            quote = text[index : index + 3]
            index += 3
            continue
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


_KWARG = re.compile(r"\s*,?\s*(?P<key>[A-Za-z_]\w*)\s*[=:]\s*")


def _keyword_arguments(text: str, start: int, end: int) -> dict[str, tuple[int, int]]:
    """`key=value` arguments between start and end: value offsets, quotes excluded."""
    args: dict[str, tuple[int, int]] = {}
    position = start
    while position < end:
        match = _KWARG.match(text, position)
        if not match:
            # A positional argument or stray text: skip it and the comma after it.
            position = _skip_value(text, position, end) + 1
            continue
        value_start = match.end()
        for quote in ('"""', "'''", '"', "'"):
            if text.startswith(quote, value_start):
                close = text.find(quote, value_start + len(quote))
                close = end if close < 0 or close > end else close
                args[match["key"]] = (value_start + len(quote), close)
                position = close + len(quote)
                break
        else:
            value_end = _skip_value(text, value_start, end)
            args[match["key"]] = (value_start, value_end)
            position = value_end
    return args


def _skip_value(text: str, position: int, end: int) -> int:
    """Skip one argument value that is not a string literal (a name, f-string, expression)."""
    depth = 0
    index = position
    while index < end:
        char = text[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth <= 0:
            return index
        elif char in "\"'":
            close = text.find(char, index + 1)
            index = close if close >= 0 else end
        index += 1
    return end
