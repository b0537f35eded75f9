"""The scenario schema where editors find it: scenario files drillbook writes start with a
`# yaml-language-server: $schema=…` line pointing at `.drillbook/scenario.schema.json` in the
project (the nearest folder with a drillbook.toml, a pyproject.toml or a .git), which is
written beside it, and refreshed when drillbook's schema changes. With it, the YAML language
server (VS Code, Neovim, Helix…) completes and checks scenario keys as they are typed."""

from __future__ import annotations

import os
from pathlib import Path

from compiler.cli.common import write_atomic
from compiler.ir import dump_json

SCHEMA_FILE = Path(".drillbook") / "scenario.schema.json"
_PROJECT_MARKERS = ("drillbook.toml", "pyproject.toml", ".git")


def project_root(folder: Path) -> Path:
    here = folder.resolve()
    for candidate in (here, *here.parents):
        if any((candidate / marker).exists() for marker in _PROJECT_MARKERS):
            return candidate
    return here


def schema_line(folder: Path, outside: bool = False) -> str:
    """The modeline for a scenario file written into `folder`; writes the schema file.
    `outside`: `folder` holds scenarios only (`DOC.scenarios/`), so without a project
    around it the schema goes into the folder above it."""
    from compiler.simulate.scenario import scenario_schema

    start = folder.resolve().parent if outside else folder
    schema = project_root(start) / SCHEMA_FILE
    text = dump_json(scenario_schema())
    current = schema.read_text(encoding="utf-8") if schema.is_file() else None
    if current != text:
        schema.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(schema, text.encode("utf-8"))
    relative = Path(os.path.relpath(schema, folder.resolve())).as_posix()
    return f"# yaml-language-server: $schema={relative}\n"
