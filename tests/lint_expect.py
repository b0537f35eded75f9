"""Reading `<!-- expect: WFxxx -->` markers from lint fixtures (tests/fixtures/lint/README.md)."""

from __future__ import annotations

import re
from collections import Counter

_MARKER = re.compile(
    r"(?:<!--\s*expect(?P<offset>\+\d+)?:\s*(?P<codes>[A-Z0-9, ]+?)\s*-->"
    r"|\s#\s*expect:\s*(?P<yaml>[A-Z0-9, ]+?)\s*$)"
)


def expected_findings(text: str) -> Counter[tuple[int, str]]:
    """(line, code) pairs the fixture's markers ask for, with multiplicity."""
    lines = text.split("\n")
    wanted: Counter[tuple[int, str]] = Counter()
    for number, line in enumerate(lines, start=1):
        for match in _MARKER.finditer(line):
            codes = match.group("codes") or match.group("yaml")
            if match.group("offset"):
                target = number + int(match.group("offset"))
            elif line[: match.start()].strip():
                target = number
            else:
                target = _next_content_line(lines, number)
            for code in re.split(r"[\s,]+", codes.strip()):
                wanted[(target, code)] += 1
    return wanted


def _next_content_line(lines: list[str], after: int) -> int:
    for number in range(after + 1, len(lines) + 1):
        if lines[number - 1].strip() and not _MARKER.fullmatch(lines[number - 1].strip()):
            return number
    return after + 1
