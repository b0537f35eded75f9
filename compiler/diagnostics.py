"""Diagnostics: the one shape every finding takes (parser, lint rules, simulation, I/O).

Fields follow DESIGN §5: `file, line, column, end_line, end_column, severity, code, rule,
message, reference, related`. Sorting is total, so output order never depends on the order
rules ran in or files were listed in.

Like the model (`compiler.model`), findings are immutable standard-library dataclasses built
from values the rules made: nothing validates them, and writing one as JSON (`as_json`)
needs no pydantic either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from compiler.model import Span

Severity = Literal["error", "warning", "info"]

SEVERITY_RANK: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True, kw_only=True)
class Related:
    """Another place the finding is about ("produced here")."""

    file: str
    line: int
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "message": self.message}


@dataclass(frozen=True, slots=True, kw_only=True)
class Edit:
    """Replace the text between two positions (1-based, `end_column` exclusive, columns in
    code points as everywhere) with `text`."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str

    @classmethod
    def replace(cls, span: Span, text: str) -> Edit:
        return cls(
            line=span.line,
            column=span.column,
            end_line=span.end_line,
            end_column=span.end_column,
            text=text,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Fix:
    """How to fix a finding: `drillbook lint --fix` applies it, the language server offers
    it as a code action. A `safe` fix keeps the author's meaning (a misspelt key spelt
    right); an unsafe one picks something for them (the did-you-mean of a reference) and is
    applied only when asked (`--unsafe-fixes`, `unsafe-fixes = true`)."""

    message: str
    edits: tuple[Edit, ...]
    safe: bool = True

    def as_json(self) -> dict[str, Any]:
        edits = [edit.as_json() for edit in self.edits]
        return {"message": self.message, "edits": edits, "safe": self.safe}


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    """One finding, at a region of a file."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    severity: Severity
    code: str
    rule: str
    message: str
    reference: str | None = None
    related: tuple[Related, ...] = ()
    fix: Fix | None = None
    #: set for a finding about an inferred element that its rule keeps quiet about
    #: (`compiler.rules.make_diagnostic`); the checker drops it before anything is shown, so
    #: it is neither compared nor written
    silenced: bool = field(default=False, repr=False, compare=False)

    @classmethod
    def at(
        cls,
        file: str,
        span: Span,
        *,
        severity: Severity,
        code: str,
        rule: str,
        message: str,
        reference: str | None = None,
        related: tuple[Related, ...] = (),
        fix: Fix | None = None,
        silenced: bool = False,
    ) -> Diagnostic:
        return cls(
            file=file,
            line=span.line,
            column=span.column,
            end_line=span.end_line,
            end_column=span.end_column,
            severity=severity,
            code=code,
            rule=rule,
            message=message,
            reference=reference,
            related=related,
            fix=fix,
            silenced=silenced,
        )

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        return (self.file, self.line, self.column, self.code, self.reference or "", self.message)

    def as_json(self) -> dict[str, Any]:
        """The finding as JSON-ready data: the DESIGN §5 fields, then `fix` (None when there
        is none)."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "severity": self.severity,
            "code": self.code,
            "rule": self.rule,
            "message": self.message,
            "reference": self.reference,
            "related": [related.as_json() for related in self.related],
            "fix": None if self.fix is None else self.fix.as_json(),
        }


def unreadable(file: str, reason: str, line: int = 1, column: int = 1) -> Diagnostic:
    """WF901: the file could not be read as a workflow document."""
    return Diagnostic(
        file=file,
        line=line,
        column=column,
        end_line=line,
        end_column=column,
        severity="error",
        code="WF901",
        rule="unreadable-file",
        message=reason,
    )


def sorted_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=Diagnostic.sort_key)
