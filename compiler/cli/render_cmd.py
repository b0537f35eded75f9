"""`drillbook render`: one document as an HTML report, an SVG diagram, Mermaid, Graphviz DOT
or docs-site Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from compiler.cli.common import UsageProblem, echo_diagnostic_line, load, write_output
from compiler.diagnostics import Diagnostic
from compiler.model import Document
from compiler.render import FORMATS, SUFFIXES


@click.command("render")
@click.argument("doc")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="html: a self-contained report; svg: the diagram; mermaid: flowchart text; "
    "dot: Graphviz; md: Markdown for docs sites. Default: from the -o suffix "
    "(.html .svg .mmd .dot .md), else html.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout."
)
@click.option(
    "--no-lint",
    is_flag=True,
    help="Do not run the checks: the report and the Markdown show no diagnostics.",
)
@click.option(
    "--findings",
    is_flag=True,
    help="md: add lint findings to the page (for authors; readers do not see them by default).",
)
@click.option(
    "--replace-page",
    is_flag=True,
    help="md: write drillbook's own page (diagram, step table, findings) instead of keeping "
    "the author's page and adding to it.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Lint configuration (pyproject.toml or drillbook.toml); default: the nearest one.",
)
def render_command(
    doc: str,
    fmt: str | None,
    output: str | None,
    no_lint: bool,
    findings: bool,
    replace_page: bool,
    config_file: str | None,
) -> int:
    """Render the workflow document DOC (`-` reads stdin).

    The HTML report includes the diagnostics of `drillbook lint` (same configuration),
    unless --no-lint is given. Markdown keeps the author's page and adds the diagram and a
    step table where the workflow is; --findings adds the diagnostics, --replace-page writes
    drillbook's own page instead.
    """
    fmt = fmt or _format_from(output)
    if output and output != "-" and doc != "-" and _same_file(doc, output):
        raise UsageProblem(f"refusing to overwrite the input {doc} with the rendered output")
    document, source = _load(doc)
    if document is None:
        return 1
    diagnostics: list[Diagnostic] | None = None
    resolutions: list[Any] | None = None
    wants_findings = fmt == "html" or (fmt == "md" and (findings or replace_page))
    if wants_findings and not no_lint:
        diagnostics = _lint(document, source, doc, config_file)
    if fmt == "html":
        resolutions = _resolutions(document)
    from compiler.render import render_document

    text = render_document(
        document,
        fmt,
        diagnostics=diagnostics,
        resolutions=resolutions,
        source=source,
        replace_page=replace_page,
    )
    write_output(output, text)
    return 0


def _format_from(output: str | None) -> str:
    if output and output != "-":
        suffix = Path(output).suffix.lower()
        if suffix in SUFFIXES:
            return SUFFIXES[suffix]
        if suffix:
            known = " ".join(sorted(SUFFIXES))
            raise UsageProblem(
                f"cannot tell the format from '{suffix}' (known: {known}); pass --format"
            )
    return "html"


def _same_file(doc: str, output: str) -> bool:
    target = Path(output)
    try:
        return target.exists() and Path(doc).resolve() == target.resolve()
    except OSError:
        return False


def _load(doc: str) -> tuple[Document | None, str | None]:
    """The parsed document and its text; an unreadable file is reported (WF901)."""
    if doc == "-":
        from compiler.parse import parse_document
        from compiler.source import UnreadableFile, read_stdin

        try:
            source = read_stdin()
        except UnreadableFile as exc:
            from compiler.diagnostics import unreadable

            echo_diagnostic_line(unreadable("<stdin>", exc.reason, exc.line, exc.column))
            return None, None
        return parse_document(source), source.text
    if Path(doc).is_dir():
        raise UsageProblem(f"{doc} is a directory: render takes one document")
    loaded = load(doc)
    if loaded.problem is not None or loaded.document is None:
        if loaded.problem is not None:
            echo_diagnostic_line(loaded.problem)
        return None, None
    from compiler.source import UnreadableFile, read_source

    try:
        text: str | None = read_source(Path(doc), doc).text
    except (OSError, UnreadableFile):
        text = None
    return loaded.document, text


def _lint(
    document: Document, source: str | None, doc: str, config_file: str | None
) -> list[Diagnostic] | None:
    """The diagnostics `drillbook lint` reports for this document (None: checks missing)."""
    try:
        from compiler.checks import check_document
        from compiler.cli.lint_run import resolve_config
    except ImportError:
        return None
    config = resolve_config([doc], config_file, (), (), None)
    return check_document(document, config, source=source)


def _resolutions(document: Document) -> list[Any] | None:
    try:
        from compiler.checks.resolve import resolve_workflow
    except ImportError:
        return None
    return [r for workflow in document.workflows for r in resolve_workflow(workflow)]
