"""Running the checks over many files: configuration lookup, loading, optional worker
processes. Results come back in file order whatever `--jobs` is, so output is identical."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from compiler.checks import apply_config, check_document
from compiler.checks.agents import load_catalog
from compiler.checks.config import ConfigError, LintConfig, find_config, load_config
from compiler.checks.ruleset import resolve_code
from compiler.cli.common import UsageProblem
from compiler.diagnostics import Diagnostic
from compiler.parse import parse_document
from compiler.source import UnreadableFile, read_source, read_stdin


@dataclass(frozen=True)
class FileResult:
    """One file's findings, the source lines they show, or why it could not be read."""

    path: str
    diagnostics: tuple[Diagnostic, ...] = ()
    lines: dict[int, str] = field(default_factory=dict)  # source lines the diagnostics need
    problem: str | None = None  # an I/O error (exit 2), already phrased


def resolve_config(
    paths: Iterable[str],
    config_file: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    agents: str | None,
    stdin_name: str | None = None,
) -> LintConfig:
    """The file configuration (explicit, or the nearest one) with the flags applied; for
    a document read from stdin the one nearest to `stdin_name`."""
    try:
        if config_file is not None:
            config = load_config(Path(config_file), resolve_code)
        else:
            named = [stdin_name if p == "-" and stdin_name else p for p in paths]
            first = next((p for p in named if p != "-"), ".")
            found = find_config(Path(first))
            config = load_config(found, resolve_code) if found else LintConfig()
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None
    config = config.with_cli(
        select=_codes("--select", select),
        ignore=_codes("--ignore", ignore),
        agents=Path(agents) if agents else None,
    )
    if config.agents is not None and config.enabled("WF108"):
        try:
            load_catalog(config.agents)
        except ConfigError as exc:
            raise UsageProblem(str(exc)) from None
    return config


def _codes(flag: str, values: tuple[str, ...]) -> tuple[str, ...]:
    codes: list[str] = []
    for value in values:
        for name in value.replace(",", " ").split():
            code = resolve_code(name)
            if code is None:
                raise UsageProblem(
                    f"{flag}: unknown rule '{name}' (`drillbook rules` lists the codes and slugs)"
                )
            codes.append(code)
    return tuple(codes)


def lint_paths(
    files: list[str], config: LintConfig, jobs: int, stdin_name: str | None = None
) -> list[FileResult]:
    """Lint every file; with `jobs` > 1 the files are spread over worker processes.
    `stdin_name` names the document read from `-` (editors pass the buffer's path)."""
    workers = _workers(jobs, len(files))
    if workers <= 1 or "-" in files:
        return [lint_file(path, config, stdin_name) for path in files]
    # here, not at the top: a lint of one file (an editor, pre-commit) never starts a pool
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(files) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lint_file, files, [config] * len(files), chunksize=chunk))


def _unreadable(
    path: str, shown: str, reason: str, config: LintConfig, line: int = 1, column: int = 1
) -> FileResult:
    """WF901 for a file that cannot be read, as configured (it may be ignored or re-levelled)."""
    from compiler.checks.rules.parsing import unreadable_file

    problem = unreadable_file(shown, reason, line, column)
    return FileResult(path, tuple(apply_config([problem], config)))


def _workers(jobs: int, files: int) -> int:
    if jobs == 0:
        jobs = os.cpu_count() or 1
    return max(1, min(jobs, files))


def lint_file(path: str, config: LintConfig, stdin_name: str | None = None) -> FileResult:
    """Load, parse and check one file; never raises for a bad file."""
    try:
        if path == "-":
            source = read_stdin(stdin_name or "<stdin>")
        else:
            source = read_source(Path(path), path)
    except UnreadableFile as exc:
        shown = (stdin_name or "<stdin>") if path == "-" else path
        return _unreadable(path, shown, exc.reason, config, exc.line, exc.column)
    except IsADirectoryError:
        return FileResult(path, problem=f"{path} is a directory")
    except FileNotFoundError:
        if Path(path).is_symlink():
            # A dangling link among the playbooks of a folder is reported like any file
            # that cannot be read, and the other files are still linted.
            reason = f"broken symbolic link to {os.readlink(path)}"
            return _unreadable(path, path, reason, config)
        return FileResult(path, problem=f"no such file or directory: {path}")
    except PermissionError:
        return FileResult(path, problem=f"permission denied: {path}")
    except OSError as exc:
        return FileResult(path, problem=f"cannot read {path}: {exc.strerror or exc}")
    try:
        document = parse_document(source)
        diagnostics = check_document(document, config, source=source.text)
    except Exception as exc:  # a bug in drillbook: say which file, and lint the others
        return FileResult(
            source.path,
            problem=f"internal error on {source.path}: {type(exc).__name__}: {exc} (this is a "
            "bug in drillbook; please report it with this file)",
        )
    wanted = {d.line for d in diagnostics}
    lines = {n: source.line(n) for n in sorted(wanted)}
    return FileResult(source.path, tuple(diagnostics), lines)
