"""Rules that read the agent catalog's definitions, not only its names: a step that asks for a
model its agent is not configured with (WF112), a prompt that asks for a tool the agent may
not use (WF113), and catalog files whose front matter does not parse (reported with WF100).
They run only when a catalog is configured (`agents =` or `--agents DIR`)."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.agents import AgentEntry, Catalog, load_entries
from compiler.checks.facts import DocumentFacts
from compiler.checks.rules.structure import first_line
from compiler.checks.ruleset import static_rule
from compiler.diagnostics import Diagnostic
from compiler.model import Span, Step, iter_steps
from compiler.regex import LazyPattern
from compiler.rules import make_diagnostic

#: Model families: a hint and a catalog entry agree when they name the same family
#: (`claude-3-5-haiku` is a `haiku`).
_FAMILIES = ("haiku", "sonnet", "opus")
#: Catalog values that do not pin a model.
_ANY_MODEL = frozenset({"inherit", "default", "auto", "any"})

#: Claude Code's tools whose names are not ordinary words: named anywhere in a prompt, they
#: ask for that tool. Tools named like verbs (Read, Write, Edit, Bash…) count only when the
#: prompt marks them as tools: `Read` in backticks, or "the Read tool".
_DISTINCT_TOOLS = (
    "WebSearch",
    "WebFetch",
    "NotebookEdit",
    "NotebookRead",
    "TodoWrite",
    "MultiEdit",
)
_VERB_TOOLS = ("Read", "Write", "Edit", "Bash", "Grep", "Glob", "LS", "Task", "Skill")
_TOOL_MENTION = LazyPattern(
    r"\b(?P<distinct>" + "|".join(_DISTINCT_TOOLS) + r")\b"
    r"|`(?P<quoted>" + "|".join(_VERB_TOOLS) + r")(?:\([^`]*\))?`"
    r"|\b(?P<named>" + "|".join(_VERB_TOOLS) + r")\s+tool\b"
    r"|\b(?P<mcp>mcp__[A-Za-z0-9_-]+__[A-Za-z0-9_-]+)"
)


def _catalog(facts: DocumentFacts) -> Catalog | None:
    folder = facts.config.agents
    return load_entries(folder) if folder is not None else None


def _steps_with_entries(
    facts: DocumentFacts, catalog: Catalog
) -> Iterator[tuple[Step, AgentEntry]]:
    for wf in facts.workflows:
        for step in iter_steps(wf.workflow):
            entry = catalog.entry(step.agent) if step.agent else None
            if entry is not None:
                yield step, entry


def _family(model: str) -> str:
    lowered = model.strip().lower()
    return next((family for family in _FAMILIES if family in lowered), lowered)


@static_rule("WF112", "agent-model-mismatch", "warning", "structure")
def agent_model_mismatch(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a step whose model hint (`model="haiku"` in a call, a `Model:` field) names a
    different model than the agent's definition in the agent catalog (`model: opus` in its
    front matter). Model families are compared (`claude-3-5-haiku` is `haiku`); a
    definition with `model: inherit` or none pins nothing. Runs only with a catalog.

    Why it matters:
    Which one wins depends on the runner: the playbook's author and the agent's owner
    expect different cost, speed and quality, and the rehearsal's durations were estimated
    for one of them.

    Example:
    The catalog's `incident-commander.md` says `model: opus`:

    ```markdown
    ## Phase 1: Triage
    Task(subagent_type="incident-commander", model="haiku", prompt="Triage $ARGUMENTS.")
    ```

    Ask for the model the agent is defined with, or change the definition:

    ```markdown
    ## Phase 1: Triage
    Task(subagent_type="incident-commander", model="opus", prompt="Triage $ARGUMENTS.")
    ```
    """
    catalog = _catalog(facts)
    if catalog is None:
        return
    for step, entry in _steps_with_entries(facts, catalog):
        if step.model is None or entry.model is None or entry.model.lower() in _ANY_MODEL:
            continue
        if _family(step.model) == _family(entry.model):
            continue
        yield make_diagnostic(
            "WF112",
            facts.file,
            step.agent_span or first_line(step.span),
            f"{step.id} asks for model '{step.model}', but agent '{entry.name}' is defined "
            f"with model '{entry.model}' ({entry.file.name}): ask for the agent's model, or "
            "change its definition",
            reference=step.model,
            about=(step,),
        )


@static_rule("WF113", "agent-lacks-tool", "warning", "structure")
def agent_lacks_tool(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a prompt that asks for a tool the agent may not use: its definition in the
    agent catalog lists `tools:` and the tool is not among them. A tool counts as asked for
    when the prompt names it as a tool: `WebSearch`, `WebFetch`, `TodoWrite` and the other
    tools with names that are not words, an MCP tool (`mcp__github__create_issue`), or a
    verb-named tool written as one (`` `Bash` ``, "the Read tool"). "Read the logs" asks for
    nothing. Definitions without `tools:` may use every tool. Runs only with a catalog.

    Why it matters:
    The agent cannot do what it is told: it fails, or quietly does something else, at the
    moment the playbook depends on it.

    Example:
    The catalog's `log-analyst.md` says `tools: Read, Grep`:

    ```markdown
    ## Phase 2: Logs
    - Use Task tool with subagent_type="log-analyst"
    - Prompt: "Use WebSearch to find known issues for the [incident brief]."
    - Output: Log findings
    ```

    Give the work to an agent that has the tool, or add it to the definition:

    ```markdown
    ## Phase 2: Logs
    - Use Task tool with subagent_type="log-analyst"
    - Prompt: "Grep the logs for the errors in the [incident brief]."
    - Output: Log findings
    ```
    """
    catalog = _catalog(facts)
    if catalog is None:
        return
    for step, entry in _steps_with_entries(facts, catalog):
        if entry.tools is None or not step.prompt:
            continue
        allowed = {tool.lower() for tool in entry.tools}
        reported: set[str] = set()
        for match in _TOOL_MENTION.finditer(step.prompt):
            tool = next(group for group in match.groups() if group)
            if tool.lower() in allowed or tool.lower() in reported:
                continue
            reported.add(tool.lower())
            yield make_diagnostic(
                "WF113",
                facts.file,
                _prompt_span(step),
                f"{step.id}'s prompt asks for the {tool} tool, but agent '{entry.name}' may "
                f"only use {', '.join(entry.tools) or 'no tools'} ({entry.file.name}): give "
                "the work to an agent with the tool, or add it to the definition",
                reference=tool,
                about=(step,),
            )


def _prompt_span(step: Step) -> Span:
    return first_line(step.prompt_span or step.agent_span or step.span)


def catalog_front_matter(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """WF100 for agent definition files whose front matter does not parse (WF100 reports
    them beside the document's own front matter)."""
    catalog = _catalog(facts)
    if catalog is None:
        return
    for problem in catalog.problems:
        span = Span(
            line=problem.line,
            column=problem.column,
            end_line=problem.line,
            end_column=problem.column,
        )
        yield make_diagnostic(
            "WF100",
            str(problem.file),
            span,
            f"the front matter of agent definition {problem.file.name} is not valid YAML "
            f"({problem.message}): its name, model and tools are not read",
        )
