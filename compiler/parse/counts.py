"""Counting what a document says it launches: the number of agents a sentence launches
("Spawn three extractor subagents", "Launch 4 parallel Task agents") and the number of
items of the list written under it. Where the two agree, each item is one of the agents."""

from __future__ import annotations

import re
from collections.abc import Sequence

from compiler.parse.elements import Element
from compiler.regex import LazyPattern

_NUMBERS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

#: A launch verb, then (in the same clause) a number of agents: "Spawn three
#: business-rules-extractor subagents", "Dispatch all 5 code reviewers", "Deploying 6
#: tech-writer instances". Up to three words may qualify the agents between the two.
_COUNTED_LAUNCH = LazyPattern(
    r"\b(?:spawn|launch|dispatch|run|start|deploy|invoke|kick\s+off)\w*\b[^.:;\n]{0,40}?"
    r"(?<![\w-])(?P<n>two|three|four|five|six|seven|eight|nine|ten|[2-9]|10)\s+"
    r"(?:[\w:`-]+\s+){0,3}?"
    r"(?:sub-?agents|agents|instances|reviewers|researchers|workers|teammates|explorers)\b",
    re.IGNORECASE,
)
#: Words before a number that make it a bound, not a count ("up to 3 agents").
_BOUND = LazyPattern(
    r"\b(?:up\s+to|at\s+most|max(?:imum)?|no\s+more\s+than|between|or)\s*$", re.IGNORECASE
)


def launch_count(text: str) -> int | None:
    """How many agents the first sentence of `text` that launches a number of them
    launches, if one does (bold and code markup aside)."""
    plain = text.replace("**", "").replace("__", "")
    match = _COUNTED_LAUNCH.search(plain)
    if match is None or _BOUND.search(plain, 0, match.start("n")):
        return None
    number = match["n"].lower()
    return _NUMBERS.get(number) or int(number)


def counted_list(elements: Sequence[Element], start: int) -> tuple[int, int]:
    """The list starting at `elements[start]`: how many items it has (0 when no list
    starts there), its first-level items, not what is nested in them, and the last line
    it covers. A list ends where its kind of marker changes, as in CommonMark."""
    if start >= len(elements):
        return 0, 0
    first = elements[start]
    if first.kind != "item" or not first.first_in_item:
        return 0, 0
    count, last = 0, first.span.end_line
    for element in elements[start:]:
        if element.kind != "item" or element.depth < first.depth:
            break
        if element.depth == first.depth and element.first_in_item:
            if _marker_kind(element.marker) != _marker_kind(first.marker):
                break
            count += 1
        last = element.span.end_line
    return count, last


def _marker_kind(marker: str) -> str:
    """`-`, `*`, `+`, or `1.` / `1)` as `.` / `)`: a list keeps one kind of marker."""
    return marker[-1:] if re.match(r"\d", marker) else marker[:1]
