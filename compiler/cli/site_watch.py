"""`drillbook site --watch`: rebuild when a document, scenario or configuration changes.
Uses watchfiles (the optional extra `drillbook[watch]`), imported only here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from compiler.cli.common import UsageProblem

WATCHED_SUFFIXES = (".md", ".yaml", ".yml", ".json", ".toml")


def relevant(path: str) -> bool:
    """A change that can alter the site (not an editor's swap file or the site itself)."""
    name = Path(path).name
    return name.endswith(WATCHED_SUFFIXES) and not name.startswith((".", "~"))


def watch_and_rebuild(paths: list[str], rebuild: Callable[[], None], output: Path) -> None:
    try:
        from watchfiles import watch
    except ImportError:
        raise UsageProblem(
            "--watch needs the watchfiles package: pip install 'drillbook[watch]'"
        ) from None
    site = output.resolve()
    click.echo("watching for changes (Ctrl-C to stop)", err=True)
    for changes in watch(*paths, watch_filter=lambda _change, path: _outside(path, site)):
        changed = sorted({path for _change, path in changes if relevant(path)})
        if not changed:
            continue
        click.echo(f"changed: {', '.join(Path(p).name for p in changed)}", err=True)
        try:
            rebuild()
        except UsageProblem as exc:  # a broken config mid-edit: say so, keep watching
            click.echo(f"drillbook: error: {exc.message}", err=True)


def _outside(path: str, site: Path) -> bool:
    resolved = Path(path).resolve()
    # The site, and the folders a build swaps it through (`.<name>.building-…`), are output.
    scratch = any(part.startswith(f".{site.name}.") for part in resolved.parts)
    return relevant(path) and not scratch and site not in resolved.parents and resolved != site
