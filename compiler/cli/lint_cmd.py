"""`drillbook lint`: check playbooks like a compiler (DESIGN §5, §8)."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.checks.formats import format_github, format_json, format_text, statistics
from compiler.cli.common import UsageProblem, expand_paths, write_output
from compiler.cli.lint_run import lint_paths, resolve_config
from compiler.diagnostics import Diagnostic, sorted_diagnostics


@click.command("lint")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    show_default=True,
    help="text: compiler-style with source snippets; json: a list of diagnostics; "
    "sarif: SARIF 2.1.0 for code scanning; github: GitHub Actions annotations.",
)
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Only these rules (codes, slugs or prefixes such as WF2; comma-separated). "
    "Replaces the configuration's selection.",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODES",
    help="Skip these rules (codes, slugs or prefixes); added to the configuration's ignores.",
)
@click.option(
    "--agents",
    type=click.Path(file_okay=False),
    help="Agent catalog folder (agent .md files) for WF108 unknown-agent.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="pyproject.toml or drillbook.toml to use instead of the nearest one.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes (0: one per CPU). Output is identical for any value.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only errors.")
@click.option(
    "--fix",
    is_flag=True,
    help="Apply the safe fixes (misspelt field names and keywords) to the files, then "
    "report what is left.",
)
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="With --fix or --diff, also apply fixes that pick something for the author (a "
    "reference's did-you-mean). `unsafe-fixes = true` in the configuration does the same.",
)
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff; write nothing."
)
@click.option(
    "--stdin-filename",
    metavar="PATH",
    help="The path of the document read from `-` (an editor's buffer): shown in findings, "
    "and used to find the configuration and apply per-file-ignores.",
)
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    default=True,
    show_default=True,
    help="Skip files git ignores when searching folders.",
)
@click.option(
    "--statistics",
    "show_statistics",
    is_flag=True,
    help="Print how many diagnostics each rule produced instead of the diagnostics.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout."
)
def lint_command(
    paths: tuple[str, ...],
    fmt: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    agents: str | None,
    config_file: str | None,
    jobs: int,
    strict: bool,
    fix: bool,
    unsafe_fixes: bool,
    show_diff: bool,
    stdin_filename: str | None,
    respect_gitignore: bool,
    show_statistics: bool,
    output: str | None,
) -> int:
    """Check workflow playbooks: context flow, parallel safety, decision coverage.

    PATHS are Markdown files or folders (searched for *.md, skipping hidden and
    vendored folders such as node_modules, `exclude =` and what git ignores); `-`
    reads stdin. Exit status: 0 no errors (warnings only fail with --strict), 1 errors found,
    2 usage or I/O problem.
    """
    config = resolve_config(paths, config_file, select, ignore, agents, stdin_filename)
    files = expand_paths(paths, config.exclude, respect_gitignore=respect_gitignore)
    if not files:
        click.echo(f"drillbook: warning: no Markdown files in {' '.join(paths)}", err=True)
    results = lint_paths(files, config, jobs, stdin_filename)
    if fix or show_diff:
        # here: only --fix and --diff plan changes (a plain lint starts quicker without)
        from compiler.cli.lint_fix import diff_text, planned_changes, summary, write_changes

        if "-" in files:
            raise UsageProblem(
                "--fix and --diff change files; for an editor buffer use the language server "
                "(`drillbook lsp`), which offers the same fixes as code actions"
            )
        changes = planned_changes(results, unsafe_fixes or config.unsafe_fixes)
        if show_diff:
            write_output(output, diff_text(changes))
            return 1 if changes else 0
        write_changes(changes)
        if changes:
            click.echo(summary(changes), err=True)
            results = lint_paths(files, config, jobs, stdin_filename)
    problems = [r.problem for r in results if r.problem is not None]
    for problem in problems:
        click.echo(f"drillbook: error: {problem}", err=True)
    diagnostics = sorted_diagnostics([d for r in results for d in r.diagnostics])
    checked = sum(1 for r in results if r.problem is None)
    if show_statistics:
        if fmt != "text":
            raise UsageProblem("--statistics prints a text table; drop --format")
        text = statistics(diagnostics)
    elif fmt == "json":
        text = format_json(diagnostics)
    elif fmt == "github":
        text = format_github(diagnostics)
    elif fmt == "sarif":
        text = _sarif(diagnostics)
    else:
        lines = {r.path: r.lines for r in results}
        text = format_text(diagnostics, lines, checked)
    write_output(output, text)
    if problems:
        return 2
    return _status(diagnostics, strict)


def _status(diagnostics: list[Diagnostic], strict: bool) -> int:
    failing = {"error", "warning"} if strict else {"error"}
    return 1 if any(d.severity in failing for d in diagnostics) else 0


def _sarif(diagnostics: list[Diagnostic]) -> str:
    from compiler import __version__
    from compiler.checks.ruleset import RUN_RULES, STATIC_RULES
    from compiler.checks.sarif import format_sarif
    from compiler.cli.files import repository_root
    from compiler.rules import registered

    # The rules lint can report (simulation rules belong to `drillbook simulate`/`test`).
    rules = [registered(code) for code in sorted({*STATIC_RULES, *RUN_RULES})]
    return format_sarif(diagnostics, rules, __version__, repository_root(Path.cwd()))
