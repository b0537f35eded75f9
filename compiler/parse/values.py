"""Reading field values: item lists, prompt references, files and variables, each with its span."""

from __future__ import annotations

import re
from collections.abc import Iterator

from compiler.model import Item, ItemKind, Reference, RefKind
from compiler.parse import patterns as p
from compiler.parse.elements import TextLine
from compiler.parse.text import Passage, cut_line
from compiler.regex import LazyPattern

_QUOTES = "\"'“”‘’`「」『』„«»‹›"


def unquote(line: TextLine) -> TextLine:
    """Drop one pair of surrounding quotes (and a trailing period after them)."""
    text = line.text.rstrip()
    if text.endswith(".") and len(text) > 1 and text[-2] in _QUOTES:
        text = text[:-1]
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        return _inner(TextLine(text[1:-1], line.line, line.column + 1))
    if text and text[0] in _QUOTES and text.count(text[0]) == 1:
        return _inner(TextLine(text[1:], line.line, line.column + 1))
    return line if text == line.text else TextLine(text, line.line, line.column)


def _inner(line: TextLine) -> TextLine:
    """French quotes hold (non-breaking) spaces inside: « texte »."""
    return cut_line(line)


def split_list(line: TextLine) -> Iterator[TextLine]:
    """Comma/semicolon separated parts of a value, ignoring separators inside brackets. (A
    part left open by a bracket that never closes is dropped.)"""
    depth = 0
    start = 0
    text = line.text
    # from bracket to separator: the characters between them cannot change anything
    for sign in _LIST_SIGN.finditer(text):
        char = sign.group()
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif depth == 0:
            yield from _list_part(line, start, sign.start())
            start = sign.end()
    if depth == 0:
        yield from _list_part(line, start, len(text))


#: Brackets, and the separators of a list: commas, semicolons, and " + " ("`context.md` +
#: `blueprint.md` + language guide path").
_LIST_SIGN = LazyPattern(r"[(\[{)\]},;、，；]|(?<=\S)\s\+\s(?=\S)")


def _list_part(line: TextLine, start: int, end: int) -> Iterator[TextLine]:
    part = _drop_trailing_period(_drop_leading_and(cut_line(line, start, end)))
    if part.text:
        yield part


def _drop_leading_and(part: TextLine) -> TextLine:
    match = _LEADING_AND.match(part.text)
    if match:
        return cut_line(part, match.end())
    return part


_LEADING_AND = LazyPattern(r"(?:and|or|&)\s+", re.IGNORECASE)


def _drop_trailing_period(part: TextLine) -> TextLine:
    if not part.text.endswith("."):
        return part  # most parts: no new line to make
    return TextLine(part.text.rstrip("."), part.line, part.column)


def items_of(lines: list[TextLine], kind: ItemKind) -> list[Item]:
    """Produced items from a value such as `Output: a, b, c` (one or more lines)."""
    found: list[Item] = []
    for line in lines:
        for part in split_list(line):
            name = _item_name(part)
            if name.text:
                found.append(Item(name=name.text, kind=kind, span=name.span()))
    return found


def _item_name(part: TextLine) -> TextLine:
    """The name of a listed item without markup or a trailing explanation after a dash/colon."""
    text = part.text
    stripped = text.strip("*_`")
    if stripped == text:
        piece = part  # no markup around the name (most items)
    else:
        lead = text.find(stripped) if stripped else 0
        piece = TextLine(stripped, part.line, part.column + lead)
    for sep in (" - ", " — ", " – ", ": "):
        cut = piece.text.find(sep)
        if cut > 0:
            piece = cut_line(piece, 0, cut)
    return unquote(piece)


def references_of(lines: list[TextLine], kind: RefKind) -> list[Reference]:
    """Consumed references from a value such as `Input: a, b` or `Context: x from step 1`."""
    found: list[Reference] = []
    for line in lines:
        for part in split_list(line):
            name = _item_name(part)
            if name.text:
                found.append(Reference(text=name.text, kind=kind, span=name.span()))
    return found


def prompt_references(passage: Passage) -> list[Reference]:
    """Every reference inside a prompt: `[a, b]` items, inserted files, variables, templates."""
    found: list[Reference] = []
    text = passage.text
    # each form has its sign ([ ], $, { }, @): a prompt without one is not scanned for it
    if "[" in text:
        found.extend(_bracketed(passage))
    if "$" in text:
        found.extend(
            Reference(text="$" + match["name"], kind="variable", span=passage.span(*match.span()))
            for match in p.VARIABLE.finditer(text)
        )
    if "{" in text:
        found.extend(
            Reference(text=match["name"], kind="template", span=passage.span(*match.span("name")))
            for match in p.TEMPLATE.finditer(text)
        )
    if "@" in text:
        found.extend(
            Reference(text=match["path"], kind="file", span=passage.span(*match.span("path")))
            for match in p.AT_INCLUDE.finditer(text)
        )
    found.sort(key=lambda ref: (ref.span.line, ref.span.column))
    return found


def _bracketed(passage: Passage) -> list[Reference]:
    """`[Insert contents of x.md]` files and `[a, b]` items."""
    found: list[Reference] = []
    text = passage.text
    for match in p.INSERT_FILE.finditer(text):
        start, end = match.span("path")
        found.append(Reference(text=match["path"], kind="file", span=passage.span(start, end)))
    for match in p.BRACKET.finditer(text):
        body = match["body"]
        if (
            p.NOT_A_REFERENCE.match(body)
            or p.CAPITALISED_PLACEHOLDER.match(body)
            or p.INSERT_FILE.match(match.group(0))
        ):
            continue
        offset = match.start("body")
        # Parse the body as a line anchored at column 0 so part.column is its offset.
        for part in split_list(TextLine(body, 0, 0)):
            start = offset + part.column
            if _looks_like_reference(part.text):
                span = passage.span(start, start + len(part.text))
                found.append(Reference(text=part.text, kind="bracket", span=span))
    return found


def _looks_like_reference(text: str) -> bool:
    """Bracketed prose that names earlier work ("incident classification"), not code or a
    placeholder such as `[ ]`, `[1]`, `[TODO]` or a sentence. `[$VAR]` is read once, as the
    variable."""
    if not _LETTER.search(text) or len(text) > 80 or p.VARIABLE.fullmatch(text):
        return False
    if p.NOT_A_REFERENCE.match(text) or p.CAPITALISED_PLACEHOLDER.match(text):
        return False
    if _TEMPLATE_VARIABLE.fullmatch(text):
        return False  # `[implementationFiles]`, `[plan_path]`: a template variable
    if _QUOTED_STRINGS.fullmatch(text):
        return False  # `['search', 'usages']`: a list of strings in code, not a reference
    return not _CODE_SIGN.search(text)


# (compiled once: a prompt's brackets are read one by one, many per document)
_LETTER = LazyPattern(r"[^\W\d_]")
_TEMPLATE_VARIABLE = LazyPattern(r"[a-z]+(?:[A-Z][a-z0-9]*)+|[a-z0-9]+(?:_[a-z0-9]+)+")
_QUOTED_STRINGS = LazyPattern(r"\s*(['\"`]).*\1\s*")
_CODE_SIGN = LazyPattern(r"[=<>{}()|\\/]|https?:")


def _path_group(match: re.Match[str]) -> str:
    """Which named group of a file pattern matched (backticked, bare, flag or call)."""
    return next(g for g, v in match.groupdict().items() if v is not None)


def _scannable(text: str) -> str:
    """`text` with string escapes (`\\n`, `\\t`) blanked, same length: in a prompt written as
    one string literal, "…\\n\\nWrite your verdict to x.md" starts a sentence."""
    return text.replace("\\n", "  ").replace("\\t", "  ")


#: What every path the file patterns accept has: a dot and an extension letter. Text
#: without one holds no path (case-insensitive, as the patterns are).
HAS_EXTENSION = LazyPattern(r"\.[A-Za-z0-9]", re.IGNORECASE)


def file_saves(passage: Passage, brief: bool = False) -> list[Item]:
    """Files `passage` says are saved; `brief`: it is an agent's brief, whose "write x.md"
    is that agent's."""
    found: list[Item] = []
    if not HAS_EXTENSION.search(passage.text):
        return found
    text = _scannable(passage.text)
    patterns = (p.SAVE_FILE, p.CREATE_FILE, p.WRITE_FILE) if brief else (p.SAVE_FILE, p.CREATE_FILE)
    for pattern in patterns:
        for match in pattern.finditer(text):
            group = _path_group(match)
            span = passage.span(*match.span(group))
            found.append(Item(name=match[group], kind="file", span=span))
            for more in _more_paths(text, match.end()):
                found.append(
                    Item(name=more["path"], kind="file", span=passage.span(*more.span("path")))
                )
    return sorted(found, key=lambda item: (item.span.line, item.span.column))


_LISTED_PATH = LazyPattern(r"(?<![\w/.])(?P<path>" + p.FILE_PATH + r")")


def listed_files(passage: Passage) -> list[Reference]:
    """Paths listed one a line (inside `<files_to_read>`), tags left out."""
    found: list[Reference] = []
    for line in passage.lines:
        text = re.sub(r"</?files_to_read>", lambda m: " " * len(m.group(0)), line.text)
        for match in _LISTED_PATH.finditer(text):
            found.append(
                Reference(text=match["path"], kind="file", span=line.span(*match.span("path")))
            )
    return found


def file_reads(passage: Passage) -> list[Reference]:
    found: list[Reference] = []
    if not HAS_EXTENSION.search(passage.text):
        return found
    text = _scannable(passage.text)
    for match in p.READ_FILE.finditer(text):
        group = _path_group(match)
        found.append(
            Reference(text=match[group], kind="file", span=passage.span(*match.span(group)))
        )
        for more in _more_paths(text, match.end()):
            found.append(
                Reference(text=more["path"], kind="file", span=passage.span(*more.span("path")))
            )
    return found


def _more_paths(text: str, position: int) -> Iterator[re.Match[str]]:
    """The backticked paths joined on after one a pattern matched, ending at `position`."""
    while (more := p.MORE_FILE.match(text, position)) is not None:
        yield more
        position = more.end()
