"""What a site is built from: the documents under the paths given, each with the name readers
see, its slug, the configuration that applies to it and the scenarios beside it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from compiler.checks.config import LintConfig, find_config, load_config
from compiler.checks.ruleset import resolve_code
from compiler.cli.files import markdown_files
from compiler.site.output import MARKER
from compiler.site.slugs import unique_slugs


class InputError(Exception):
    """A path that cannot be read or a configuration that does not load (exit 2)."""


@dataclass(frozen=True)
class SiteInput:
    key: str  # "corpus/sub/file.md": the input folder's name and the path inside it
    path: str
    slug: str
    config: LintConfig
    scenarios: tuple[tuple[str, str], ...]  # (name beside the document, file)


def gather_inputs(
    paths: list[str], config_file: str | None = None, *, output: Path | None = None
) -> list[SiteInput]:
    """Every document under `paths`, sorted by key; the same whatever order `paths` came in.
    A document named twice (a file and its folder) is read once. The site being built
    (`output`) and any other folder drillbook wrote as a site are output, not input: a site
    built inside an input folder must not read its own Markdown export back in."""
    found: dict[str, tuple[str, LintConfig]] = {}
    seen: set[Path] = set()
    sites = _SiteFolders(output)
    configs: dict[Path | None, LintConfig] = {}
    for raw in sorted(paths, key=lambda p: str(Path(p).resolve())):
        path = Path(raw)
        if not path.exists():
            raise InputError(f"no such file or directory: {raw}")
        config = _config(path, config_file, configs)
        if path.is_dir():
            base = path.resolve().name or "root"
            files = [
                Path(f)
                for f in markdown_files(path, config.exclude)
                if not sites.holds(Path(f), path)
            ]
            pairs = [(f"{base}/{f.relative_to(path).as_posix()}", f) for f in files]
        else:
            pairs = [(path.name, path)]
        for key, file in pairs:
            real = file.resolve()
            if real in seen:
                continue
            seen.add(real)
            unique = key
            number = 2
            while unique in found:  # two input folders with one name
                unique = f"{key.split('/')[0]} ({number})/{key.partition('/')[2] or key}"
                number += 1
            found[unique] = (str(file), config)
    slugs = unique_slugs(found)
    return [
        SiteInput(key, file, slugs[key], config, _scenarios(Path(file)))
        for key, (file, config) in sorted(found.items())
    ]


class _SiteFolders:
    """Which files lie in a site folder: `output`, or a folder holding drillbook's site
    marker (`.drillbook/site`). Each folder is looked at once."""

    def __init__(self, output: Path | None) -> None:
        self.output = output.resolve() if output is not None else None
        self.marked: dict[Path, bool] = {}

    def holds(self, file: Path, root: Path) -> bool:
        """Does `file`, found under the input folder `root`, lie in a site folder? (A site
        given as the input folder itself was asked for.)"""
        real = file.resolve()
        if self.output is not None and self.output in real.parents:
            return True
        below = file.relative_to(root).parents
        return any(self._marked(root / folder) for folder in below if folder != Path("."))

    def _marked(self, folder: Path) -> bool:
        if folder not in self.marked:
            self.marked[folder] = (folder / MARKER).is_file()
        return self.marked[folder]


def _config(
    path: Path, config_file: str | None, cache: dict[Path | None, LintConfig]
) -> LintConfig:
    from compiler.checks.config import ConfigError

    where = Path(config_file) if config_file else find_config(path)
    if where not in cache:
        try:
            cache[where] = load_config(where, resolve_code) if where else LintConfig()
        except ConfigError as exc:
            raise InputError(str(exc)) from None
    return cache[where]


def _scenarios(document: Path) -> tuple[tuple[str, str], ...]:
    from compiler.simulate.discovery import scenarios_beside

    folder = document.parent
    return tuple((p.relative_to(folder).as_posix(), str(p)) for p in scenarios_beside(document))


def config_fingerprint(config: LintConfig) -> str:
    """What of a configuration changes a page: its settings and its agent catalog's files."""
    digest = hashlib.sha256(repr(config).encode("utf-8"))
    if config.agents is not None and config.agents.is_dir():
        for file in sorted(config.agents.rglob("*")):
            if file.is_file():
                digest.update(file.as_posix().encode("utf-8"))
                digest.update(file.read_bytes())
    return digest.hexdigest()
