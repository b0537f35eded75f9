"""Which of the agents the model records are listed on the site's agents page.

The parser reads agents out of prose as well as out of Task calls, and in prose it sometimes
takes a command (`--debate`), a path (`.agenthub/board/`), a verb (`Apply`) or half a
sentence for one. The page lists a name when it reads as the name of an agent, with the
grammars the parser itself names agents with (`compiler.parse.patterns.AGENT_NAME` for a
`subagent_type` value, `compiler.parse.agent_names` for names in prose):

- Claude Code's built-in agents (`Explore`, `Plan`, `general-purpose`) always;
- otherwise not an ordinary word, tool or command the parser knows is never an agent
  (`agent_names.ordinary`: `Bash`, `Task`), not a phrase led by a determiner (`Each QA`),
  nor a file name or folder;
- and either an identifier of the `subagent_type` grammar (letters, digits and
  `_ . : / @ + -`, starting with a letter or digit): `python-pro`, `plugin::reviewer`,
  `Explore` — where a single plain word (no separator, like `asyncio` or `Apply`) counts only
  when a Task call names it somewhere in the site or it names a role (`reviewer`,
  `Developer`, `Architect`, `analyst`: ends in -er, -or, -ist, -yst, -ian, -ect, -ant);
- or a Title Case name of two to four words, as the prose reader takes them (`Backend
  Architect`, `QA Expert`), not all in capitals (`YOU MUST`).

Names in scripts without capitals (CJK) are listed only from Task calls. The rest of the
product (lint, simulate, the document pages) keeps every agent the model records.
"""

from __future__ import annotations

import re

from compiler.checks.agents import BUILTIN_AGENTS
from compiler.parse.agent_names import ordinary

_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/@+-]*")
_SEPARATED = re.compile(r"[-_.:/@+]|[a-z][A-Z]")  # kebab, qualified, camelCase
_FILE = re.compile(r"/$|\.(?:md|mdx|ya?ml|json|toml|txt|py|js|ts|sh)$", re.I)
_ROLE = re.compile(r"(?:er|or|ist|yst|ian|ect|ant)s?$", re.I)
_DETERMINERS = frozenset(
    [
        "a",
        "an",
        "the",
        "each",
        "every",
        "all",
        "any",
        "both",
        "one",
        "some",
        "no",
        "you",
        "this",
        "that",
        "these",
        "those",
    ]
)
_TITLE_NAME = re.compile(r"[A-Z][\w]*(?:[ -](?:[A-Z][\w]*|of|&)){1,3}")


def listed_agent(name: str, named_by_a_call: bool) -> bool:
    """Does `name` read as an agent's name (see the module docstring)? `named_by_a_call`:
    some step of the site names it in an explicit invocation (a Task call, `subagent_type`)."""
    text = name.strip()
    if text.lower() in BUILTIN_AGENTS:
        return True
    if not text or ordinary(text) or text.split()[0].lower() in _DETERMINERS:
        return False
    if _FILE.search(text):
        return False
    if _IDENTIFIER.fullmatch(text):
        if _SEPARATED.search(text):
            return True
        return named_by_a_call or bool(_ROLE.search(text))
    if _TITLE_NAME.fullmatch(text):
        words = re.split(r"[ -]", text)
        return not all(w.isupper() and len(w) > 1 for w in words if w not in ("of", "&"))
    return False
