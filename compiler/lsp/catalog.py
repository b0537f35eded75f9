"""The agent catalog as an editor shows it: a definition file's front matter for hover,
and the names for completion after `subagent_type=`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from compiler.checks.agents import BUILTIN_AGENTS, load_catalog
from compiler.checks.config import ConfigError
from compiler.parse.agent_names import unqualified

_FRONT = re.compile(r"\A---\s*\n(?P<body>.*?)\n---\s*(?:\n|\Z)", re.DOTALL)


@dataclass(frozen=True)
class AgentEntry:
    name: str
    path: Path
    description: str | None
    model: str | None
    tools: str | None


def catalog_names(folder: Path | None) -> list[str]:
    """Every agent the catalog defines (sorted), or [] without a readable catalog."""
    if folder is None:
        return []
    try:
        return sorted(load_catalog(folder))
    except ConfigError:
        return []


def find_agent(folder: Path | None, name: str) -> AgentEntry | None:
    """The definition file of agent `name` (plain or qualified `plugin::agent`)."""
    if folder is None or not folder.is_dir():
        return None
    wanted = {name.strip().lower(), unqualified(name)}
    for path in sorted(folder.rglob("*.md")):
        front = _front_matter(path)
        declared = str(front.get("name", "")).strip().lower()
        if path.stem.lower() in wanted or declared in wanted:
            return AgentEntry(
                name=declared or path.stem,
                path=path,
                description=_text(front.get("description")),
                model=_text(front.get("model")),
                tools=_text(front.get("tools")),
            )
    return None


def is_builtin(name: str) -> bool:
    return name.strip().lower() in BUILTIN_AGENTS


def _front_matter(path: Path) -> dict[str, Any]:
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:8000]
    except OSError:
        return {}
    match = _FRONT.match(head)
    if match is None:
        return {}
    try:
        data = yaml.safe_load(match.group("body"))
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return " ".join(str(value).split()) or None
