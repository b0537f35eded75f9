"""How agents are named in prose: the markup a name is written in (`**bold**`, `` `code` ``,
`@agent-x`, kebab-case, Title Case), the words that are never agents (tools, commands, ordinary
capitalised words), and the small helpers that clean a name. Shared by the prose reader
(`delegation`) and the readers of rosters and assignments (`assignments`)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from compiler.model import Span
from compiler.parse.patterns import classify_heading
from compiler.regex import LazyPattern

#: A bold run may wrap once, as prose is wrapped ("spawn a **scaffolder agent\nin parallel**").
BOLD = r"\*\*(?P<bold>[^*\n]{1,60}?(?:\n[^*\n]{1,60}?)?)\*\*"
CODE = r"`(?P<code>[^`\n]{2,60}?)`"
AT = r"@(?:agent-)?(?P<at>[A-Za-z][\w:.-]*[\w])"
KEBAB = r"(?P<kebab>[a-z][a-z0-9]*(?:[-_:][a-z0-9]+)+)"
TITLE = r"(?-i:(?P<title>[A-Z][\w]*(?:[ -](?:(?!(?:AND|OR)\b)[A-Z][\w]*|of|&)){0,3}))"
#: A plain lower-case word counts as a name only when an agent noun follows it
#: ("delegates to the implement subagent", "spawn the reviewer agent").
PLAIN = r"(?-i:(?P<plain>[a-z][a-z0-9]{2,30}))(?=\s+(?:sub-?agent|agent|teammate)s?\b(?!-\w))"
#: A name in quotes counts only before an agent noun (`use the "reviewer" agent`): quotes
#: hold many things that are not agents.
QUOTED = (
    r"[\"“](?P<quoted>[A-Za-z][\w.:-]{1,40})[\"”]"
    r"(?=\s+(?:sub-?agent|agent|teammate)s?\b(?!-\w))"
)
NAME = r"(?:" + "|".join((BOLD, CODE, AT, KEBAB, QUOTED, TITLE, PLAIN)) + r")"

#: Names that are tools, commands or ordinary capitalised words, never agents.
NOT_AGENTS = frozenset(
    w.lower()
    for w in [
        # (words saying which agent: "route to the relevant expert agent")
        *("right", "appropriate", "relevant", "correct", "suitable", "matching", "proper"),
        # (words saying none: Dutch "start geen subagent", German "starte keinen Subagenten")
        *("geen", "kein", "keine", "keinen", "ningún", "ninguna", "nenhum", "nenhuma"),
        *("aucun", "aucune", "nessun", "nessuna"),
        "Chọn",  # Vietnamese "choose" ("Chọn agent phù hợp": choose a suitable agent)
        # (articles: "delega en **una** tarea"; and chat-wide mentions: "`@here` に投稿")
        *("the", "una", "uno", "um", "uma", "el", "los", "las", "les", "der", "das"),
        *("here", "channel", "everyone"),
        # (prepositions: "Spawn via Agent tool", "How to Consult (via Subagent)")
        *("via", "with", "using", "through", "into", "per", "from", "across", "within"),
        # (possessives and how agents work: "deploy your agent", "direct agent
        # orchestration", "→ Multi-Agent" as an architecture)
        *("your", "my", "our", "direct", "multi"),
        "Task",
        "Read",
        "Write",
        "Edit",
        "MultiEdit",
        "Bash",
        "Grep",
        "Glob",
        "LS",
        "WebFetch",
        "WebSearch",
        "TodoWrite",
        "Skill",
        "SlashCommand",
        "AskUserQuestion",
        "AskQuestion",
        "NotebookEdit",
        "TaskCreate",
        "TaskUpdate",
        "TaskOutput",
        "TaskList",
        "SendMessage",
        "TeamCreate",
        "TeamDelete",
        "ExitPlanMode",
        "Agent",
        "Claude",
        "Code",
        "Claude-Code",
        "GPT",
        "Tests",
        "Test",
        "Step",
        "Phase",
        "Workflow",
        "Command",
        "Script",
        "Server",
        "Build",
        "It",
        "This",
        "That",
        "These",
        "Those",
        "Them",
        "All",
        "Each",
        "Every",
        "Both",
        "Then",
        "Only",
        "Not",
        "No",
        "Yes",
        "If",
        "When",
        "The",
        "A",
        "An",
        "Mode",
        "Plan",
        "Todo",
        "Git",
        "GitHub",
        "Jira",
        "Linear",
        "Slack",
        "Markdown",
        "JSON",
        "YAML",
        "API",
        "CLI",
        "MCP",
        "CI",
        "PR",
        "Tool",
        "Tools",
        "Hooks",
        "Hook",
        "Python",
        "Node",
        "Npm",
        "Docker",
        "User",
        # what a cell of a table of cases says happens ("| **FULL** | Run | Skip |")
        "Run",
        "Skip",
        # the delegation tools themselves, listed among a prompt's tools
        "runSubagent",
        "manage_todo_list",
        "Skipped",
        "Optional",
        "Required",
        "None",
        "Always",
        "Never",
        "Users",
        "Human",
        "Humans",
        "Orchestrator",
        "Me",
        "You",
        "We",
        "New",
        "Fresh",
        "Same",
        "Other",
        "Next",
        "First",
        "Second",
        "Last",
        "Any",
        "Some",
        # how many agents, not which ("Spawn **one subagent** for the mission")
        "One",
        "Two",
        "Three",
        "Four",
        "Five",
        "Several",
        "Multiple",
        "Single",
        "Sub",
        "Agents",
        "Subagent",
        "Subagents",
        "Teammates",
        "Tasks",
        "Subtasks",
        "N",
        # how, or how many, said in a word where a name may stand ("launch the RIGHT
        # agents", "→ Fewer agents", "Engage EXACTLY the spec's set")
        "Exactly",
        "Right",
        "Fewer",
        "More",
        "Less",
        # a verb of the flow before its object ("-> spawns teammates", "-> message teammates")
        "Spawns",
        "Message",
        # where a flow arrow ends, not who runs ("Reviewer → (fix P0/P1) → Done")
        "Done",
        "End",
        "Finish",
        "Finished",
        "Complete",
        "Completed",
        "Stop",
        "Start",
        "Exit",
        "Success",
        "Pass",
        "Fail",
        "Failed",
        "Abort",
        "Skip",
    ]
)
#: The verb of a delegation or a check, and words around it, read where a name should be
#: ("→ Spawn agent", "Respawn original agent", "verify Wave 2 agents", "SPAWN SEQUENCE",
#: "You MUST"). Whole words only: `validate-agent` is a name.
DELEGATION_WORDS = frozenset(
    w.lower()
    for w in [
        "Spawn",
        "Respawn",
        "Launch",
        "Invoke",
        "Dispatch",
        "Delegate",
        "Verify",
        "Validate",
        "Identify",
        "Original",
        "Appropriate",
        "Correct",
        "Sequence",
        "Wave",
        "Waves",
        "Batch",
        "Must",
    ]
)
#: Words after a name that make it something other than an agent.
NOT_AGENT_AFTER = LazyPattern(
    r"\s*(?:tool|tools|skill|skills|command|commands|script|server|hook|mcp|pattern|template|"
    r"file|files|function|method|api|endpoint|step|phase|workflow|protocol|check|checks|"
    # (not the first word of a hyphenated name: "el subagente prompt-manager")
    r"prompt|query|session|loop|model)\b(?!-\w)",
    re.IGNORECASE,
)
GENERIC_NAME = "subagent"
AGENT_SUFFIX = LazyPattern(r"\b(?:sub-?agent|agent)s?$", re.IGNORECASE)


class Found(NamedTuple):
    name: str
    span: Span
    start: int  # offsets in the passage text
    end: int


#: Tool and API names (`subagent_wait`, `agent_spawn`, the MCP tool `mcp__ccw-tools__team_msg`):
#: functions, not agents.
API_NAME = LazyPattern(
    r"^(?:sub)?agent_\w+$|^\w+_(?:agent|subagent)s?$|^mcp__[\w-]+"
    # a member of a code object ("`Process.hierarchical`", "`event.Branch`")
    r"|^(?-i:[A-Z]\w*\.[a-z_]\w*|[a-z_]\w*\.[A-Z]\w*)$",
    re.IGNORECASE,
)
#: Words that, in front of "agent", say which one or how many, not its name.
NOT_A_NAME = frozenset(
    (
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "each",
        "every",
        "any",
        "some",
        "all",
        "another",
        "other",
        "own",
        "same",
        "new",
        "fresh",
        "single",
        "right",
        "best",
        "specific",
        "dedicated",
        "designated",
        "corresponding",
        "relevant",
        "appropriate",
        "specified",
        "suitable",
        "available",
        "selected",
        "chosen",
        "given",
        "matching",
        "wave",
        "first",
        "second",
        "next",
        "last",
        "main",
        "primary",
        "current",
        "separate",
        "parallel",
        "background",
        "general",
        "generic",
        "async",
        "independent",
        "focused",
        "persistent",
        "specialized",
        "specialised",
        "sub",
    )
)


@lru_cache(maxsize=4096)  # the same names are asked about all through a document
def unqualified(name: str) -> str:
    """The agent's own name, lower case: `plugin::agent`, `plugin:agent`, `plugin/agent` →
    `agent` (what the parser, the catalog checks and the editor compare names by)."""
    return re.split(r"::?|/", name.strip().lower())[-1]


def ordinary(name: str) -> bool:
    """A tool, command or ordinary word rather than an agent's name ("Read", "Claude Code",
    `git status`, `npm run lint && npm run test`, `Skill("tdd")`)."""
    if _COMMAND_LINE.search(name) or name.lstrip().startswith(_VERDICT_MARKS):
        return True  # "✅ 启用" / "❌ 不需要": a table cell's verdict, not a name
    if name.lower().endswith(".md"):
        return True  # `references/depth-tiers.md`: a file to read (agents' files are cleaned)
    if name.startswith("/"):
        return True  # `/swarm`, `/sc:focus [domain]`: a slash command the user types
    if name.startswith("-") or not any(char.isalpha() for char in name):
        return True  # `--simple-compat`, "...": a flag, an ellipsis, no name
    if (name[:1] in "{<[" and name[-1:] in "}>]") or "|" in name:
        return True  # `{{agent-1}}`, `<agent-name>`, `[a|b]`: a blank of a template
    if _SETTING.match(name):
        return True  # `run_in_background: true`, `model=opus`: a parameter set, not a name
    if _SKILL_SUFFIX.search(name):
        return True  # "**writing-testsスキル**を使用": a skill the step uses, not an agent
    if _numbered_part(name):
        return True  # "激活第四阶段" (activate phase four), "go to Step 3": where, not who
    lowered = name.lower()
    if all(word in NOT_AGENTS for word in re.split(r"[\s-]+", lowered) if word):
        return True
    if lowered.startswith("re-") and lowered[3:] in DELEGATION_WORDS:
        return True  # "spawn Debugger -> re-spawn Reviewer": the verb again, not a name
    return all(word in NOT_AGENTS or word in DELEGATION_WORDS for word in lowered.split())


_SKILL_SUFFIX = LazyPattern(r"(?:[\s_-]skill|スキル|技能|스킬)$", re.IGNORECASE)


def _numbered_part(name: str) -> bool:
    """Is `name` a phase or step named by its number alone ("Phase 4", "第四阶段", "Krok 3")?"""
    if not any(char.isdigit() or "\u4e00" <= char <= "\u9fff" for char in name):
        return False  # (every such name holds a number: ASCII, full-width or CJK)
    heading = classify_heading(name)
    return heading is not None and heading[0] in ("phase", "step") and not heading[1].get("title")


#: The marks that lead an item of a list of what not to do ("- ❌ UI/UX design (→ Designer's
#: responsibility)"): nothing on such a line is launched or routed to.
PROHIBITION_MARKS = ("❌", "🚫", "✗", "✘")  # (not ⛔: also a mark of what is mandatory)


def prohibited(text: str) -> bool:
    """Is `text` (a line, an item) one of a list of what not to do?"""
    return text.lstrip("-*+ \t").startswith(PROHIBITION_MARKS)


_VERDICT_MARKS = ("✅", "❌", "✓", "✔", "✗", "✘", "⚠", "⛔", "🚫")
#: A key given a value: `run_in_background: true`, `model=opus`, `max_turns: 5`.
_SETTING = LazyPattern(r"^\w+\s*(?::\s+|=\s*)\S")

#: A shell command line or a tool call: a command-line program and its arguments, chained
#: commands, a flag, or a tool name called with arguments.
_COMMAND_LINE = LazyPattern(
    r"^(?:git|npm|npx|pnpm|yarn|bun|cargo|go|python3?|pip|uv|make|docker|kubectl|gh|node"
    r"|pytest|ruff|mvn|gradle|dotnet|bash|sh|cd|ls|cat|rm|mkdir|curl|wget|helm|terraform)\s+\S"
    r"|&&|\|\||\s--?[a-z]|^(?:Skill|Bash|Read|Write|Task|SlashCommand)\s*\(",
    re.IGNORECASE,
)


def first_group(match: re.Match[str], groups: tuple[str, ...]) -> str | None:
    return next((group for group in groups if match[group]), None)


def name_group(match: re.Match[str]) -> str | None:
    for group in ("bold", "code", "at", "kebab", "quoted", "title", "plain"):
        if match.groupdict().get(group):
            return group
    return None


_AT_PREFIX = LazyPattern(r"^@(?:agent-)?")
#: "**scaffolder agent in parallel**": the noun, and how it runs, are not part of its name
_AGENT_NOUN_SUFFIX = LazyPattern(
    r"\s+(?:agent|subagent|sub-agent)s?(?:\s+(?:in\s+parallel|concurrently))?$", re.IGNORECASE
)


#: An agent named by its definition file: `references/agents/repo-research-analyst.md`,
#: `.github/agents/planner.agent.md`.
_AGENT_FILE = LazyPattern(
    r"^(?:[^\s/]+/)*(?:agents/(?P<stem>[\w.-]+?)(?:\.agent)?|(?P<named>[\w.-]+?)\.agent)\.md$",
    re.IGNORECASE,
)


def clean(name: str) -> str:
    name = name.strip().strip("*`\"'“”「」").strip()
    if name.endswith((".md", ".MD")):
        defined = _AGENT_FILE.match(name)
        name = (defined["stem"] or defined["named"]) if defined else name
    name = _AT_PREFIX.sub("", name)
    name = " ".join(name.split())  # a wrapped bold run
    name = _AGENT_NOUN_SUFFIX.sub("", name)
    if name.endswith(("）", ")")):
        # "Growth Hacker（增长黑客）": the name with its translation or a note beside it
        name = _NOTE_AFTER.sub("", name) or name
    return name.rstrip(".:,;")


_NOTE_AFTER = LazyPattern(r"\s*[（(][^（）()]*[）)]$")
