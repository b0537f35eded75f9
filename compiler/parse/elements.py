"""Markdown → a flat list of block elements whose every text line knows where it came from.

markdown-it gives us the block structure (headings, lists, fences, HTML) and `token.map`
line ranges; this module turns that into `Element`s made of `TextLine`s. A `TextLine`
records the original file line and the column where its text starts, so any match inside
the text becomes an exact span with `TextLine.span(start, end)`: this is the one place
spans are made.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Generic, Literal, NamedTuple, TypeVar, overload

from markdown_it import MarkdownIt
from markdown_it.common.html_blocks import block_names
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from compiler.model import Span, make_span
from compiler.regex import LazyPattern

if TYPE_CHECKING:
    from compiler.parse.text import Passage

_T = TypeVar("_T")


class computed_once(Generic[_T]):
    """`functools.cached_property` without its lock: Python 3.11 takes an RLock on every
    first read, which cost more than computing a passage's text. The objects here are
    immutable and read by one thread, so a value computed twice would be the same value."""

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self._compute = compute
        self._name = compute.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> computed_once[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        # stored in the instance's dict, which shadows this (non-data) descriptor from now on
        value = instance.__dict__[self._name] = self._compute(instance)
        return value


ElementKind = Literal["heading", "paragraph", "item", "fence", "html", "rule", "front_matter"]


@dataclass(frozen=True, init=False)
class TextLine:
    """One line of text as the parser sees it, anchored in the original file."""

    text: str
    line: int  # 1-based line in the original file
    column: int  # 1-based column of text[0] in the original file

    def __init__(self, text: str, line: int, column: int) -> None:
        # Into the instance's dict: the frozen dataclass's own __init__ sets each field
        # through object.__setattr__, at nearly twice the cost, and the parser makes a
        # TextLine for every line and every piece of one it reads.
        fields = self.__dict__
        fields["text"] = text
        fields["line"] = line
        fields["column"] = column

    def span(self, start: int = 0, end: int | None = None) -> Span:
        """Span of text[start:end] in the original file."""
        stop = len(self.text) if end is None else end
        return make_span(self.line, self.column + start, self.line, self.column + stop)

    @computed_once  # the recognisers read most lines on their own, several times each
    def passage(self) -> Passage:
        """This line as a one-line passage."""
        from compiler.parse.text import Passage  # text builds on this module

        # Of a copy of the line: a passage holding the line that holds it would be a
        # reference cycle, which only the cyclic collector frees (some 90,000 objects over
        # the corpora, each one traversed by it until then); the copy is equal to the line.
        return Passage((TextLine(self.text, self.line, self.column),))


def span_between(first: TextLine, last: TextLine, start: int = 0, end: int | None = None) -> Span:
    """Span from `first.text[start]` to `last.text[end]` (exclusive)."""
    stop = len(last.text) if end is None else end
    return make_span(first.line, first.column + start, last.line, last.column + stop)


def lines_span(lines: Sequence[TextLine]) -> Span:
    """Span covering whole text lines."""
    return span_between(lines[0], lines[-1])


@dataclass(frozen=True, init=False)
class Element:
    """One Markdown block (heading, paragraph, list item, fence, HTML, rule, front matter)."""

    kind: ElementKind
    lines: tuple[TextLine, ...]
    level: int = 0  # heading level
    depth: int = 0  # list nesting depth (1 for a top-level list item)
    marker: str = ""  # list marker ("-", "1.") or fence info
    first_in_item: bool = False  # the first paragraph of a list item
    closed: bool = True  # fences: whether a closing fence was found
    open_line: TextLine | None = None  # fences: the opening ```info line
    quoted: bool = False  # paragraphs and items: written in a blockquote (`> …`)

    def __init__(
        self,
        kind: ElementKind,
        lines: tuple[TextLine, ...],
        level: int = 0,
        depth: int = 0,
        marker: str = "",
        first_in_item: bool = False,
        closed: bool = True,
        open_line: TextLine | None = None,
        quoted: bool = False,
    ) -> None:
        # into the instance's dict at once, as TextLine.__init__ does, for the same reason
        self.__dict__.update(
            kind=kind,
            lines=lines,
            level=level,
            depth=depth,
            marker=marker,
            first_in_item=first_in_item,
            closed=closed,
            open_line=open_line,
            quoted=quoted,
        )

    @computed_once  # the element is immutable; its text is read again and again
    def text(self) -> str:
        # the passage's text: both are read of nearly every element, and joined once they
        # are one string (whose hash the caches keyed by text then work out once)
        return self.passage.text

    @computed_once  # every recogniser reads the element's passage: its text joined once
    def passage(self) -> Passage:
        from compiler.parse.text import Passage  # text builds on this module

        return Passage(self.lines)

    @computed_once  # read for most elements more than once
    def span(self) -> Span:
        if self.open_line is not None:
            first = self.open_line
            last = self.lines[-1] if self.lines else first
            return span_between(first, last)
        return lines_span(self.lines)

    @property
    def first_line(self) -> int:
        return self.open_line.line if self.open_line is not None else self.lines[0].line

    @property
    def last_line(self) -> int:
        return self.lines[-1].line if self.lines else self.first_line


class View(NamedTuple):
    """A window onto the original file: the text handed to markdown-it plus, per line, the
    original line number and how many leading characters were cut off (embedded workflows
    inside an indented fence)."""

    lines: tuple[str, ...]
    origin_lines: tuple[int, ...]
    cut: tuple[int, ...]

    @classmethod
    def whole(cls, text: str) -> View:
        lines = tuple(repair_nested_fences(text.split("\n")))
        return cls(lines, tuple(range(1, len(lines) + 1)), (0,) * len(lines))

    def sub(self, first: int, last: int, indent: int) -> View:
        """Lines `first..last` (0-based, inclusive) of this view, dedented by up to `indent`."""
        lines: list[str] = []
        cuts: list[int] = []
        for index in range(first, last + 1):
            raw = self.lines[index]
            width = len(raw) - len(raw.lstrip(" "))
            cut = min(width, indent)
            lines.append(raw[cut:])
            cuts.append(self.cut[index] + cut)
        return View(tuple(lines), self.origin_lines[first : last + 1], tuple(cuts))

    def text_line(self, index: int, text: str) -> TextLine:
        """Anchor `text`, which is (a suffix of) line `index` of this view, in the file."""
        if 0 <= index < len(self.lines):  # always, but for a token mapped past the end
            raw = self.lines[index]
            # a whole line (most lines of a fence) starts where the line does
            offset = 0 if raw == text else _offset(raw, text)
            return TextLine(text, self.origin_lines[index], self.cut[index] + offset + 1)
        return TextLine(
            text, self.origin_lines_at(index), self.cut_at(index) + _offset("", text) + 1
        )

    def origin_lines_at(self, index: int) -> int:
        if 0 <= index < len(self.origin_lines):
            return self.origin_lines[index]
        return self.origin_lines[-1] if self.origin_lines else 1

    def cut_at(self, index: int) -> int:
        return self.cut[index] if 0 <= index < len(self.cut) else 0


_FENCE_LINE = LazyPattern(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def repair_nested_fences(lines: list[str]) -> list[str]:
    """Authors nest an indented ```` ```bash ```` … ```` ``` ```` pair inside a prompt fence. In
    CommonMark the inner bare ```` ``` ```` closes the *outer* fence and every later fence flips
    open/closed, swallowing whole phases. An indented opener with an info string inside an
    open fence is taken as nested: its marker lines become tildes (same length, so every
    column stays exact) and the outer fence closes where the author meant."""
    out = list(lines)
    outer: tuple[str, int, int] | None = None  # (char, length, indent)
    nested = False
    for index, line in enumerate(lines):
        if "```" not in line and "~~~" not in line:
            continue  # most lines: no fence line (two substring tests cost less than a match)
        match = _FENCE_LINE.match(line)
        if outer is None:
            if match and not (match["fence"][0] == "`" and "`" in match["info"]):
                outer = (match["fence"][0], len(match["fence"]), len(match["indent"]))
            continue
        if not match or match["fence"][0] != outer[0] or len(match["fence"]) < outer[1]:
            continue
        info = match["info"].strip()
        indent = len(match["indent"])
        if nested:
            if not info:
                out[index] = _tildes(line, match)
                nested = False
            continue
        if info and indent > outer[2]:
            out[index] = _tildes(line, match)
            nested = True
        elif not info and indent <= outer[2] + 3:
            outer = None
    return out


def _tildes(line: str, match: re.Match[str]) -> str:
    start, end = match.span("fence")
    return line[:start] + "~" * (end - start) + line[end:]


def _offset(raw: str, text: str) -> int:
    """Where `text` starts inside `raw`: markdown-it strips markers and indentation from the
    left (and some trailing blanks), so the text is normally a suffix of the raw line."""
    if not text:
        return len(raw) - len(raw.lstrip())
    body = raw.rstrip()
    needle = text.rstrip()
    if needle and body.endswith(needle):
        return len(body) - len(needle)
    found = raw.find(text.strip())
    return found if found >= 0 else 0


@lru_cache(maxsize=64)
def _markdown(
    front_matter: bool, normalize: bool, setext: bool, absent: tuple[str, ...] = ()
) -> MarkdownIt:
    md = MarkdownIt("commonmark")
    if front_matter:
        md.use(front_matter_plugin)
    # Only block structure and each block's raw text are used: skipping inline parsing
    # (emphasis, links…) roughly halves the time markdown-it takes.
    md.core.ruler.disable(["inline", "text_join"])
    if not normalize:
        # markdown-it's first step rewrites the whole text to turn CR line endings and NUL
        # characters into what it parses; a text holding neither comes out of it unchanged.
        md.core.ruler.disable("normalize")
    if not setext:
        # The setext heading rule is tried at every paragraph, looking down all its lines
        # for an underline (as the paragraph rule then does again, for what ends it); in a
        # text without one it fails every time, and has no other effect.
        md.block.ruler.disable("lheading")
    if absent:
        md.block.ruler.disable(list(absent))
    return md


#: Block rules that match nothing in a text without their sign: a rule is tried at the start
#: of every block (and again where a paragraph or list may end), and fails at once there;
#: in a text without its sign it fails everywhere, and leaving it out changes no token.
#: (An indented code block needs a line indented by four columns: four spaces or a tab.)
_RULE_SIGNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("blockquote", (">",)),
    ("reference", ("]:",)),  # `[label]: destination`
    ("html_block", ("<",)),
    ("fence", ("```", "~~~")),
    ("code", ("    ", "\t")),
)


def _absent_rules(text: str) -> tuple[str, ...]:
    """The block rules of `_RULE_SIGNS` whose sign `text` does not hold."""
    return tuple(rule for rule, signs in _RULE_SIGNS if not any(sign in text for sign in signs))


def parse_elements(view: View) -> list[Element]:
    """The block elements of `view`, in document order."""
    return list(_walk(_block_tokens("\n".join(view.lines)), view))


@lru_cache(maxsize=4)
def _block_tokens(text: str) -> tuple[Token, ...]:
    """markdown-it's block tokens of `text`; `_walk` only reads them.

    Kept for the last few texts because a language server parses the same text again: a
    page's embedded workflow (a ```` ```markdown ```` fence) is parsed on its own, and it is
    unchanged while the author types in the page around it (the editor-latency figure of
    issue 10). The key is the whole text, so what is kept is never stale."""
    # The front matter rule is asked at the start of every block, but it only ever finds
    # anything in a text whose first character is its `-`: other texts skip it.
    front_matter = text.startswith("-")
    absent = _absent_rules(text)
    if "\r" in text or "\0" in text:
        return tuple(_markdown(front_matter, True, True, absent).parse(text))
    underlines = _underlines(text)
    # Front matter closes with a `---` under its last line, which looks like an underline
    # but is read by the front matter rule: a text whose one underline may be that is
    # parsed without the setext rule, and again with it unless that is what it was.
    if underlines and not (front_matter and len(underlines) == 1):
        return tuple(_markdown(front_matter, False, True, absent).parse(text))
    tokens = _markdown(front_matter, False, False, absent).parse(text)
    if underlines and not _in_front_matter(tokens, underlines[0]):
        tokens = _markdown(front_matter, False, True, absent).parse(text)
    return tuple(tokens)


#: `===` or `---` alone on a line (after indentation, or a blockquote's `>`): what may
#: underline the line above it as a setext heading (from the newline that ends that line).
_UNDERLINE = LazyPattern(r"\n[ \t>]*(?:-+|=+)[ \t]*$", re.MULTILINE)


def _underlines(text: str) -> list[int]:
    """The (0-based) lines of `text` that may underline a setext heading: an underline
    right under a line that is not blank (spaces and tabs are blank to markdown-it)."""
    found: list[int] = []
    for match in _UNDERLINE.finditer(text):
        end = match.start()  # of the line above
        if text[text.rfind("\n", 0, end) + 1 : end].strip(" \t"):
            found.append(text.count("\n", 0, end) + 1)
    return found


def _in_front_matter(tokens: list[Token], line: int) -> bool:
    """Did the front matter rule read `line` (0-based)?"""
    first = tokens[0] if tokens else None
    return first is not None and first.type == "front_matter" and line < (first.map or [0, 0])[1]


#: Tokens `_walk` reads nothing from: what they mark is read from the tokens they enclose.
_PASSED_OVER = frozenset({"paragraph_open", "paragraph_close", "heading_close"})


def _walk(tokens: Sequence[Token], view: View) -> list[Element]:
    elements: list[Element] = []
    depth = 0
    heading_level = 0
    item_marker: list[str] = []
    fresh_item = False
    quotes = 0
    for token in tokens:
        kind = token.type
        if kind in _PASSED_OVER:
            continue  # a third of all tokens: not worth a trip down the tests below
        if kind == "blockquote_open":
            quotes += 1
        elif kind == "blockquote_close":
            quotes -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif kind == "list_item_open":
            item_marker.append(f"{token.info}{token.markup}")
            fresh_item = True
        elif kind == "list_item_close":
            if item_marker:
                item_marker.pop()
            fresh_item = False
        elif kind == "heading_open":
            heading_level = int(token.tag[1:])
        elif kind == "inline" and token.map is not None:
            tags: list[TextLine] = []
            lines = _inline_lines(token, view, tags)
            if heading_level:
                elements.append(Element("heading", lines, level=heading_level))
                heading_level = 0
            elif depth > 0:
                marker = item_marker[-1] if item_marker else "-"
                elements.append(
                    Element(
                        "item",
                        lines,
                        depth=depth,
                        marker=marker,
                        first_in_item=fresh_item,
                        quoted=quotes > 0,
                    )
                )
                fresh_item = False
            else:
                elements.append(Element("paragraph", lines, quoted=quotes > 0))
            elements.extend(Element("html", (tag,), depth=depth) for tag in tags)
        elif kind in ("fence", "code_block") and token.map is not None:
            elements.append(_fence(token, view, depth))
            fresh_item = False
        elif kind == "html_block" and token.map is not None:
            start, end = token.map
            if end - start > 1 and depth == 0 and not quotes and _prompt_tag(view.lines[start]):
                # "<workflow>" then "## Phase 1: Plan" on the next line: to markdown-it the
                # tag opens an HTML block that runs to the next blank line, but the author
                # wrapped Markdown in a tag for the model to read; the lines after it are
                # that Markdown
                elements.append(Element("html", _raw_lines((start, start + 1), view)))
                inner = view.sub(start + 1, end - 1, 0)
                elements.extend(_walk(_block_tokens("\n".join(inner.lines)), inner))
            else:
                elements.append(Element("html", _raw_lines(token.map, view), depth=depth))
            fresh_item = False
        elif kind == "hr" and token.map is not None:
            elements.append(Element("rule", _raw_lines(token.map, view)))
        elif kind == "front_matter" and token.map is not None:
            start, end = token.map
            content = _raw_lines((start + 1, end - 1), view)
            if content:  # `---` / `---` with nothing between holds no metadata
                elements.append(Element("front_matter", content))
    return elements


#: A line that is one tag of a name HTML does not have ("<workflow>", "</rules>"): a
#: prompt's section marker. (HTML's own block tags, "<details>" or "<div>", hold HTML; a
#: `<step name="…">` block is read whole, tag and body, by the recogniser's XML steps.)
_PROMPT_TAG = LazyPattern(r"^ {0,3}</?(?P<name>[A-Za-z][\w.-]*)(?:\s[^<>]*)?/?>\s*$")
_NOT_PROMPT_TAGS = frozenset((*block_names, "step", "stage", "task-step"))


def _prompt_tag(line: str) -> bool:
    found = _PROMPT_TAG.match(line)
    return found is not None and found["name"].lower() not in _NOT_PROMPT_TAGS


def lone_tag(element: Element) -> bool:
    """Is `element` one prompt tag alone ("<workflow>", "</rules>"): a section marker with
    nothing to say as a note?"""
    return element.kind == "html" and len(element.lines) == 1 and _prompt_tag(element.text)


_TRAILING_COMMENT = LazyPattern(r"\s*<!--(?:(?!-->).)*-->\s*$")


def _inline_lines(token: Token, view: View, tags: list[TextLine]) -> tuple[TextLine, ...]:
    """The lines of an inline token; lone prompt tags run on into it go to `tags`."""
    assert token.map is not None
    lines: list[TextLine] = []
    raw_lines, origins, cuts = view.lines, view.origin_lines, view.cut
    for index, part in enumerate(token.content.split("\n"), token.map[0]):
        if part[:1] == "<" and index > token.map[0] and _prompt_tag(part):
            # "- Output: Build report" then "</workflow>": a tag that cannot interrupt the
            # paragraph, so markdown-it runs it on as text; it closes the author's section
            tags.append(view.text_line(index, part))
            continue
        if index < len(raw_lines) and raw_lines[index] == part:
            # a line markdown-it passed on whole (most lines of a paragraph): its text
            # starts where the line does, as `_offset` would find at more cost
            line = TextLine(part, origins[index], cuts[index] + 1)
        else:
            line = view.text_line(index, part)
        lines.append(_without_trailing_comment(line) if "<!--" in part else line)
    return tuple(lines)


def _without_trailing_comment(line: TextLine) -> TextLine:
    """An HTML comment at the end of a line (`<!-- expect: WF301 -->`, a suppression) is
    invisible in the rendered page, so it is not part of a title, item or value either."""
    if "<!--" not in line.text:
        return line
    cut = _TRAILING_COMMENT.search(line.text)
    return TextLine(line.text[: cut.start()], line.line, line.column) if cut else line


def _raw_lines(span: tuple[int, int] | list[int], view: View) -> tuple[TextLine, ...]:
    start, end = span
    return tuple(view.text_line(index, view.lines[index]) for index in range(start, end))


def _fence(token: Token, view: View, depth: int) -> Element:
    assert token.map is not None
    start, end = token.map
    if token.type == "code_block":
        content = token.content.rstrip("\n").split("\n") if token.content else []
        lines = tuple(view.text_line(start + i, text) for i, text in enumerate(content))
        return Element("fence", lines, depth=depth, marker="")
    opener = view.text_line(start, view.lines[start].strip())
    body = token.content.split("\n")
    if body and body[-1] == "":
        body.pop()
    lines = tuple(view.text_line(start + 1 + i, text) for i, text in enumerate(body))
    closing_index = start + 1 + len(body)
    closed = closing_index < end and closing_index < len(view.lines)
    return Element(
        "fence",
        lines,
        depth=depth,
        marker=token.info.strip(),
        closed=closed,
        open_line=opener,
    )


#: Fences that hold prose or a message to show (no language, or plain text / Markdown), not
#: code.
_PROSE_FENCES = frozenset({"", "text", "txt", "markdown", "md", "plaintext", "plain"})


def prose_fence(element: Element) -> bool:
    return (element.marker.split() or [""])[0] in _PROSE_FENCES


def merge_tagged_blocks(
    elements: list[Element], view: View, open_tag: str, close_tag: str
) -> list[Element]:
    """`<Task>` … `</Task>` spans blank lines, which end an HTML block in CommonMark; re-join
    the pieces into one `html` element of raw lines so the block is read as a whole."""
    opener = re.compile(open_tag, re.IGNORECASE)
    closer = re.compile(close_tag, re.IGNORECASE)
    merged: list[Element] = []
    skip_until = 0
    for element in elements:
        if element.first_line <= skip_until:
            continue
        if (
            element.kind == "html"
            and opener.match(element.lines[0].text)
            and not closer.search(element.text)
        ):
            start = view.origin_lines.index(element.first_line)
            end = start
            while end < len(view.lines) - 1 and not closer.search(view.lines[end]):
                end += 1
            lines = tuple(view.text_line(i, view.lines[i]) for i in range(start, end + 1))
            merged.append(Element("html", lines, depth=element.depth))
            skip_until = view.origin_lines[end]
            continue
        merged.append(element)
    return merged


#: Where a call's text cannot go on: a heading or a code fence.
_CALL_STOP = re.compile(r"^\s{0,3}(?:#{1,6}\s|```|~~~)")
#: How far a call's string may run over blank lines before it is taken as unclosed.
_CALL_REACH = 200


def merge_open_calls(elements: list[Element], view: View) -> list[Element]:
    """`Task(` written in running text with a blank line inside its prompt string: the
    blank line ends the paragraph in CommonMark, so the call's `)` lands in a later one.
    Re-join the pieces into one paragraph of raw lines when the call closes within reach,
    so the call is read whole (not reported as unclosed, its step not lost)."""
    from compiler.parse.calls import scan_calls  # calls reads text; elements stay below it

    merged: list[Element] = []
    skip_until = 0
    for element in elements:
        if element.first_line <= skip_until:
            continue
        if element.kind != "paragraph" or "(" not in element.text:
            merged.append(element)
            continue
        calls = scan_calls(element.text)
        if not calls or calls[-1].closed:
            merged.append(element)
            continue
        start = view.origin_lines.index(element.first_line)
        end = view.origin_lines.index(element.last_line)
        joined = list(view.lines[start : end + 1])
        closed_at = None
        while end + 1 < len(view.lines) and end - start < _CALL_REACH:
            end += 1
            line = view.lines[end]
            if _CALL_STOP.match(line):
                break
            joined.append(line)
            if ")" in line:
                # (once joined, the text may hold no call at all: `Task('` then `)'`)
                rescanned = scan_calls("\n".join(joined))
                if rescanned and rescanned[-1].closed:
                    closed_at = end
                    break
        if closed_at is None:
            merged.append(element)
            continue
        lines = tuple(view.text_line(i, view.lines[i]) for i in range(start, closed_at + 1))
        merged.append(Element("paragraph", lines, depth=element.depth))
        skip_until = view.origin_lines[closed_at]
    return merged
