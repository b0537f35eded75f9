"""Reading `Task(...)` / `Agent(...)` calls (the call dialect) the way their language does.

Calls in workflow documents are Python or JavaScript, often only nearly valid: prompts that
run over lines with unescaped quotes inside, comments between arguments, a missing `)`. A
regex cannot tell `prompt=` inside a string from a real argument, so a small lexer walks the
call once, with a state for strings and comments and a bracket depth, and a tiny reader picks
the call's own arguments out of its tokens. Everything here is offsets into one text;
`invocations.find_calls` turns them into spans and diagnostics.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from compiler.regex import LazyPattern
from compiler.spelling import near_miss

#: Where a call may start. Lowercase `task(` is prose as often as code: `read_call` keeps it
#: only with an agent or a prompt argument.
_CALL_NAME_SOURCE = r"(?P<fn>Task|Agent|task|spawn_agent|new_task)\s*\("
CALL_START = LazyPattern(r"\b" + _CALL_NAME_SOURCE)
#: `CALL_START` without its leading `\b` (see `_call_start`).
_CALL_NAME = LazyPattern(_CALL_NAME_SOURCE)
_WORD_CHAR = LazyPattern(r"\w")

#: A call that an unclosed one must not swallow (lowercase `task (` is too common in prose).
_NEXT_CALL = LazyPattern(r"\b(?:Task|Agent|spawn_agent|new_task)\s*\(")
_NEXT_CALL_LINE = LazyPattern(r"[ \t]*(?:\w+\s*=\s*)?(?:Task|Agent|spawn_agent|new_task)\s*\(")

#: What may follow the closing quote of an argument value. Prose prompts hold unescaped
#: quotes (`"review the "auth" module"`, `'don't'`); a quote followed by anything else is
#: part of the text, not its end.
_AFTER_VALUE = LazyPattern(
    r"""[ \t]*(?:
        \Z | [)\]};+%:] | \.\w+\( | \# | // | /\*
      | ,\s*(?:\Z | [)\]}"'`{\[*\d\#/] | \.\.\. | … | [A-Za-z_][\w-]*\s*[=:,)}"'])
      | \n\s*(?:\Z | [,)\]}+] | (?:\w+\s*=\s*)?(?:Task|Agent|spawn_agent|new_task)\s*\()
    )""",
    re.VERBOSE,
)
_STRING_PREFIX = LazyPattern(r"(?:[rRuUbBfFtT]|[rR][bBfFtT]|[bBfFtT][rR])(?=[\"'])")
_OPENERS = "([{"
_CLOSERS = {")": "(", "]": "[", "}": "{"}
#: `${…}` inside `${…}` inside a template literal: deeper than this is read as plain text, so
#: hostile input cannot exhaust the stack.
_MAX_NESTING = 32

TokenKind = Literal["string", "word", "comma", "assign", "open", "close", "other"]
_PUNCTUATION: dict[str, TokenKind] = {",": "comma", "=": "assign", ":": "assign"}


class Token(NamedTuple):
    kind: TokenKind
    start: int
    end: int
    depth: int  # brackets around the token; the call's own arguments are at depth 1
    body: tuple[int, int] | None = None  # strings: the text between the quotes


class Value(NamedTuple):
    """Where an argument's value reads: a string literal's text between its quotes, or the
    raw expression (`MODEL_CONFIG["x"]`, `Explore`, `"a" + b`)."""

    start: int
    end: int
    literal: bool


@dataclass
class Call:
    """A `Task(…)`-style call found in text, with its keyword arguments."""

    name: str
    start: int  # the call's name
    open_end: int  # just after its `(`
    end: int  # just after its `)`, or where an unclosed call stops
    closed: bool
    #: `subagent_type`, `prompt`, `description`, `model`, `run_in_background`, when given
    values: dict[str, Value] = field(default_factory=dict)
    #: (written key, intended key, key start, key end)
    misspelt: list[tuple[str, str, int, int]] = field(default_factory=list)


def scan_calls(text: str) -> list[Call]:
    """Every agent call in `text`, in order. A call inside an earlier call's string is part
    of that call, not a call of its own."""
    calls: list[Call] = []
    if "(" not in text:
        return calls  # most text: every call has its parenthesis
    position = 0
    while match := _call_start(text, position):
        call = read_call(_code_span(text, match), match)
        if call is None:
            position = match.end()  # not an agent call, but one may be nested in it
            continue
        calls.append(call)
        position = max(call.end, match.end())
    return calls


def _call_start(text: str, position: int) -> re.Match[str] | None:
    """`CALL_START.search(text, position)`: the same match, found sooner. A pattern that
    starts with a word boundary is tried at every position of the text, one that starts
    with a name only where the name's first letter is (half the time over the corpora's
    texts), so the name is looked for first and the boundary asked of what is found."""
    while match := _CALL_NAME.search(text, position):
        start = match.start()
        if start == 0 or not _WORD_CHAR.match(text, start - 1):
            return match
        position = start + 1  # `xTask(` is no call, but one may start after it
    return None


def _code_span(text: str, match: re.Match[str]) -> str:
    """A call written in Markdown inline code (`` `Task(subagent_type="x")` ``) ends with
    its code span: the text is cut at the closing backtick (offsets stay the same)."""
    if match.start() == 0 or text[match.start() - 1] != "`":
        return text
    close = text.find("`", match.end())
    newline = text.find("\n", match.end())
    if close < 0 or (0 <= newline < close):
        return text
    return text[:close]


def read_call(text: str, match: re.Match[str]) -> Call | None:
    """The call starting at `match` (a `CALL_START` match), or None when it is not an agent
    call. An unclosed call stops before the next call outside its strings."""
    tokens: list[Token] = []
    end: int | None = None
    cut: int | None = None
    for token in _Lexer(text).code(match.end(), "("):
        if token.depth == 0:
            end = token.end
            break
        if cut is None and token.kind == "word" and _NEXT_CALL.match(text, token.start):
            cut = token.start
        tokens.append(token)
    closed = end is not None
    if end is None:
        end = cut if cut is not None else len(text)
        tokens = [token for token in tokens if token.start < end]
        while end > match.end() and text[end - 1].isspace():
            end -= 1
    call = Call(match["fn"], match.start(), match.end(), end, closed)
    _read_arguments(call, text, tokens)
    return call if _is_agent_call(call) else None


def _is_agent_call(call: Call) -> bool:
    given = call.values.keys()
    if call.name in ("spawn_agent", "new_task"):
        return "subagent_type" in given
    if call.name == "task":
        return bool({"subagent_type", "prompt"} & given)
    return bool({"subagent_type", "prompt", "description"} & given)


# --- arguments ----------------------------------------------------------------------------

_KEYS = ("subagent_type", "prompt", "description", "model")
#: Other parameters of the Task / Agent tools: real names, never misspellings of the four.
_OTHER_PARAMETERS = frozenset(
    {"run_in_background", "mode", "name", "team_name", "resume", "isolation", "max_turns"}
)
#: Shorter forms people write for `subagent_type`: understood, and reported as misspellings.
_SHORT_FORMS = {"subagent": "subagent_type", "agent": "subagent_type"}
#: `spawn_agent` / `new_task` name the agent and the prompt in their own words.
_NATIVE = {
    "agent_type": "subagent_type",
    "agent": "subagent_type",
    "mode": "subagent_type",
    "role": "subagent_type",
    "message": "prompt",
}


def _read_arguments(call: Call, text: str, tokens: list[Token]) -> None:
    """Fill `call.values` from its own arguments (`key=v`, `key: v`, or the entries of a
    single `{…}` object argument); keys nested deeper or inside strings never count."""
    groups = [(group, 1) for group in _split(tokens, 1)]
    first = groups[0][0] if groups else []
    is_object = bool(first) and first[0].kind == "open" and text[first[0].start] == "{"
    if is_object:
        # `Task({ description: '…', prompt: `…` })`; an unclosed object still has entries
        closed = len(first) > 1 and first[-1].kind == "close" and first[-1].depth == 1
        entries = first[1:-1] if closed else first[1:]
        groups = [(entry, 2) for entry in _split(entries, 2)] + groups[1:]
    fuzzy: dict[str, Value] = {}
    positional: list[list[Token]] = []
    for group, depth in groups:
        keyed = len(group) >= 3 and group[0].kind in ("word", "string")
        if not (keyed and group[0].depth == depth and group[1].kind == "assign"):
            positional.append(group)
            continue
        key_start, key_end = group[0].body or (group[0].start, group[0].end)
        written = text[key_start:key_end]
        intended, exact = _intended(call.name, written)
        value = _value(group[2:])
        if intended is None:
            continue
        if exact or (not value.literal and written in _SHORT_FORMS):
            # (`Task(description=…, agent=researcher)`: a framework's own keyword naming an
            # agent object, CrewAI's; only a name in quotes is a misspelt Task tool argument)
            call.values.setdefault(intended, value)
        else:
            call.misspelt.append((written, intended, key_start, key_end))
            fuzzy.setdefault(intended, value)
    for key, value in fuzzy.items():
        call.values.setdefault(key, value)
    literals = [value for value in map(_value, positional) if value.literal]
    if len(literals) == 1 and not is_object and not call.values:
        named = _NAMED_BRIEF.match(text, literals[0].start, literals[0].end)
        if named is not None:
            # `Task("security-analyst: Perform OWASP review …")`: the agent, then its brief
            call.values["subagent_type"] = Value(*named.span("agent"), literal=True)
            call.values["prompt"] = Value(named.start("brief"), literals[0].end, literal=True)
            return
    if literals and not is_object and "description" not in call.values:
        # `Task("Research schema", prompt=…)`: the first positional string describes the task
        call.values["description"] = literals[0]


#: The one string argument of `Task("api-analyst: Review the endpoints")`: a hyphenated
#: agent name, a colon, and the brief.
_NAMED_BRIEF = LazyPattern(r"(?P<agent>[a-z][a-z0-9]*(?:-[a-z0-9]+)+):[ \t]+(?P<brief>\S)")


def _intended(function: str, written: str) -> tuple[str | None, bool]:
    """The argument `written` stands for, and whether it was spelt exactly."""
    key = written.lower()
    if function in ("spawn_agent", "new_task") and key in _NATIVE:
        return _NATIVE[key], True
    if key in _KEYS or key == "run_in_background":
        return key, True
    if key in _OTHER_PARAMETERS:
        return None, True
    if key in _SHORT_FORMS:
        return _SHORT_FORMS[key], False
    return near_miss(written, _KEYS), False


def _split(tokens: list[Token], depth: int) -> list[list[Token]]:
    """Tokens split at the commas of bracket depth `depth`; empty arguments dropped."""
    groups: list[list[Token]] = [[]]
    for token in tokens:
        if token.kind == "comma" and token.depth == depth:
            groups.append([])
        else:
            groups[-1].append(token)
    return [group for group in groups if group]


def _value(tokens: list[Token]) -> Value:
    if len(tokens) == 1 and tokens[0].body is not None:
        return Value(*tokens[0].body, literal=True)
    return Value(tokens[0].start, tokens[-1].end, literal=False)


# --- the lexer ----------------------------------------------------------------------------


class _Lexer:
    """One pass over code: strings and comments are read whole (a bracket or a `prompt=`
    inside them is text), brackets are counted, and everything else becomes small tokens."""

    def __init__(self, text: str) -> None:
        self.text = text

    def code(self, index: int, opener: str, nesting: int = 0) -> Iterator[Token]:
        """Tokens from `index` to the bracket that closes `opener`, which comes last with
        depth 0; when the text ends first, no token has depth 0."""
        text = self.text
        stack = [opener]
        while index < len(text):
            char = text[index]
            # `f"…"`, `rb'…'`: a prefix only when it starts a word (`self"` is no f-string)
            prefix = None
            if char.isalpha() and (index == 0 or not _is_word_char(text[index - 1])):
                prefix = _STRING_PREFIX.match(text, index)
            comment_end = self._comment_end(index) if char in "#/" else None
            if char.isspace():
                index += 1
            elif comment_end is not None:
                index = comment_end
            elif char in "\"'`" or prefix:
                quote = prefix.end() if prefix else index
                end, body = self.string(quote, nesting)
                yield Token("string", index, end, len(stack), body)
                index = end
            elif char in _OPENERS:
                yield Token("open", index, index + 1, len(stack))
                stack.append(char)
                index += 1
            elif char in _CLOSERS:
                # A closer with no opener is stray text; one that skips openers closes them
                # too (`[1, 2)`), as a forgiving reader of almost-code should.
                if _CLOSERS[char] in stack:
                    while stack.pop() != _CLOSERS[char]:
                        pass
                    yield Token("close", index, index + 1, len(stack))
                    if not stack:
                        return
                index += 1
            elif _is_word_char(char):
                end = index + 1
                while end < len(text) and (_is_word_char(text[end]) or text[end] == "-"):
                    end += 1
                yield Token("word", index, end, len(stack))
                index = end
            elif text.startswith(("==", "=>", ":=", "::"), index):
                yield Token("other", index, index + 2, len(stack))
                index += 2
            else:
                yield Token(_PUNCTUATION.get(char, "other"), index, index + 1, len(stack))
                index += 1

    def _comment_end(self, index: int) -> int | None:
        """The end of a comment starting at `index`, or None. Unquoted values hold `#` and
        `//` too: glued to a word or before a digit (`C#`, `PR #42`, `https://x`, `a//2`)
        they are text."""
        text = self.text
        if text.startswith("/*", index):
            close = text.find("*/", index + 2)
            return len(text) if close < 0 else close + 2
        before = text[index - 1] if index > 0 else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        slashes = text.startswith("//", index) and before != ":"
        hash_mark = text[index] == "#" and not after.isdigit()
        if _is_word_char(before) or not (slashes or hash_mark):
            return None
        newline = text.find("\n", index)
        return len(text) if newline < 0 else newline

    def string(self, index: int, nesting: int) -> tuple[int, tuple[int, int]]:
        """The end of the string literal whose opening quote is at `index`, and its body."""
        text = self.text
        if text.startswith(('"""', "'''"), index):
            return self._triple(index + 3, text[index : index + 3])
        if text[index] == "`":
            return self._template(index + 1, nesting)
        return self._quoted(index + 1, text[index])

    def _triple(self, start: int, quote: str) -> tuple[int, tuple[int, int]]:
        text = self.text
        index = start
        while index < len(text):
            if text[index] == "\\":
                index += 2
            elif text.startswith(quote, index):
                return index + 3, (start, index)
            else:
                index += 1
        return len(text), (start, len(text))

    def _template(self, start: int, nesting: int) -> tuple[int, tuple[int, int]]:
        """A JS template literal; `${…}` inside it is code, which may hold more strings."""
        text = self.text
        index = start
        while index < len(text):
            if text[index] == "\\":
                index += 2
            elif text[index] == "`":
                return index + 1, (start, index)
            elif text.startswith("${", index) and nesting < _MAX_NESTING:
                index = self._expression_end(index + 2, nesting + 1)
            else:
                index += 1
        return len(text), (start, len(text))

    def _expression_end(self, index: int, nesting: int) -> int:
        for token in self.code(index, "{", nesting):
            if token.depth == 0:
                return token.end
        return len(self.text)

    def _quoted(self, start: int, quote: str) -> tuple[int, tuple[int, int]]:
        """A `"…"` or `'…'` string, read leniently: it may run over lines, and a quote ends it
        only where a value can end (`_AFTER_VALUE`) and the brackets it opened are closed, so
        `"check (the "auth") module"` stays one string. If it never ends, the first quote
        that would have ended it but for a bracket does, else the next quote at all; if a
        later line starts another call, the string ends before it, so that call is not
        swallowed."""
        text = self.text
        index = start
        brackets = 0
        fallback: int | None = None
        first: int | None = None  # the plain reading: the next quote closes the string
        while index < len(text):
            char = text[index]
            if char == "\\":
                index += 2
                continue
            if char == quote and first is None:
                first = index
            if char == quote and _AFTER_VALUE.match(text, index + 1):
                if brackets == 0:
                    return index + 1, (start, index)
                fallback = index if fallback is None else fallback
            elif char in _OPENERS:
                brackets += 1
            elif char in _CLOSERS:
                brackets = max(0, brackets - 1)
            elif char == "\n" and _NEXT_CALL_LINE.match(text, index + 1):
                break
            index += 1
        if fallback is not None:
            return fallback + 1, (start, fallback)
        if first is not None:
            # `section "Platform: {Platform}".` in a heredoc: no quote ends a value here, so
            # read the string the plain way rather than swallow the rest of the call.
            return first + 1, (start, first)
        stop = min(index, len(text))
        return stop, (start, stop)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"
