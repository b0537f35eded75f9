"""`drillbook scenario init|from-results|matrix DOC`: write scenarios for a document."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import click

from compiler.cli.common import (
    UsageProblem,
    echo_diagnostic_line,
    milestone_pins,
    write_atomic,
    write_output,
)
from compiler.cli.schema_files import schema_line
from compiler.cli.simulate_cmd import load_document
from compiler.model import Document, Workflow
from compiler.simulate import ScenarioError
from compiler.simulate.discovery import document_by_convention, document_from_workflow
from compiler.simulate.index import index_workflow, main_workflow
from compiler.simulate.replay import from_results
from compiler.simulate.skeleton import matrix, skeleton


@click.group("scenario")
def scenario_group() -> None:
    """Write scenario files: a skeleton, a replay of the recorded run, a coverage matrix."""


def _document(doc: str) -> tuple[Document, Workflow]:
    document = load_document(doc)
    if document is None:
        raise click.exceptions.Exit(2)
    workflow = main_workflow(document.workflows)
    if workflow is None or not workflow.phases:
        raise UsageProblem(f"{doc} has no workflow to write a scenario for")
    return document, workflow


def _relative(doc: str, folder: Path) -> str:
    return Path(os.path.relpath(Path(doc).resolve(), folder.resolve())).as_posix()


def _target(output: str | None, force: bool) -> Path | None:
    if output is None or output == "-":
        return None
    target = Path(output)
    if target.exists() and not force:
        raise UsageProblem(f"{output} exists; use --force to replace it")
    return target


_OUTPUT = click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout."
)
_FORCE = click.option("--force", is_flag=True, help="Replace an existing output file.")


@scenario_group.command("init")
@click.argument("doc")
@_OUTPUT
@_FORCE
def init_command(doc: str, output: str | None, force: bool) -> int:
    """A skeleton scenario naming every step, decision, checkpoint and loop of DOC."""
    target = _target(output, force)
    document, workflow = _document(doc)
    where = _destination(target)
    ref = _relative(doc, where.parent) if where is not None else None
    text = skeleton(document, workflow, ref, milestone_pins(doc))
    write_output(output, _schema_line_for(where) + text)
    return 0


def _destination(target: Path | None) -> Path | None:
    """The file the scenario ends up in: `-o`'s, or the file stdout is redirected to
    (`drillbook scenario init DOC > DOC.scenario.yaml`) when the system says which."""
    return target if target is not None else _stdout_file()


def _stdout_file() -> Path | None:
    """The regular file stdout writes to, found through /proc/self/fd or /dev/fd (Linux,
    macOS); None for a terminal, a pipe, or a system that does not say."""
    try:
        fd = sys.stdout.fileno()
        opened = os.fstat(fd)
    except (OSError, ValueError, AttributeError):
        return None
    if not stat.S_ISREG(opened.st_mode):
        return None
    for link in (f"/proc/self/fd/{fd}", f"/dev/fd/{fd}"):
        try:
            path = Path(os.readlink(link))
            found = path.stat()
        except OSError:
            continue
        if path.is_absolute() and (found.st_dev, found.st_ino) == (
            opened.st_dev,
            opened.st_ino,
        ):
            return path
    return None


def _schema_line_for(where: Path | None, folder: bool = False) -> str:
    """The modeline that gives editors the schema, relative to the file's folder. Printed
    to a terminal or a pipe, the file's place is unknown: the line is relative to the
    current directory (where `> FILE` puts a file), and a piped run says so on stderr."""
    if where is not None:
        return schema_line(where if folder else where.parent, outside=folder)
    if not sys.stdout.isatty():
        click.echo(
            "drillbook: the $schema line is relative to the current directory; "
            "with -o it is relative to the file written",
            err=True,
        )
    return schema_line(Path.cwd())


@scenario_group.command("from-results")
@click.argument("doc")
@_OUTPUT
@_FORCE
def from_results_command(doc: str, output: str | None, force: bool) -> int:
    """DOC's recorded run ("Execution Results") as a scenario that replays it.

    What in the record does not fit the workflow is reported as WF503 (warnings).
    """
    target = _target(output, force)
    document, workflow = _document(doc)
    where = _destination(target)
    ref = _relative(doc, where.parent) if where is not None else None
    try:
        replay = from_results(document, workflow, ref, milestone_pins(doc))
    except ScenarioError as exc:
        raise UsageProblem(exc.describe()) from None
    for diagnostic in replay.diagnostics:
        echo_diagnostic_line(diagnostic)
    write_output(output, _schema_line_for(where) + replay.text)
    return 0


@scenario_group.command("matrix")
@click.argument("doc")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False),
    help="Folder to write the scenarios into (e.g. DOC.scenarios); default: stdout.",
)
@click.option("--force", is_flag=True, help="Replace scenario files that already exist.")
def matrix_command(doc: str, output: str | None, force: bool) -> int:
    """The smallest set of scenarios that takes every decision path of DOC and makes every
    step fail once (each failure is retried, so the run goes on)."""
    document, workflow = _document(doc)
    folder = Path(output) if output else None
    if folder is not None and not folder.parent.exists():
        raise UsageProblem(f"output folder's parent does not exist: {folder.parent}")
    printed = _stdout_file() if folder is None else None
    home = folder if folder is not None else printed.parent if printed is not None else None
    ref = _relative(doc, home) if home is not None else None
    scenarios = matrix(document, workflow, ref, milestone_pins(doc))
    stem = Path(doc).stem
    names = [f"{stem}.{scenario.name}.scenario.yaml" for scenario in scenarios]
    if folder is None:
        # one YAML stream: each document carries the modeline (the YAML language server
        # reads it per document), so each part keeps it when the stream is split
        line = _schema_line_for(printed)
        parts = [
            f"# file: {name}\n{line}{s.text}" for name, s in zip(names, scenarios, strict=True)
        ]
        write_output(None, "---\n".join(parts))
    else:
        existing = [name for name in names if (folder / name).exists()]
        if existing and not force:
            raise UsageProblem(f"{folder / existing[0]} exists; use --force to replace it")
        folder.mkdir(exist_ok=True)
        line = schema_line(folder, outside=True)
        for name, scenario in zip(names, scenarios, strict=True):
            write_atomic(folder / name, (line + scenario.text).encode("utf-8"))
    index = index_workflow(workflow)
    paths = {p for s in scenarios for p in s.path}
    failing = {step for s in scenarios for step in s.failing}
    summary = (
        f"{len(scenarios)} scenario{'s' if len(scenarios) != 1 else ''}: "
        f"{len(paths)}/{len(index.paths)} decision paths, {len(failing)}/{len(index.steps)} "
        "steps failing once"
    )
    unreached = [s for s in index.steps if s not in failing]
    if unreached:
        summary += f" (never reached: {', '.join(unreached)})"
    verb = f"wrote {summary} in {folder}" if folder is not None else f"printed {summary}"
    click.echo(f"drillbook: {verb}", err=True)
    return 0


@scenario_group.command("update")
@click.argument("scenario")
@click.argument("doc", required=False)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write the result here (not stdout)."
)
@click.option("--in-place", is_flag=True, help="Rewrite SCENARIO itself (atomically).")
@_FORCE
def update_command(
    scenario: str, doc: str | None, output: str | None, in_place: bool, force: bool
) -> int:
    """Move SCENARIO's step keys to where their steps are now in DOC (default: the document
    the scenario names or sits beside).

    A key whose recorded `title`/`agent` no longer fits the step at that id moves to the step
    that matches by title and agent, and its recorded title and agent are updated; comments
    and layout stay. The result goes to stdout unless -o or --in-place says otherwise; SCENARIO
    is never changed without --in-place. A name the result still has that DOC lacks (a
    hand-written key with no recorded title and agent, a decision, an until:) is reported
    with its line. Exit status: 0 every key fits, 1 a key matches no step (left as it is,
    reported as WF506 or as an error), 2 unreadable input.
    """
    from compiler.simulate.rekey import update_scenario

    if in_place and output:
        raise UsageProblem("give -o or --in-place, not both")
    target = _target(output, force)
    text = _scenario_text(scenario)
    doc = doc or _scenario_document(scenario, text)
    document, workflow = _document(doc)
    try:
        update = update_scenario(text, scenario, workflow)
    except ScenarioError as exc:
        raise UsageProblem(exc.describe()) from None
    for change in update.changes:
        click.echo(f"{change}", err=True)
    for diagnostic in update.left:
        echo_diagnostic_line(diagnostic)
    reported = {d.line for d in update.left}
    stale = _names_nothing(update.text, scenario, document, workflow, doc, reported)
    if in_place:
        if update.text != text:
            write_atomic(Path(scenario), update.text.encode("utf-8"))
        moved = len(update.changes)
        click.echo(
            f"drillbook: updated {moved} key{'s' if moved != 1 else ''} in {scenario}", err=True
        )
    else:
        write_output(str(target) if target is not None else None, update.text)
    return 1 if update.left or stale else 0


def _names_nothing(
    text: str,
    scenario: str,
    document: Document,
    workflow: Workflow,
    doc: str,
    reported: set[int],
) -> int:
    """Report (on stderr, positioned) what the updated scenario still names that DOC does
    not have, as `drillbook simulate` would refuse it; the number of such problems. A key
    that records no title and agent (a hand-written scenario) cannot be moved, but it must
    not pass in silence."""
    from compiler.simulate.bind import bind
    from compiler.simulate.scenario import parse_scenario

    try:
        bind(document, workflow, parse_scenario(text, scenario), milestones=milestone_pins(doc))
    except ScenarioError as exc:
        problems = [p for p in exc.all() if p.line not in reported]  # WF506 said it already
    else:
        return 0
    if not problems:
        return 0
    for problem in problems:
        click.echo(f"{problem.where()}: error: {problem.message}", err=True)
    many = len(problems) != 1
    click.echo(
        f"drillbook: {len(problems)} name{'s' if many else ''} in {scenario} "
        f"{'match' if many else 'matches'} nothing in {doc}; update moves only step keys "
        "that record their step's title and agent (as generated scenarios do): fix "
        f"{'these' if many else 'it'} by hand",
        err=True,
    )
    return len(problems)


def _scenario_text(path: str) -> str:
    try:
        return Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise UsageProblem(f"{path}: no such scenario file") from None
    except UnicodeDecodeError:
        raise UsageProblem(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise UsageProblem(f"cannot read {path}: {exc.strerror or exc}") from None


def _scenario_document(scenario: str, text: str) -> str:
    """The document a scenario names (`workflow:`) or sits beside by its name."""
    from compiler.simulate.scenario import parse_scenario

    try:
        named = parse_scenario(text, scenario).scenario.workflow
    except ScenarioError as exc:
        raise UsageProblem(exc.describe()) from None
    found = (
        document_from_workflow(Path(scenario), named)
        if named
        else document_by_convention(Path(scenario))
    )
    if found is None:
        raise UsageProblem(f"{scenario} names no document and none is beside it: name DOC")
    return str(found)
