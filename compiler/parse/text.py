"""Multi-line text with positions: regexes run over joined text, matches map back to spans.

`Passage` joins `TextLine`s with "\n"; `Passage.span(start, end)` turns offsets in the
joined string into a span in the original file. Prompts, Task blocks and calls that run over
several lines are matched this way, so a reference deep inside a prompt lands on its column.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from compiler.model import Span, make_span
from compiler.parse.elements import TextLine, computed_once


@dataclass(frozen=True, init=False)
class Passage:
    """Text lines read as one string, whose offsets map back to the lines they came from."""

    lines: tuple[TextLine, ...]

    def __init__(self, lines: tuple[TextLine, ...]) -> None:
        self.__dict__["lines"] = lines  # as TextLine.__init__ does, for the same reason

    @classmethod
    def of(cls, lines: Iterable[TextLine]) -> Passage:
        return cls(tuple(lines))

    # Computed once per passage (the passage is immutable): the recogniser reads a
    # passage's text, and maps offsets in it back to lines, many times over.
    @computed_once
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @computed_once
    def _line_starts(self) -> list[int]:
        starts: list[int] = []
        offset = 0
        for line in self.lines:
            starts.append(offset)
            offset += len(line.text) + 1
        return starts

    def locate(self, offset: int) -> tuple[TextLine, int]:
        """The line holding joined-text `offset`, and the offset within that line."""
        starts = self._line_starts
        index = max(0, bisect.bisect_right(starts, offset) - 1)
        return self.lines[index], offset - starts[index]

    def span(self, start: int, end: int) -> Span:
        """Span of joined-text [start, end) in the original file."""
        first, first_offset = self.locate(start)
        last, last_offset = self.locate(max(start, end - 1))
        return make_span(
            first.line,
            first.column + first_offset,
            last.line,
            last.column + last_offset + (1 if end > start else 0),
        )

    def slice(self, start: int, end: int) -> Passage:
        """The sub-passage covering joined-text [start, end), cut at line boundaries."""
        starts = self._line_starts
        pieces: list[TextLine] = []
        for line, line_start in zip(self.lines, starts, strict=True):
            line_end = line_start + len(line.text)
            lo, hi = max(start, line_start), min(end, line_end)
            if lo > hi or (lo == hi and line.text):
                continue
            pieces.append(
                TextLine(
                    line.text[lo - line_start : hi - line_start],
                    line.line,
                    line.column + lo - line_start,
                )
            )
        return Passage(tuple(pieces))


def before_on_line(text: str, position: int) -> str:
    """What `text` holds on the line of `position`, before it (a list marker, a key…)."""
    return text[text.rfind("\n", 0, position) + 1 : position]


def trimmed(lines: Sequence[TextLine]) -> tuple[TextLine, ...]:
    """Lines with surrounding blank lines removed and each line's outer blanks cut."""
    out = [cut_line(line) for line in lines]
    while out and not out[0].text:
        out.pop(0)
    while out and not out[-1].text:
        out.pop()
    return tuple(out)


def cut_line(line: TextLine, start: int = 0, end: int | None = None) -> TextLine:
    """`line.text[start:end]` with outer whitespace removed, keeping its position exact."""
    stop = len(line.text) if end is None else end
    piece = line.text[start:stop]
    lead = len(piece) - len(piece.lstrip())
    return TextLine(piece.strip(), line.line, line.column + start + lead)
