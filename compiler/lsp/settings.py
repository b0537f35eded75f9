"""The lint configuration of an open document: the nearest `drillbook.toml` or
`pyproject.toml` with `[tool.drillbook]` above its file, as `drillbook lint FILE` finds it.
Re-read when that file changes; a broken configuration falls back to the defaults and is
reported once per change, never raised."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from compiler.checks.agents import load_catalog, load_entries
from compiler.checks.config import ConfigError, LintConfig, find_config, load_config
from compiler.checks.ruleset import resolve_code


class ConfigCache:
    def __init__(self, warn: Callable[[str], None]) -> None:
        self._warn = warn
        self._loaded: dict[Path, tuple[float, LintConfig]] = {}
        self._warned: set[tuple[Path, float]] = set()

    def config_for(self, path: str | None) -> LintConfig:
        """The configuration for the document at `path` (None: an unsaved buffer)."""
        if path is None:
            return LintConfig()
        found = find_config(Path(path))
        if found is None:
            return LintConfig()
        try:
            stamp = found.stat().st_mtime
        except OSError:
            return LintConfig()
        cached = self._loaded.get(found)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        config = self._load(found, stamp)
        self._loaded[found] = (stamp, config)
        return config

    def _load(self, found: Path, stamp: float) -> LintConfig:
        try:
            config = load_config(found, resolve_code)
        except ConfigError as exc:
            self._report(found, stamp, f"{exc}; using the default configuration")
            return LintConfig()
        if config.agents is not None:
            try:
                load_catalog(config.agents)
            except ConfigError as exc:
                self._report(found, stamp, f"{exc}; agent names are not checked")
                config = replace(config, agents=None)
        return config

    def _report(self, found: Path, stamp: float, message: str) -> None:
        if (found, stamp) not in self._warned:
            self._warned.add((found, stamp))
            self._warn(message)


def catalog_stamp(folder: Path | None) -> tuple[tuple[str, float], ...]:
    """The state of an agent catalog on disk (its files and their times). The checks keep
    a catalog once read, which suits one lint run; a server runs for hours while the
    author edits the definitions, so when the stamp changes the kept catalog is dropped."""
    if folder is None:
        return ()
    try:
        files = sorted(folder.rglob("*.md"))
        stamp = tuple((str(path), path.stat().st_mtime) for path in files)
    except OSError:
        stamp = ()
    if _catalog_stamps.get(folder) != stamp:
        _catalog_stamps[folder] = stamp
        load_catalog.cache_clear()
        load_entries.cache_clear()
    return stamp


_catalog_stamps: dict[Path, tuple[tuple[str, float], ...]] = {}
