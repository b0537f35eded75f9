"""Test helper: the original text a span points at."""

from __future__ import annotations

from compiler.model import Span
from compiler.source import Source


def text_at(source: Source, span: Span) -> str:
    """The characters of `source` covered by `span` (lines joined with newlines)."""
    if span.line == span.end_line:
        return source.line(span.line)[span.column - 1 : span.end_column - 1]
    parts = [source.line(span.line)[span.column - 1 :]]
    parts.extend(source.line(n) for n in range(span.line + 1, span.end_line))
    parts.append(source.line(span.end_line)[: span.end_column - 1])
    return "\n".join(parts)
