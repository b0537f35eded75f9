"""`drillbook lsp`: the language server over stdio (the `drillbook[lsp]` extra)."""

from __future__ import annotations

import click

from compiler.cli.common import UsageProblem


@click.command("lsp")
@click.option(
    "--stdio", is_flag=True, help="Talk over stdin/stdout (the default; editors often pass it)."
)
def lsp_command(stdio: bool) -> int:
    """Run the drillbook language server over stdio, for editors: diagnostics as you type,
    hover, go to definition, references, outline, quick fixes and completion."""
    try:
        import pygls.lsp.server  # noqa: F401  (only to tell a missing extra apart)
    except ImportError:
        raise UsageProblem(
            "the language server needs pygls: pip install 'drillbook[lsp]'"
        ) from None
    from compiler.lsp.server import serve

    serve()
    return 0
