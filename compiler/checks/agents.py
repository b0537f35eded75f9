"""The agent catalog WF108 checks agent names against: a folder of agent definition files
(`.claude/agents/*.md`, named by their front matter `name:` or their file name)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from compiler.checks.config import ConfigError
from compiler.parse.agent_names import unqualified
from compiler.regex import LazyPattern

#: Agents Claude Code provides without a definition file.
BUILTIN_AGENTS = frozenset(
    {"general-purpose", "explore", "plan", "statusline-setup", "output-style-setup"}
)

_NAME = LazyPattern(r"^name\s*:\s*[\"']?(?P<name>[^\"'\n#]+?)[\"']?\s*$", re.MULTILINE)


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
    short = unqualified(wanted)
    return short in catalog or short in BUILTIN_AGENTS


class AgentEntry(NamedTuple):
    """One agent definition file's front matter, as far as the checks use it."""

    name: str
    file: Path
    model: str | None = None
    #: the tools it may use; None when the file does not restrict them (all tools)
    tools: tuple[str, ...] | None = None


class FrontMatterProblem(NamedTuple):
    file: Path
    line: int
    column: int
    message: str


class Catalog(NamedTuple):
    entries: dict[str, AgentEntry]  # lower-case name (and file stem) → entry
    problems: tuple[FrontMatterProblem, ...] = ()

    def entry(self, name: str) -> AgentEntry | None:
        wanted = name.strip().lower()
        return self.entries.get(wanted) or self.entries.get(re.split(r"::?|/", wanted)[-1])


@lru_cache(maxsize=8)
def load_entries(folder: Path) -> Catalog:
    """Every agent definition in `folder` with its `model:` and `tools:`; front matter that
    does not parse is a problem with its position, never an exception."""
    import yaml

    entries: dict[str, AgentEntry] = {}
    problems: list[FrontMatterProblem] = []
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else ():
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        front = _front_matter(text)
        data: object = None
        if front is not None:
            try:
                data = yaml.safe_load(front)
            except yaml.YAMLError as exc:
                # `description: Use when … Examples: …` is read as Claude Code reads it
                from compiler.parse.loader_repair import repairs

                repaired = repairs(front)
                if repaired is not None:
                    data = repaired[0]
                else:
                    mark = getattr(exc, "problem_mark", None)
                    line = (mark.line + 2) if mark is not None else 1  # +1 for `---`, 1-based
                    column = (mark.column + 1) if mark is not None else 1
                    reason = getattr(exc, "problem", None) or "not valid YAML"
                    problems.append(FrontMatterProblem(path, line, column, str(reason)))
        fields = data if isinstance(data, dict) else {}
        name = str(fields.get("name") or path.stem).strip()
        entry = AgentEntry(name, path, _text(fields.get("model")), _tools(fields.get("tools")))
        entries.setdefault(path.stem.lower(), entry)
        entries[name.lower()] = entry
    return Catalog(entries, tuple(problems))


def _front_matter(text: str) -> str | None:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:index])
    return None


def _text(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def _tools(value: object) -> tuple[str, ...] | None:
    """`tools: Read, Grep, Bash(git:*)` or a YAML list → ("Read", "Grep", "Bash")."""
    if value is None:
        return None
    items = value if isinstance(value, list) else str(value).split(",")
    names = (re.sub(r"\(.*\)$", "", str(item)).strip() for item in items)
    return tuple(name for name in names if name)
