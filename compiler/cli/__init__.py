"""The `drillbook` command line. Subcommands load lazily so that, for example,
`drillbook lint` never imports the rendering stack (Jinja2)."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from compiler import __version__
from compiler.collector import collector_paused

#: name → "module:attribute"; one line per subcommand.
COMMANDS: dict[str, str] = {
    "compile": "compiler.cli.compile_cmd:compile_command",
    "diff": "compiler.cli.diff_cmd:diff_command",
    "drill": "compiler.cli.drill_cmd:drill_command",
    "explain": "compiler.cli.rules_cmd:explain_command",
    "lint": "compiler.cli.lint_cmd:lint_command",
    "lsp": "compiler.cli.lsp_cmd:lsp_command",
    "render": "compiler.cli.render_cmd:render_command",
    "rules": "compiler.cli.rules_cmd:rules_command",
    "schema": "compiler.cli.compile_cmd:schema_command",
    "simulate": "compiler.cli.simulate_cmd:simulate_command",
    "scenario": "compiler.cli.scenario_cmd:scenario_group",
    "site": "compiler.cli.site_cmd:site_command",
    "test": "compiler.cli.test_cmd:test_command",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        # Loading `lint` makes ~25,000 objects that live as long as the process (modules,
        # functions, classes) and next to no garbage; the collector's ~75
        # passes over them while they load, and its last one at exit, cost ~35 ms of a
        # ~275 ms cold `drillbook lint` (issue 10). Frozen once loaded, it leaves them be.
        with collector_paused(freeze=True):
            module = importlib.import_module(module_name)
        command = getattr(module, attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="drillbook")
def cli() -> None:
    """drillbook: compile, lint, render and simulate workflow markdown playbooks."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn every failure into an exit code and one line."""
    try:
        result: Any = cli.main(args=argv, prog_name="drillbook", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.NoArgsIsHelpError as exc:
        # `drillbook` alone, or a group without its subcommand: show the help, not an error.
        click.echo(exc.ctx.get_help() if exc.ctx is not None else exc.format_message())
        sys.exit(0)
    except click.UsageError as exc:
        # One line, like every other error: no Click usage banner.
        message = exc.format_message()
        command = exc.ctx.command_path if exc.ctx is not None else "drillbook"
        hint = "" if type(exc).__name__ == "UsageProblem" else f" (see '{command} --help')"
        # Problems found together (every mistake in a scenario) come one per line.
        for line in f"{message}{hint}".splitlines():
            click.echo(f"drillbook: error: {line}", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"drillbook: error: {exc.format_message()}", err=True)
        sys.exit(2 if exc.exit_code in (1, 2) else exc.exit_code)
    except click.Abort:
        click.echo("drillbook: aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("drillbook: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
    except Exception as exc:  # never show a traceback to a user
        click.echo(
            f"drillbook: internal error: {type(exc).__name__}: {exc} "
            "(this is a bug in drillbook; please report it with the input that caused it)",
            err=True,
        )
        sys.exit(2)
    sys.exit(result if isinstance(result, int) else 0)
