"""Static checks (`drillbook lint`): reference resolution and the rules of DESIGN §5.

`check_document` is the one entry point: every static diagnostic of a parsed document,
configuration and suppression comments applied, sorted. Nothing here prints or writes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from compiler.checks.config import LintConfig
from compiler.checks.facts import DocumentFacts
from compiler.checks.ruleset import STATIC_RULES, load_static_rules, resolve_code
from compiler.checks.suppression import Directive, apply_suppressions, find_directives
from compiler.collector import collector_paused
from compiler.diagnostics import Diagnostic, sorted_diagnostics
from compiler.model import Document

__all__ = ["LintConfig", "apply_config", "check_document"]


def check_document(
    document: Document, config: LintConfig | None = None, *, source: str | None = None
) -> list[Diagnostic]:
    """All static diagnostics of `document` (parse problems such as WF109 included), with
    the configuration and the document's suppression comments applied, sorted.

    `source` is the document's text, for its suppression comments; when omitted it is
    read from `document.path` if that is a readable file (otherwise no suppressions)."""
    # The checks read the document the parse has just made: tens of thousands of objects,
    # all still in the cyclic collector's youngest generation, which it would go over (and
    # promote, to go over again) each time the checks' own allocations set it off. Paused,
    # as for the parse, it finds them freed by reference counting once the caller drops the
    # document (~2% of a lint of the corpora).
    with collector_paused():
        return _check_document(document, config, source)


def _check_document(
    document: Document, config: LintConfig | None, source: str | None
) -> list[Diagnostic]:
    load_static_rules()
    config = config or LintConfig()
    text = source if source is not None else _read(document.path)
    lines = tuple(text.split("\n")) if text is not None else None
    facts = DocumentFacts(document, config, lines)
    found: list[Diagnostic] = []
    for code in sorted(STATIC_RULES):
        if config.enabled(code):
            found.extend(d for d in STATIC_RULES[code](facts) if not d.silenced)
    if text is not None and "drillbook-" in text:
        directives = find_directives(text, resolve_code)
        found = apply_suppressions(found, directives, config, _reporter(document.path))
    return apply_config(found, config)


def apply_config(diagnostics: list[Diagnostic], config: LintConfig) -> list[Diagnostic]:
    """Selection, per-file ignores and severity overrides, then sorted."""
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if not config.enabled(diagnostic.code) or config.ignored_in(
            diagnostic.file, diagnostic.code
        ):
            continue
        severity = config.severity_of(diagnostic.code, diagnostic.severity)
        if severity != diagnostic.severity:
            diagnostic = replace(diagnostic, severity=severity)
        kept.append(diagnostic)
    return sorted_diagnostics(kept)


def _reporter(file: str):  # type: ignore[no-untyped-def]
    from compiler.checks.rules.parsing import unused_suppression

    def report(directive: Directive, message: str) -> Diagnostic:
        return unused_suppression(
            file, directive.line, directive.column, directive.end_column, message
        )

    return report


def _read(path: str) -> str | None:
    from compiler.source import UnreadableFile, read_source

    candidate = Path(path)
    try:
        if not candidate.is_file():
            return None
        return read_source(candidate, path).text
    except (OSError, UnreadableFile):
        return None
