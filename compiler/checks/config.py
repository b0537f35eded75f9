"""Lint configuration: `[tool.drillbook]` in pyproject.toml or a `drillbook.toml` (DESIGN §5).

```toml
[tool.drillbook]
select = ["WF2", "WF301"]          # codes, slugs or code prefixes; default: every rule
ignore = ["unused-output"]
severity = { WF203 = "error", ambiguous-reference = "warning" }
per-file-ignores = { "drafts/*.md" = ["WF201"] }
agents = ".claude/agents"          # agent catalog for WF108 (folder of agent .md files)
exclude = ["node_modules/*", "vendor/*"]
unsafe-fixes = true                # `lint --fix` also applies reference did-you-means
milestones = { RTO = "phase-4" }   # where a document's objective is measured to (simulation)
per-file-milestones = { "incidents/payments.md" = { RTO = "Recovery Confirmation" } }
```

One configuration serves a run: the nearest `drillbook.toml` or `pyproject.toml` with a
`[tool.drillbook]` table, looking upwards from the first linted path. Paths in it are
relative to the file that holds it. Mistakes are reported with the file, line and key.
"""

from __future__ import annotations

import contextlib
import difflib
import fnmatch
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from compiler.diagnostics import Severity

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

#: Rules that run only when selected (`--select WF205`): useful while tidying a playbook, too
#: chatty to be on for every author (like ruff's preview rules).
OPT_IN = frozenset({"WF205"})
KEYS = (
    "select",
    "ignore",
    "severity",
    "per-file-ignores",
    "agents",
    "exclude",
    "milestones",
    "per-file-milestones",
    "unsafe-fixes",
)


class ConfigError(ValueError):
    """A configuration mistake, already phrased for the user (file, line, key)."""


@dataclass(frozen=True)
class LintConfig:
    """The lint configuration: a configuration file's settings, with the flags applied."""

    select: tuple[str, ...] | None = None  # codes or code prefixes; None = every rule
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    agents: Path | None = None
    exclude: tuple[str, ...] = ()
    #: objective name → milestone (an id, `Phase 4` or a title), for every document …
    milestones: tuple[tuple[str, str], ...] = ()
    #: … and for the documents a glob matches (these win)
    per_file_milestones: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    unsafe_fixes: bool = False  # `--fix` also applies fixes that pick for the author
    root: Path = field(default_factory=Path)
    path: Path | None = None  # the file it came from, None for defaults

    def enabled(self, code: str) -> bool:
        """Is rule `code` selected and not ignored? An exact `select` beats a prefix ignore.
        An opt-in rule (`OPT_IN`) runs only when `select` names it (or a prefix of it)."""
        if any(code == entry for entry in self.select or ()):
            return code not in self.ignore
        if self.select is None and code in OPT_IN:
            return False
        if self.select is not None and not any(_covers(entry, code) for entry in self.select):
            return False
        return not any(_covers(entry, code) for entry in self.ignore)

    def ignored_in(self, file: str, code: str) -> bool:
        """Does a `per-file-ignores` glob matching `file` cover `code`?"""
        if not self.per_file_ignores:
            return False
        for pattern, codes in self.per_file_ignores:
            if self._matches(file, pattern) and any(_covers(entry, code) for entry in codes):
                return True
        return False

    def milestones_for(self, file: str) -> dict[str, str]:
        """The objective milestones pinned for document `file` (`{"RTO": "phase-4"}`)."""
        pins = dict(self.milestones)
        for pattern, entries in self.per_file_milestones:
            if self._matches(file, pattern):
                pins.update(entries)
        return pins

    def _matches(self, file: str, pattern: str) -> bool:
        """Does glob `pattern` match `file`, as given or relative to the configuration?"""
        candidates = {Path(file).as_posix()}
        with contextlib.suppress(ValueError):  # outside the configuration's folder
            candidates.add(Path(file).resolve().relative_to(self.root.resolve()).as_posix())
        return any(fnmatch.fnmatch(c, pattern) for c in candidates)

    def severity_of(self, code: str, default: Severity) -> Severity:
        for entry, level in self.severity:
            if entry == code:
                return level
        return default

    def with_cli(
        self,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        agents: Path | None = None,
    ) -> LintConfig:
        """Command-line flags override the file: `--select` replaces its selection,
        `--ignore` adds to its ignores, `--agents` replaces its catalog."""
        updated = self
        if select:
            updated = replace(updated, select=tuple(select))
            updated = replace(updated, ignore=tuple(c for c in updated.ignore if c not in select))
        if ignore:
            updated = replace(updated, ignore=updated.ignore + tuple(ignore))
        if agents is not None:
            updated = replace(updated, agents=agents)
        return updated


def _covers(entry: str, code: str) -> bool:
    return entry == "ALL" or code.startswith(entry)


def find_config(start: Path) -> Path | None:
    """The nearest drillbook.toml, or pyproject.toml with [tool.drillbook], above `start`."""
    here = start.resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for folder in (here, *here.parents):
        own = folder / "drillbook.toml"
        if own.is_file():
            return own
        project = folder / "pyproject.toml"
        if project.is_file() and _has_section(project):
            return project
    return None


def _has_section(project: Path) -> bool:
    try:
        text = project.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*drillbook\s*[\].]", text, re.MULTILINE) is not None


def load_config(path: Path, resolve_code: Any) -> LintConfig:
    """Read `path` (pyproject.toml or drillbook.toml). `resolve_code(name)` turns a code,
    slug or prefix into the canonical form, or returns None when it names no rule."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    import tomllib  # here: a lint without a configuration file never reads TOML (cold start)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    table = data.get("tool", {}).get("drillbook", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.drillbook] must be a table")
    return _parse(table, _Located(path, text), resolve_code)


class _Located(NamedTuple):
    path: Path
    text: str

    def where(self, key: str) -> str:
        """`file:line` of the first line that sets `key` (or just the file)."""
        quoted = r"[\"']?" + re.escape(key) + r"[\"']?\s*="
        match = (
            re.compile(r"^\s*" + quoted, re.MULTILINE).search(self.text)
            or re.compile(r"[{,]\s*" + quoted).search(self.text)  # a key in an inline table
            # a table header: `[lint]`, `[tool.drillbook.lint]`
            or re.compile(
                r"^\s*\[\s*(?:tool\s*\.\s*drillbook\s*\.\s*)?" + re.escape(key) + r"\s*[\].]",
                re.MULTILINE,
            ).search(self.text)
        )
        if match is None:
            return str(self.path)
        return f"{self.path}:{self.text.count(chr(10), 0, match.start()) + 1}"

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.where(key)}: {message}")


def _parse(table: dict[str, Any], at: _Located, resolve_code: Any) -> LintConfig:
    table = {key.replace("_", "-"): value for key, value in table.items()}
    for key in table:
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            inner = table[key]
            if (
                isinstance(inner, dict)
                and inner
                and all(k.replace("_", "-") in KEYS for k in inner)
            ):
                home = "[tool.drillbook]" if at.path.name == "pyproject.toml" else "the file"
                hint = f" (the settings go directly in {home}, not in a [{key}] table)"
            if key == "tool" and isinstance(inner, dict) and "drillbook" in inner:
                hint = (
                    " (drillbook.toml holds the settings at the top level: drop the"
                    " [tool.drillbook] header)"
                )
            raise at.fail(key, f"unknown key '{key}'{hint}; known keys: {', '.join(KEYS)}")
    root = at.path.parent

    def codes(key: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise at.fail(key, f"'{key}' must be a list of rule codes or slugs")
        out = []
        for name in value:
            code = resolve_code(name)
            if code is None:
                raise at.fail(key, f"'{key}' names an unknown rule '{name}'")
            out.append(code)
        return tuple(out)

    select = codes("select", table["select"]) if "select" in table else None
    ignore = codes("ignore", table["ignore"]) if "ignore" in table else ()
    severity: list[tuple[str, Severity]] = []
    levels = table.get("severity", {})
    if not isinstance(levels, dict):
        raise at.fail("severity", "'severity' must be a table of rule = \"error|warning|info\"")
    for name, level in levels.items():
        code = resolve_code(name)
        if code is None:
            raise at.fail(name, f"'severity' names an unknown rule '{name}'")
        if level not in SEVERITIES:
            raise at.fail(name, f"severity of '{name}' must be error, warning or info")
        severity.append((code, level))
    ignores: list[tuple[str, tuple[str, ...]]] = []
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise at.fail("per-file-ignores", "'per-file-ignores' must be a table of glob = [codes]")
    for pattern, names in per_file.items():
        ignores.append((pattern, codes(pattern, names)))
    agents = table.get("agents")
    if agents is not None and not isinstance(agents, str):
        raise at.fail("agents", "'agents' must be a path to a folder of agent files")
    exclude = table.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(v, str) for v in exclude):
        raise at.fail("exclude", "'exclude' must be a list of glob patterns")

    def milestones(key: str, value: Any) -> tuple[tuple[str, str], ...]:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise at.fail(key, f"'{key}' must be a table of objective = \"step or phase\"")
        return tuple(value.items())

    per_file_milestones = table.get("per-file-milestones", {})
    if not isinstance(per_file_milestones, dict):
        raise at.fail(
            "per-file-milestones", "'per-file-milestones' must be a table of glob = {objective …}"
        )
    unsafe = table.get("unsafe-fixes", False)
    if not isinstance(unsafe, bool):
        raise at.fail("unsafe-fixes", "'unsafe-fixes' must be true or false")
    return LintConfig(
        select=select,
        ignore=ignore,
        severity=tuple(severity),
        per_file_ignores=tuple(ignores),
        agents=(root / agents) if agents else None,
        exclude=tuple(exclude),
        milestones=milestones("milestones", table.get("milestones", {})),
        per_file_milestones=tuple(
            (pattern, milestones(pattern, entries))
            for pattern, entries in per_file_milestones.items()
        ),
        unsafe_fixes=unsafe,
        root=root,
        path=at.path,
    )
