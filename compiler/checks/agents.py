"""The agent catalog WF108 checks agent names against: a folder of agent definition files
(`.claude/agents/*.md`, named by their front matter `name:` or their file name)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from compiler.checks.config import ConfigError

#: Agents Claude Code provides without a definition file.
BUILTIN_AGENTS = frozenset(
    {"general-purpose", "explore", "plan", "statusline-setup", "output-style-setup"}
)

_NAME = re.compile(r"^name\s*:\s*[\"']?(?P<name>[^\"'\n#]+?)[\"']?\s*$", re.MULTILINE)


@lru_cache(maxsize=8)
def load_catalog(folder: Path) -> frozenset[str]:
    """Agent names defined in `folder` (lower case). Raises ConfigError when it is not a
    readable folder."""
    if not folder.is_dir():
        raise ConfigError(f"agent catalog {folder} is not a folder")
    names: set[str] = set()
    for path in sorted(folder.rglob("*.md")):
        names.add(path.stem.lower())
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:4000]
        except OSError:
            continue
        if head.startswith("---"):
            front = head.split("---", 2)[1] if head.count("---") >= 2 else ""
            found = _NAME.search(front)
            if found:
                names.add(found.group("name").strip().lower())
    return frozenset(names)


def known_agent(name: str, catalog: frozenset[str]) -> bool:
    """Is `name` (possibly qualified `plugin::agent` / `plugin:agent`) in the catalog?"""
    wanted = name.strip().lower()
    if wanted in catalog or wanted in BUILTIN_AGENTS:
        return True
    short = re.split(r"::?|/", wanted)[-1]
    return short in catalog or short in BUILTIN_AGENTS
