"""From the model's coordinates and records to LSP types: spans (1-based lines, code-point
columns) become ranges in the client's position encoding; findings become LSP diagnostics
with their code, severity, related locations and, when configured, a link to the rule."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path
from pygls.workspace.position_codec import PositionCodec

from compiler.diagnostics import Diagnostic
from compiler.lsp.analysis import Point
from compiler.lsp.fixes import TextFix
from compiler.lsp.navigation import Symbol, SymbolKind
from compiler.model import Span

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}

#: Findings about text that does nothing: editors fade it out.
UNNECESSARY = frozenset({"WF205", "WF902"})

SYMBOL_KIND: dict[SymbolKind, types.SymbolKind] = {
    "phase": types.SymbolKind.Module,
    "parallel": types.SymbolKind.Struct,
    "branch": types.SymbolKind.Class,
    "decision": types.SymbolKind.Enum,
    "path": types.SymbolKind.EnumMember,
    "step": types.SymbolKind.Function,
    "checkpoint": types.SymbolKind.Event,
    "loop": types.SymbolKind.Array,
}


class Coordinates:
    """Positions of one document text in the encoding agreed with the client."""

    def __init__(self, lines: Sequence[str], codec: PositionCodec) -> None:
        self.lines = list(lines)
        self.codec = codec

    def position(self, line: int, column: int) -> types.Position:
        zero = types.Position(line=max(0, line - 1), character=max(0, column - 1))
        if zero.line >= len(self.lines):
            return types.Position(line=len(self.lines), character=0)
        return self.codec.position_to_client_units(self.lines, zero)

    def range(self, span: Span) -> types.Range:
        return types.Range(
            start=self.position(span.line, span.column),
            end=self.position(span.end_line, span.end_column),
        )

    def line_range(self, line: int) -> types.Range:
        """The whole of 1-based `line` (a related location names a line, not a column)."""
        text = self.lines[line - 1] if 1 <= line <= len(self.lines) else ""
        indent = len(text) - len(text.lstrip())
        return self.range(
            Span(line=line, column=indent + 1, end_line=line, end_column=len(text) + 1)
        )

    def line_start(self, line: int) -> types.Range:
        """The start of `line` in another file (whose text this document does not hold)."""
        start = types.Position(line=max(0, line - 1), character=0)
        return types.Range(start=start, end=start)

    def point(self, position: types.Position) -> Point:
        if position.line >= len(self.lines):
            return Point(position.line + 1, 1)
        copy = types.Position(line=position.line, character=position.character)
        server = self.codec.position_from_client_units(self.lines, copy)
        return Point(server.line + 1, server.character + 1)


def span_of(diagnostic: Diagnostic) -> Span:
    return Span(
        line=diagnostic.line,
        column=diagnostic.column,
        end_line=max(diagnostic.line, diagnostic.end_line),
        end_column=diagnostic.end_column,
    )


def to_diagnostic(
    diagnostic: Diagnostic,
    where: Coordinates,
    uri: str,
    path: str,
    rule_docs: str | None,
) -> types.Diagnostic:
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(
                uri=uri if r.file == path else (from_fs_path(str(Path(r.file))) or r.file),
                range=where.line_range(r.line) if r.file == path else where.line_start(r.line),
            ),
            message=r.message,
        )
        for r in diagnostic.related
    ]
    data = {"rule": diagnostic.rule, "reference": diagnostic.reference}
    return types.Diagnostic(
        range=where.range(span_of(diagnostic)),
        message=diagnostic.message,
        severity=SEVERITY[diagnostic.severity],
        code=diagnostic.code,
        code_description=(
            types.CodeDescription(href=rule_docs.format(code=diagnostic.code, rule=diagnostic.rule))
            if rule_docs
            else None
        ),
        source="drillbook",
        related_information=related or None,
        tags=[types.DiagnosticTag.Unnecessary] if diagnostic.code in UNNECESSARY else None,
        data=data,
    )


def to_edits(fix: TextFix, where: Coordinates) -> list[types.TextEdit]:
    return [
        types.TextEdit(
            range=where.range(
                Span(line=e.line, column=e.column, end_line=e.end_line, end_column=e.end_column)
            ),
            new_text=e.text,
        )
        for e in fix.edits
    ]


def to_symbol(symbol: Symbol, where: Coordinates) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=symbol.name or symbol.detail,
        detail=symbol.detail,
        kind=SYMBOL_KIND[symbol.kind],
        range=where.range(symbol.range),
        selection_range=where.range(symbol.selection),
        children=[to_symbol(child, where) for child in symbol.children],
    )
