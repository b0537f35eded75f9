"""Diagnostics: the one shape every finding takes (parser, lint rules, simulation, I/O).

Fields follow DESIGN §5: `file, line, column, end_line, end_column, severity, code, rule,
message, reference, related`. Sorting is total, so output order never depends on the order
rules ran in or files were listed in.

Like the model (`compiler.model`), findings are built with `model_construct` from values
the rules made, and their validators are built only if something validates one.
"""

# Annotations are not postponed here: see the note at the top of compiler.model.
from typing import Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr

from compiler.model import Span

Severity = Literal["error", "warning", "info"]

SEVERITY_RANK: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


class Related(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    file: str
    line: int
    message: str


class Edit(BaseModel):
    """Replace the text between two positions (1-based, `end_column` exclusive, columns in
    code points as everywhere) with `text`."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    line: int
    column: int
    end_line: int
    end_column: int
    text: str

    @classmethod
    def replace(cls, span: Span, text: str) -> "Edit":
        return cls.model_construct(
            line=span.line,
            column=span.column,
            end_line=span.end_line,
            end_column=span.end_column,
            text=text,
        )


class Fix(BaseModel):
    """How to fix a finding: `drillbook lint --fix` applies it, the language server offers
    it as a code action. A `safe` fix keeps the author's meaning (a misspelt key spelt
    right); an unsafe one picks something for them (the did-you-mean of a reference) and is
    applied only when asked (`--unsafe-fixes`, `unsafe-fixes = true`)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    message: str
    edits: tuple[Edit, ...]
    safe: bool = True


class Diagnostic(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

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
    #: (`compiler.rules.make_diagnostic`); the checker drops it before anything is shown
    _silenced: bool = PrivateAttr(default=False)

    def silence(self) -> None:
        self._silenced = True

    @property
    def silenced(self) -> bool:
        return self._silenced

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
    ) -> "Diagnostic":
        return cls.model_construct(
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
        )

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        return (self.file, self.line, self.column, self.code, self.reference or "", self.message)


def unreadable(file: str, reason: str, line: int = 1, column: int = 1) -> Diagnostic:
    """WF901: the file could not be read as a workflow document."""
    return Diagnostic.model_construct(
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
