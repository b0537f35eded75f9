"""Text measurement and wrapping for the diagram, without font files.

The SVG is laid out before any browser sees it, so widths come from a table of Helvetica /
Arial advance widths (the SVG asks for Arial-metric fonts first, so the estimate holds where
it is drawn). A small safety factor covers fonts that run a little wider.
"""

from __future__ import annotations

import unicodedata

# Advance widths of ASCII 32..126 in thousandths of an em (Helvetica/Arial regular).
_ASCII_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip

_MONO = 602  # every glyph of a monospaced font (Courier, Liberation Mono, Menlo)
_SAFETY = 1.06
_BOLD = 1.08
ELLIPSIS = "…"


def _char_width(char: str) -> int:
    code = ord(char)
    if 32 <= code <= 126:
        return _ASCII_WIDTHS[code - 32]
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1000
    return 600


def text_width(text: str, size: float, bold: bool = False, mono: bool = False) -> float:
    """Estimated width in px of `text` set at `size` px (`mono`: a monospaced font)."""
    if mono:
        units = sum(_MONO if _char_width(char) else 0 for char in text)
        return units * size / 1000 * _SAFETY
    units = sum(_char_width(char) for char in text)
    return units * size / 1000 * _SAFETY * (_BOLD if bold else 1.0)


def clean(text: str | None) -> str:
    """One line of display text: whitespace runs collapsed, control characters dropped."""
    if not text:
        return ""
    kept = "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or unicodedata.category(char) not in ("Cc", "Cs", "Co")
    )
    return " ".join(kept.split())


def truncate(text: str, width: float, size: float, bold: bool = False, mono: bool = False) -> str:
    """`text` shortened with an ellipsis so that it fits in `width` px."""
    if text_width(text, size, bold, mono) <= width:
        return text
    limit = width - text_width(ELLIPSIS, size, bold, mono)
    kept = ""
    for char in text:
        if text_width(kept + char, size, bold, mono) > limit:
            break
        kept += char
    return kept.rstrip() + ELLIPSIS


def wrap(
    text: str, width: float, size: float, *, bold: bool = False, max_lines: int = 3
) -> list[str]:
    """Greedy word wrap to lines no wider than `width` px; words longer than a line are
    broken; the last line ends with an ellipsis when text is left over."""
    words = clean(text).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while text_width(current, size, bold) > width:
            head = _longest_prefix(current, width, size, bold)
            lines.append(head)
            current = current[len(head) :]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _with_ellipsis(lines[max_lines - 1], width, size, bold)]
    return lines or [""]


def _with_ellipsis(line: str, width: float, size: float, bold: bool) -> str:
    """`line` cut short enough to end with an ellipsis (it is followed by more text)."""
    while line and text_width(line + ELLIPSIS, size, bold) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


def _longest_prefix(word: str, width: float, size: float, bold: bool) -> str:
    kept = word[0]
    for char in word[1:]:
        if text_width(kept + char, size, bold) > width:
            break
        kept += char
    return kept


def widest(lines: list[str], size: float, bold: bool = False) -> float:
    return max((text_width(line, size, bold) for line in lines), default=0.0)


def wrap_words(text: str, width: int, max_lines: int) -> list[str]:
    """Word-wrap by character count (Mermaid and DOT labels, where the viewer's font is
    unknown); a cut-off label ends in an ellipsis."""
    lines: list[str] = []
    current = ""
    for word in clean(text).split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1] + " …"]
    return lines
