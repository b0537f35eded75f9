"""`drillbook site PATH… -o DIR`: a static site of a folder of playbooks."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from compiler.cli.common import UsageProblem


@click.command("site")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o", "--output", required=True, type=click.Path(file_okay=False), help="The site folder."
)
@click.option("--force", is_flag=True, help="Replace a non-empty folder drillbook did not write.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes (0: one per CPU).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Lint configuration for every document (default: the nearest one to each path).",
)
@click.option(
    "--watch", is_flag=True, help="Rebuild whenever a document changes (needs drillbook[watch])."
)
def site_command(
    paths: tuple[str, ...],
    output: str,
    force: bool,
    jobs: int,
    config_file: str | None,
    watch: bool,
) -> int:
    """Build a browsable, searchable site of the playbooks under PATHS into DIR: an index
    with lint status, a page per document, agents, rules and offline search. The site is
    built beside DIR and swapped in when complete; unchanged documents come from a cache."""
    if "-" in paths:
        raise UsageProblem("site reads documents from files and folders, not from stdin")
    build_once(list(paths), Path(output), force, jobs, config_file)
    if watch:
        from compiler.cli.site_watch import watch_and_rebuild

        def rebuild() -> None:
            # After the first build DIR is drillbook's own: no --force needed.
            build_once(list(paths), Path(output), False, jobs, config_file)

        watch_and_rebuild(list(paths), rebuild, Path(output))
    return 0


def build_once(
    paths: list[str], output: Path, force: bool, jobs: int, config_file: str | None
) -> None:
    from compiler.site.build import build_site
    from compiler.site.inputs import InputError
    from compiler.site.output import OutputError

    started = time.perf_counter()
    bar = ProgressBar() if _interactive() else None
    try:
        report = build_site(
            paths, output, force=force, jobs=jobs, config_file=config_file,
            progress=bar.update if bar else None,
        )  # fmt: skip
    except (InputError, OutputError) as exc:
        raise UsageProblem(str(exc)) from None
    finally:
        if bar:
            bar.finish()
    elapsed = time.perf_counter() - started
    notes = []
    if report.unreadable:
        notes.append(f"{report.unreadable} unreadable")
    if report.errors:
        notes.append(f"{report.errors} with lint errors")
    extra = f" ({', '.join(notes)})" if notes else ""
    click.echo(
        f"wrote {output / 'index.html'}: {_count(report.documents, 'document')}, "
        f"{_count(report.pages, 'page')}, "
        f"{report.rebuilt} rebuilt{extra} in {elapsed:.1f}s",
        err=True,
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _interactive() -> bool:
    """A progress bar only for a person at a terminal: not when piped, not in CI."""
    return sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


class ProgressBar:
    WIDTH = 30

    def __init__(self) -> None:
        self.shown = False

    def update(self, done: int, total: int) -> None:
        filled = self.WIDTH * done // max(total, 1)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        sys.stderr.write(f"\rdrillbook site [{bar}] {done}/{total} documents")
        sys.stderr.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
