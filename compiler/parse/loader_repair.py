"""Front matter as the skill and agent loaders read it when YAML rejects it.

Claude Code's reader, on a block YAML rejects, double-quotes every top-level `key: value` line
whose value is not quoted and holds a character YAML gives a meaning, and tries again; Codex
reads its prompts' front matter line by line. So `argument-hint: [path] [count]` or
`description: Use when …: plan` is read as its author meant by the tools the file is written
for, and only strict YAML readers (validators, docs sites) reject it. WF100 reports such a
block as an info with a fix that quotes the lines that need it, and drillbook reads it as
those loaders do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from compiler.regex import LazyPattern

#: The repair Claude Code's front matter reader makes before its second try: every top-level
#: `key: value` line whose value is not quoted and holds a character YAML gives a meaning
#: (`argument-hint: [path] [count]`, `description: Use when …: plan`, `paths: **/*.{ts,tsx}`)
#: is read as the double-quoted string its author meant.
_LOADER_LINE = LazyPattern(r"^(?P<key>[a-zA-Z_-]+):\s+(?P<value>.+)$")
_YAML_SPECIAL = LazyPattern(r"[{}\[\]*&#!|>%@`]|: ")


@dataclass(frozen=True)
class Quoted:
    index: int  # the line's index in the front matter
    key: str
    value: str
    quoted: str


def _quotable(lines: list[str]) -> dict[int, Quoted]:
    """The lines Claude Code's reader quotes on its second try, by index, where that reads
    them as meant."""
    found_lines = {}
    for index, line in enumerate(lines):
        found = _LOADER_LINE.match(line)
        if found is None:
            continue
        key, value = found["key"], found["value"]
        if (value[0] in "\"'" and value.endswith(value[0])) or not _YAML_SPECIAL.search(value):
            continue
        if value.count("[") != value.count("]") or value.count("{") != value.count("}"):
            continue  # `tags: [build, ship`: the loader reads text where a list was meant
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        found_lines[index] = Quoted(index, key, value, quoted)
    return found_lines


def _parsed(lines: list[str], quoting: Iterable[Quoted]) -> Any:
    """The front matter read by YAML with those values quoted (raises YAMLError)."""
    import yaml

    lines = list(lines)
    for q in quoting:
        lines[q.index] = f"{q.key}: {q.quoted}"
    return yaml.safe_load("\n".join(lines))


def repairs(text: str) -> tuple[dict[str, Any], list[tuple[Quoted, str]]] | None:
    """How the loaders read a front matter that YAML rejects: what it holds once the lines
    that need them have their quotes (or, failing that, every special value has them, as
    Claude Code's reader quotes them), and each line that needs its quotes with what YAML
    says of it unquoted (empty when no line alone is the cause). None when even quoted it
    does not parse: no loader reads it as meant."""
    import yaml

    lines = text.split("\n")
    quotable = _quotable(lines)
    try:
        data = _parsed(lines, quotable.values())
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    # The fewest quotes that make it parse: quote where YAML gives up, while it gives up on
    # a line the loader would quote. A valid `tools: [Read, Grep]` beside it is left alone.
    needed: list[tuple[Quoted, str]] = []
    while True:
        try:
            fewest = _parsed(lines, [q for q, _ in needed])
            return (fewest if isinstance(fewest, dict) else data), needed
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            culprit = quotable.get(mark.line) if mark is not None else None
            if culprit is None or any(q is culprit for q, _ in needed):
                return data, []
            needed.append((culprit, str(getattr(exc, "problem", exc))))


#: What YAML makes of a value's first character, where it is one of its marks.
_STARTS = {
    "[": "the start of a list",
    "{": "the start of a mapping",
    "*": "an alias",
    "&": "an anchor",
    "!": "a tag",
    "|": "a block of text",
    ">": "a folded block of text",
    "%": "a directive",
    "@": "a reserved character",
    "`": "a reserved character",
}


def what_yaml_reads(value: str) -> str:
    """Why YAML does not read `value` as plain text, in the words of its first special mark."""
    if ": " in value:
        return "YAML reads the ': ' in it as a new key"
    if value[0] in _STARTS:
        return f"YAML reads the '{value[0]}' it starts with as {_STARTS[value[0]]}"
    if " #" in value:
        return "YAML reads what follows ' #' as a comment"
    mark = _YAML_SPECIAL.search(value)
    return f"YAML gives the '{mark.group() if mark else value[0]}' in it a meaning of its own"
