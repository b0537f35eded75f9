"""Front matter made only of `key: word or number` lines, read without PyYAML.

Most front matter is a docs site's (`sidebar_position: 3`, `title: Incident Response`).
Importing PyYAML and compiling its scanner's patterns cost ~15 ms of a cold `drillbook lint`
(issue 10), about 5% of it, to read values like these. Any other shape (quotes, flow or block
collections, comments, a colon or `#` in a value, a word YAML reads as a bool or null, a
number it reads as octal, float or time) returns None, and the caller hands the text to
`yaml.safe_load`: the result is always what the safe loader makes of the text
(tests/test_front_matter.py compares the two).
"""

from __future__ import annotations

from compiler.regex import LazyPattern

#: A key and a value of either kind; the value ends at the end of the line, so no comment,
#: trailing blank or second `: ` can hide in it.
_LINE = LazyPattern(
    r"(?P<key>[A-Za-z_][A-Za-z0-9_-]*): +"
    r"(?:(?P<int>0|[1-9][0-9]*)|(?P<text>[A-Za-z](?:[A-Za-z0-9 .,_/()'+&-]*[A-Za-z0-9.)'])?))"
)
#: Plain words YAML 1.1 reads as something other than a string (yes/no/on/off are booleans
#: there), in any letter case: such a key or value goes to the YAML loader.
_NOT_A_STRING = frozenset({"yes", "no", "y", "n", "true", "false", "on", "off", "null"})


def simple_mapping(text: str) -> dict[str, str | int] | None:
    """`text` read as YAML when every line is `key: value` with a plain word or a decimal
    number for a value (blank lines allowed); None when it holds anything else."""
    data: dict[str, str | int] = {}
    for line in text.split("\n"):
        if not line:
            continue
        match = _LINE.fullmatch(line)
        if match is None or match["key"].lower() in _NOT_A_STRING:
            return None
        if match["int"] is not None:
            data[match["key"]] = int(match["int"])
        elif match["text"].lower() in _NOT_A_STRING:
            return None
        else:
            data[match["key"]] = match["text"]
    return data
