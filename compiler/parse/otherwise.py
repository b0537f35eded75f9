"""Both arms of a condition in one block: "If the review passes, launch the `tester` agent.
Otherwise, send the findings back to the `implementer` agent." is read as two sibling blocks,
the case and the other one, so the decision shows both paths and each launch sits in its own
path (not both in the first)."""

from __future__ import annotations

import re
from dataclasses import replace

from compiler.parse.elements import Element, TextLine
from compiler.parse.languages import words
from compiler.regex import LazyPattern


def _alternation(role: str, leave_out: tuple[str, ...]) -> str:
    """One column of the language table as alternatives, each a whole word (a word in a
    script written without spaces needs no end)."""
    return "|".join(
        re.escape(word).replace(r"\ ", r"\s+") + (r"(?![^\W\d_])" if word.isascii() else "")
        for word in words(role)
        if word not in leave_out
    )


#: The words that open a case, at the start of a block (after a list marker or bold);
#: "場合" and "경우" close a Japanese or Korean condition instead.
_CASE_LEAD = LazyPattern(
    r"^\W{0,4}(?:" + _alternation("condition", ("場合", "경우")) + ")", re.IGNORECASE
)
#: A later sentence of the block that opens the other case: "… . Otherwise, …",
#: "…; else …", "… 。否则…".
_OTHER_CASE = LazyPattern(
    r"(?:(?<=[.;!?])[ \t]+|(?<=[。；！？])[ \t]*)(?=(?:\*\*|__)?(?:"
    # ("Default settings are fine.": no case)
    + _alternation("otherwise", ("default",))
    + "))",
    re.IGNORECASE,
)


def split_otherwise(elements: list[Element]) -> list[Element]:
    """`elements` with each item or paragraph that opens a case and, in a later sentence,
    the other one cut in two at that sentence."""
    out: list[Element] = []
    for element in elements:
        out.extend(_split(element))
    return out


def _split(element: Element) -> list[Element]:
    if element.kind not in ("item", "paragraph") or element.quoted or not element.lines:
        return [element]
    text = element.text
    if not _CASE_LEAD.match(text):
        return [element]
    other = _OTHER_CASE.search(text)
    if other is None:
        return [element]
    # (offsets in the joined text: each line and the "\n" after it)
    at = other.end()
    first: list[TextLine] = []
    second: list[TextLine] = []
    offset = 0
    for line in element.lines:
        end = offset + len(line.text)
        if end <= at:
            first.append(line)
        elif offset >= at:
            second.append(line)
        else:
            cut = at - offset
            head = line.text[:cut].rstrip()
            if head:
                first.append(TextLine(head, line.line, line.column))
            second.append(TextLine(line.text[cut:], line.line, line.column + cut))
        offset = end + 1
    if not first or not second:
        return [element]
    # the other case: a sibling of the first, as the next item of the same list would be
    return [replace(element, lines=tuple(first)), replace(element, lines=tuple(second))]
