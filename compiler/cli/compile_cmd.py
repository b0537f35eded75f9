"""`drillbook compile` and `drillbook schema`."""

from __future__ import annotations

import click

from compiler.cli.common import echo_diagnostic_line, expand_paths, load_all, write_output
from compiler.ir import compile_ir, dump_json
from compiler.model import Document, ParseDiagnostic, Span


@click.command("compile")
@click.argument("docs", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="json: the model and graph (an array when several documents are given); "
    "text: a readable outline.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout."
)
def compile_command(docs: tuple[str, ...], fmt: str, output: str | None) -> int:
    """Compile workflow documents into the typed model and graph.

    DOCS are Markdown files or folders (searched for *.md); `-` reads stdin.
    """
    from compiler.outline import outline

    loaded = load_all(expand_paths(docs))
    status = 0
    documents: list[Document] = []
    for item in loaded:
        if item.problem is not None:
            echo_diagnostic_line(item.problem)
            status = 1
            span = Span(
                line=item.problem.line,
                column=item.problem.column,
                end_line=item.problem.end_line,
                end_column=item.problem.end_column,
            )
            failed = ParseDiagnostic(code="WF901", message=item.problem.message, span=span)
            documents.append(Document(path=item.path, parse_diagnostics=(failed,)))
        else:
            assert item.document is not None
            documents.append(item.document)
    if fmt == "text":
        text = "\n".join(outline(document) for document in documents)
    else:
        compiled = [compile_ir(document) for document in documents]
        text = dump_json(
            compiled[0] if len(compiled) == 1 and len(docs) == 1 and _single(docs) else compiled
        )
    write_output(output, text)
    return status


def _single(docs: tuple[str, ...]) -> bool:
    """One file argument (not a folder) gives one object; anything else an array."""
    from pathlib import Path

    return len(docs) == 1 and (docs[0] == "-" or not Path(docs[0]).is_dir())


@click.command("schema")
@click.argument("which", type=click.Choice(["ir", "scenario", "config"]))
def schema_command(which: str) -> int:
    """Print the JSON Schema (2020-12) of the compiled IR, of scenario files or of the lint
    configuration (drillbook.toml / [tool.drillbook])."""
    if which == "ir":
        from compiler.ir import ir_schema

        write_output(None, dump_json(ir_schema()))
        return 0
    if which == "config":
        from compiler.checks.config_schema import config_schema

        write_output(None, dump_json(config_schema()))
        return 0
    from compiler.cli import COMMANDS

    if "simulate" not in COMMANDS:
        raise click.UsageError("scenario schema is not available in this build")
    import importlib

    module = importlib.import_module("compiler.simulate.scenario")
    write_output(None, dump_json(module.scenario_schema()))
    return 0
