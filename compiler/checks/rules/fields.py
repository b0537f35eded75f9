"""Field and agent-name rules: misspelt step keys, agents missing from the catalog
(WF107, WF108)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from compiler.checks.agents import known_agent, load_catalog
from compiler.checks.facts import DocumentFacts
from compiler.checks.rules.structure import first_line
from compiler.checks.ruleset import static_rule
from compiler.diagnostics import Diagnostic, Edit, Fix
from compiler.model import (
    iter_steps,
)
from compiler.parse.patterns import field_role, normalise_key
from compiler.rules import make_diagnostic
from compiler.spelling import match_case, near_miss

#: Fields every dialect uses: a near miss of one is a typo wherever it is written.
CORE_FIELDS = (
    "prompt",
    "output",
    "expected output",
    "context",
    "context for next phase",
    "input",
    "description",
    "dependencies",
    "subagent_type",
    "model",
)
#: A key that is a field and a number or letter: `Prompt 1:` … `Prompt 4:` for copies of one
#: agent launched together (the key as `normalise_key` gives it).
_NUMBERED_FIELD = re.compile(r"(?P<key>.+?)\s+(?:#?\d+|[a-z])")


@static_rule("WF107", "unknown-field", "warning", "structure")
def unknown_field(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a `Key: value` bullet in the run of fields that goes with an agent invocation
    when the key is a near miss of a field: one of the core fields (`Prompt`, `Output`,
    `Expected output`, `Context`, `Input`, `Description`, `Dependencies`…) or a field the
    same document uses elsewhere (`Ouput:` for `Output:`). The match is strict: same first
    letter, one typing slip in a short key, two in a longer one; a plural is not a typo.
    Bullets in a prose list further down the step (`- Decision: …`, `- Next: …`) and keys
    that resemble no field (`CRITICAL:`) are the author's prose and are not reported, nor
    is a field spelt right and numbered (`Prompt 1:` … `Prompt 4:` for four copies of an
    agent launched together).

    Why it matters:
    A misspelt key is silently ignored: the step's outputs, context or agent vanish from
    the graph, and every reference to them goes unresolved.

    Example:
    `Ouput` is not a field, so the step produces nothing:

    ```markdown
    ## Phase 1: Triage
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Triage $ARGUMENTS."
    - Ouput: Incident brief
    ```

    Spell the key as drillbook knows it:

    ```markdown
    ## Phase 1: Triage
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Triage $ARGUMENTS."
    - Output: Incident brief
    ```
    """
    for wf in facts.workflows:
        candidates = (*CORE_FIELDS, *wf.conventions.field_keys)
        for step in iter_steps(wf.workflow):
            for field in step.fields:
                if field.known or not field.attached:
                    continue
                key = normalise_key(field.key)
                numbered = _NUMBERED_FIELD.fullmatch(key)
                number = key[numbered.end("key") :] if numbered else ""  # " 3" of "promt 3"
                base = key[: len(key) - len(number)]
                if number and (base in candidates or field_role(base)):
                    continue  # the field's own name, numbered: nothing is misspelt
                close = near_miss(base, candidates)
                if close is None:
                    continue  # prose ending in a colon ("Specify thoroughness:")
                spelt = match_case(field.key, close) + number
                fix = Fix(
                    message=f"write '{spelt}:'",
                    edits=(Edit.replace(field.key_span, spelt),),
                )
                yield make_diagnostic(
                    "WF107",
                    facts.file,
                    field.key_span,
                    f"'{field.key}:' is not a field drillbook knows, so its value is ignored; "
                    f"did you mean '{close.capitalize()}{number}:'?",
                    reference=field.key,
                    about=(step,),
                    fix=fix,
                )


@static_rule("WF108", "unknown-agent", "warning", "structure", on_inferred="info")
def unknown_agent(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports an agent name that is not in the configured agent catalog (`agents =
    ".claude/agents"` in the configuration, or `--agents DIR`): a folder of agent definition
    files, named by their front matter `name:` or file name. Qualified names
    (`plugin::agent`, `plugin:agent`) match on their last part; Claude Code's built-in
    agents (general-purpose, Explore, Plan) are always known. Without a catalog the rule
    does not run.

    Why it matters:
    A misspelt or removed agent makes the Task call fail at run time, in the middle of an
    incident, or silently falls back to a general-purpose agent.

    Example:
    With a catalog holding `incident-commander.md`, a typo:

    ```markdown
    ## Phase 1: Triage
    - Use Task tool with subagent_type="incident-comander"
    - Prompt: "Triage $ARGUMENTS."
    - Output: Incident brief
    ```

    The agent as the catalog defines it:

    ```markdown
    ## Phase 1: Triage
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Triage $ARGUMENTS."
    - Output: Incident brief
    ```
    """
    folder = facts.config.agents
    if folder is None:
        return
    catalog = load_catalog(folder)
    for wf in facts.workflows:
        for step in iter_steps(wf.workflow):
            if step.agent is None or known_agent(step.agent, catalog):
                continue
            close = difflib.get_close_matches(step.agent.lower(), sorted(catalog), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"add it to {folder}"
            yield make_diagnostic(
                "WF108",
                facts.file,
                step.agent_span or first_line(step.span),
                f"agent '{step.agent}' is not in the agent catalog {folder}: {hint}",
                reference=step.agent,
                about=(step,),
            )
