"""Near misses of the keywords that introduce work: `subagent_typ="x"`, `subagent-type: x`,
`subagent="x"`, `## Phsae 2:`, `### Setp 3:`. A typo there must never make a step vanish:
the parser reads what the author meant and records a did-you-mean (WF111) at the keyword.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from compiler.model import ParseDiagnostic, Span
from compiler.parse.gates import WordGated
from compiler.parse.text import Passage, before_on_line
from compiler.regex import LazyPattern
from compiler.spelling import match_case, near_miss

#: `<key>="name"` / `<key>: "name"` where the key looks like it meant `subagent_type`.
#: The key sits right against its `=` or `:` (an argument, not `subagent = x` in code).
_AGENT_KEY = WordGated(
    LazyPattern(
        r"(?<![\w-])(?P<key>sub[-_]?agent(?:[-_]?\w{1,6})?|subagnet[-_]?type|sub_?agent_?tpye"
        r"|subagent_?ytpe)(?:=|:)\s*"
        r"(?P<q>[\"'`])(?P<agent>[A-Za-z0-9_][\w.:/@+-]{0,80})(?P=q)",
        re.IGNORECASE,
    ),
    ("sub",),  # every spelling it knows starts so
)
KEYWORD = "subagent_type"


class Misspelt(NamedTuple):
    agent: str
    agent_span: Span
    written: str
    key_span: Span


def misspelt_agent_keys(passage: Passage) -> list[Misspelt]:
    """Invocations whose `subagent_type` keyword is misspelt, with the agent they name."""
    found: list[Misspelt] = []
    for match in _AGENT_KEY.finditer(passage.text):
        written = match["key"]
        if written == KEYWORD:
            continue
        if written.lower() != "subagent" and near_miss(written, (KEYWORD,)) is None:
            continue
        if match.group(0)[len(written)] == ":" and not _starts_a_field(passage.text, match):
            continue  # "Codex refuses to open a seventh subagent: `agents.max_threads` …"
        found.append(
            Misspelt(
                agent=match["agent"],
                agent_span=passage.span(*match.span("agent")),
                written=written,
                key_span=passage.span(*match.span("key")),
            )
        )
    return found


def _starts_a_field(text: str, match: re.Match[str]) -> bool:
    """Is the key of `match` written as a field: first on its line (after a list marker or
    a quote), or after the `(`, `{` or `,` of a call or an object?"""
    before = before_on_line(text, match.start()).rstrip(" \t\"'`")
    return not before.strip(" \t>*+-") or before.endswith(("(", "{", ","))


def misspelt_keyword(written: str, intended: str, span: Span, what: str) -> ParseDiagnostic:
    return ParseDiagnostic(
        code="WF111",
        message=f"'{written}' is not a keyword drillbook knows; did you mean '{intended}'? "
        f"The {what} was kept as if it were spelt right — fix the spelling so every tool "
        "reads it",
        span=span,
        replacement=match_case(written, intended),
    )


#: A heading that starts with a word and a number: `Phsae 2: Deploy`, `Setp 3 — Verify`.
HEADING_KEYWORD = LazyPattern(r"^(?P<word>[A-Za-z]{3,8})(?P<rest>\s+\d.*)$")

HEADING_KEYWORDS = ("phase", "step", "stage")
#: Words one slip away from a keyword that are words of their own ("Stop 2", "State 3").
_REAL_WORDS = frozenset(
    {"stop", "stem", "stay", "star", "shape", "stake", "state", "stale", "stack", "sage"}
)


def heading_keyword(text: str) -> tuple[str, str] | None:
    """(misspelt word, intended keyword) when a heading's first word is a near miss of
    Phase/Step/Stage followed by a number."""
    match = HEADING_KEYWORD.match(text)
    if not match:
        return None
    word = match["word"]
    if word.lower() in HEADING_KEYWORDS or word.lower() in _REAL_WORDS:
        return None
    intended = near_miss(word.lower(), HEADING_KEYWORDS)
    return (word, intended) if intended else None
