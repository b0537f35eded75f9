"""Where scenarios live: beside their document (`DOC.scenario.yaml`, `DOC.NAME.scenario.yaml`)
or in a folder named after it (`DOC.scenarios/*.yaml`); YAML or JSON.

A scenario names its document with `workflow:` (relative to the scenario file); without it,
the document is found by the naming convention above.
"""

from __future__ import annotations

import os
from pathlib import Path

SUFFIXES = (".yaml", ".yml", ".json")


def is_scenario_file(path: Path) -> bool:
    name = path.name.lower()
    if path.parent.name.endswith(".scenarios"):
        return name.endswith(SUFFIXES) and not name.startswith(".")
    return any(name.endswith(f".scenario{suffix}") for suffix in SUFFIXES)


def scenarios_beside(document: Path) -> list[Path]:
    """Scenario files that belong to `document` by name, sorted."""
    folder = document.parent
    stem = document.stem
    found: set[Path] = set()
    if folder.is_dir():
        for candidate in folder.iterdir():
            if not candidate.is_file() or not is_scenario_file(candidate):
                continue
            base = _base(candidate.name)
            if base == stem or base.startswith(stem + "."):
                found.add(candidate)
        for directory in (folder / f"{stem}.scenarios", folder / f"{document.name}.scenarios"):
            if directory.is_dir():
                found.update(p for p in directory.iterdir() if p.is_file() and is_scenario_file(p))
    return sorted(found, key=lambda p: p.as_posix())


def default_scenario(document: Path) -> Path | None:
    """The scenario `drillbook simulate DOC` uses when none is named: `DOC.scenario.yaml`."""
    for suffix in SUFFIXES:
        candidate = document.parent / f"{document.stem}.scenario{suffix}"
        if candidate.is_file():
            return candidate
    return None


def document_by_convention(scenario: Path) -> Path | None:
    """`x.scenario.yaml`, `x.name.scenario.yaml` → `x.md`; `x.scenarios/y.yaml` → `x.md`."""
    parent = scenario.parent
    if parent.name.endswith(".scenarios"):
        base = parent.name.removesuffix(".scenarios")
        for candidate in (parent.parent / base, parent.parent / f"{base}.md"):
            if candidate.suffix == ".md" and candidate.is_file():
                return candidate
        return None
    base = _base(scenario.name)
    while base:
        candidate = parent / f"{base}.md"
        if candidate.is_file():
            return candidate
        base = base.rpartition(".")[0]
    return None


def document_from_workflow(scenario: Path, workflow: str) -> Path:
    """The `workflow:` key of a scenario, relative to the scenario's folder, tidied."""
    joined = Path(workflow) if Path(workflow).is_absolute() else scenario.parent / workflow
    return Path(os.path.normpath(joined))


def _base(name: str) -> str:
    """`a.b.scenario.yaml` → `a.b` (the document stem, maybe followed by a scenario name)."""
    lowered = name.lower()
    for suffix in SUFFIXES:
        ending = f".scenario{suffix}"
        if lowered.endswith(ending):
            return name[: -len(ending)]
    return name
