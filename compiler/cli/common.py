"""What every subcommand shares: finding and loading documents, writing output atomically,
one-line errors."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import click

from compiler.cli.files import markdown_files
from compiler.diagnostics import Diagnostic, unreadable
from compiler.model import Document
from compiler.parse import parse_document
from compiler.source import UnreadableFile, read_source, read_stdin


class UsageProblem(click.UsageError):
    """Bad arguments or unreadable paths: exit 2 with one line."""

    def format_message(self) -> str:
        return self.message

    def show(self, file: object = None) -> None:
        click.echo(f"drillbook: error: {self.message}", err=True)


class Loaded(NamedTuple):
    """A document as the CLI loaded it: parsed, or unreadable (WF901)."""

    path: str
    document: Document | None
    problem: Diagnostic | None = None


def expand_paths(
    paths: Iterable[str], exclude: Iterable[str] = (), *, respect_gitignore: bool = True
) -> list[str]:
    """Files named on the command line, with folders expanded to their `*.md` files
    (`compiler.cli.files`: sorted, hidden and vendored folders, excluded and git-ignored
    files skipped). A missing path is a usage error."""
    patterns = tuple(exclude)
    found: list[str] = []
    for raw in paths:
        if raw == "-":
            found.append("-")
            continue
        path = Path(raw)
        if path.is_dir():
            found.extend(markdown_files(path, patterns, respect_gitignore=respect_gitignore))
        elif path.exists():
            found.append(raw)
        else:
            raise UsageProblem(f"no such file or directory: {raw}")
    return list(dict.fromkeys(found))  # a file named twice is read once


def load(path: str) -> Loaded:
    """Parse one document; unreadable content becomes a WF901 diagnostic, not an exception."""
    try:
        source = read_stdin() if path == "-" else read_source(Path(path), path)
    except UnreadableFile as exc:
        return Loaded(path, None, unreadable(path, exc.reason, exc.line, exc.column))
    except IsADirectoryError:
        raise UsageProblem(f"{path} is a directory") from None
    except FileNotFoundError:
        raise UsageProblem(f"no such file or directory: {path}") from None
    except PermissionError:
        raise UsageProblem(f"permission denied: {path}") from None
    except OSError as exc:
        raise UsageProblem(f"cannot read {path}: {exc.strerror or exc}") from None
    return Loaded(path, parse_document(source))


def load_all(paths: Iterable[str]) -> list[Loaded]:
    return [load(path) for path in paths]


def write_output(output: str | None, text: str) -> None:
    """Write to `output` atomically (temp file + rename), or to stdout when None / "-"."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    write_atomic(Path(output), text.encode("utf-8"))


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` so that a reader never sees half a file: into a temporary
    file beside it, then renamed over it. A symlink is written through (its target is
    replaced, the link stays); a device or FIFO (`/dev/stdout`, a pipe) is written to
    directly, since renaming over it would replace the device with a file."""
    try:
        _write(target, data)
    except UsageProblem:
        raise
    except OSError as exc:
        raise UsageProblem(f"cannot write {target}: {exc.strerror or exc}") from None


def _write(target: Path, data: bytes) -> None:
    resolved = Path(os.path.realpath(target))
    if resolved.exists() and not resolved.is_file():
        if resolved.is_dir():
            raise UsageProblem(f"{target} is a directory; give a file name for -o")
        with open(resolved, "wb") as stream:  # a device or FIFO: no rename possible
            stream.write(data)
        return
    directory = resolved.parent
    if not directory.exists():
        raise UsageProblem(f"output folder does not exist: {target.parent}")
    import tempfile  # here: most runs write to stdout, and tempfile brings shutil (cold start)

    handle, temp = tempfile.mkstemp(prefix=f".{resolved.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp creates 0600; a written report should get the usual umask-derived mode.
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, resolved)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def echo_diagnostic_line(diagnostic: Diagnostic) -> None:
    """A one-line diagnostic on stderr, compiler style."""
    click.echo(
        f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}: {diagnostic.severity} "
        f"{diagnostic.code} {diagnostic.rule}: {diagnostic.message}",
        err=True,
    )


def milestone_pins(document_path: str) -> dict[str, str]:
    """The objective milestones the configuration nearest `document_path` pins for it
    (`milestones` / `per-file-milestones` in drillbook.toml or [tool.drillbook])."""
    from compiler.checks.config import ConfigError, find_config, load_config
    from compiler.checks.ruleset import resolve_code

    found = find_config(Path(document_path)) if document_path != "-" else None
    if found is None:
        return {}
    try:
        return load_config(found, resolve_code).milestones_for(document_path)
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None
