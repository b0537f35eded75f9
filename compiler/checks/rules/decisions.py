"""Decision-coverage rules: every decision says when each path is taken and what happens
when no condition holds (WF401–WF405)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from compiler.checks.facts import DocumentFacts
from compiler.checks.names import words
from compiler.checks.ruleset import static_rule
from compiler.diagnostics import Diagnostic, Related
from compiler.model import DecisionBlock, DecisionPath, Span, iter_blocks
from compiler.regex import LazyPattern
from compiler.rules import make_diagnostic

_DEFAULT_TITLE = LazyPattern(r"\(\s*default\s*\)|^\s*(?:default|otherwise)\b", re.IGNORECASE)


def is_default(path: DecisionPath) -> bool:
    """The Else path, or a path whose title says it is the default ("… (Default)")."""
    return path.is_default or bool(_DEFAULT_TITLE.search(path.title))


def decisions(facts: DocumentFacts) -> Iterator[DecisionBlock]:
    for wf in facts.workflows:
        for phase in wf.workflow.phases:
            for block in iter_blocks(phase.blocks):
                if isinstance(block, DecisionBlock):
                    yield block


def _head(span: Span) -> Span:
    return Span(line=span.line, column=span.column, end_line=span.line, end_column=span.column)


def _named(decision: DecisionBlock) -> str:
    question = f"'{decision.question}' " if decision.question else ""
    return f"decision {question}({decision.id})"


@static_rule("WF401", "decision-without-default", "warning", "decision")
def decision_without_default(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a decision with no default path: no `Else:` / `Otherwise:` heading and no path
    marked "(Default)". Not reported: a menu whose paths state no conditions (the person
    running the playbook picks one), and a routing whose conditions enumerate every value
    of a classification the document made earlier ("for each layer — backend, frontend or
    single-layer": `Backend or single-layer → …`, `Frontend → …`), or a condition and its
    negation.

    Why it matters:
    Conditions written for the cases the author foresaw leave a gap for the case nobody
    foresaw — which is the one an incident brings. With no default the coordinator has
    nowhere to go and improvises (the simulator reports it as WF504).

    Example:
    What if neither condition holds?

    ```markdown
    ## Phase 1: Investigate
    ### Decision Point: Where is the fault?
    #### Path A: Database (Condition: slow queries)
    - Use Task tool with subagent_type="database-admin"
    - Prompt: "Investigate the database for $ARGUMENTS."
    - Output: Database findings

    #### Path B: Application (Condition: error rate above 5%)
    - Use Task tool with subagent_type="debugger"
    - Prompt: "Investigate the application for $ARGUMENTS."
    - Output: Application findings
    ```

    Add a default path:

    ```markdown
    ## Phase 1: Investigate
    ### Decision Point: Where is the fault?
    #### Path A: Database (Condition: slow queries)
    - Use Task tool with subagent_type="database-admin"
    - Prompt: "Investigate the database for $ARGUMENTS."
    - Output: Database findings

    #### Else: Broad investigation
    - Use Task tool with subagent_type="debugger"
    - Prompt: "Investigate $ARGUMENTS across the stack."
    - Output: Application findings
    ```
    """
    for decision in decisions(facts):
        if len(decision.paths) < 2 or any(is_default(path) for path in decision.paths):
            continue
        if not any(path.condition for path in decision.paths):
            continue  # a menu the person running it picks from: no condition can fail
        if _exhaustive(decision, facts.lines):
            continue
        yield make_diagnostic(
            "WF401",
            facts.file,
            _head(decision.span),
            f"{_named(decision)} has no default path: when none of its conditions holds "
            "the workflow has nowhere to go — add an `Else:` path saying what happens then",
            about=(decision,),
        )


@static_rule("WF402", "path-without-condition", "warning", "decision")
def path_without_condition(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a decision path (other than the default) that states no condition — no
    `(Condition: …)` in its heading, no `If …:` form — when other paths of the same
    decision do state theirs. (A decision none of whose paths has a condition is a menu
    the person running the playbook chooses from.)

    Why it matters:
    Without a condition nobody can tell when to take the path; the choice is made by
    whoever happens to run the playbook, and the simulator cannot choose it from facts.

    Example:
    When is path B taken?

    ```markdown
    ## Phase 1: Investigate
    ### Decision Point: Where is the fault?
    #### Path A: Database (Condition: slow queries)
    - Use Task tool with subagent_type="database-admin"
    - Prompt: "Investigate the database for $ARGUMENTS."
    - Output: Database findings

    #### Path B: Application
    - Use Task tool with subagent_type="debugger"
    - Prompt: "Investigate the application for $ARGUMENTS."
    - Output: Application findings

    #### Else: Escalate
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Escalate $ARGUMENTS."
    - Output: Escalation
    ```

    State it:

    ```markdown
    ## Phase 1: Investigate
    ### Decision Point: Where is the fault?
    #### Path A: Database (Condition: slow queries)
    - Use Task tool with subagent_type="database-admin"
    - Prompt: "Investigate the database for $ARGUMENTS."
    - Output: Database findings

    #### Path B: Application (Condition: error rate above 5%)
    - Use Task tool with subagent_type="debugger"
    - Prompt: "Investigate the application for $ARGUMENTS."
    - Output: Application findings

    #### Else: Escalate
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Escalate $ARGUMENTS."
    - Output: Escalation
    ```
    """
    for decision in decisions(facts):
        if not any(p.condition and not p.is_default for p in decision.paths):
            continue  # a menu of options (the person running it chooses), not conditions
        for path in decision.paths:
            if is_default(path) or (path.condition and path.condition.strip()):
                continue
            yield make_diagnostic(
                "WF402",
                facts.file,
                _head(path.span),
                f"path '{path.title}' ({path.id}) has no condition: say when it is taken, "
                "e.g. `(Condition: …)` at the end of its heading",
                about=(decision, path),
            )


@static_rule("WF403", "duplicate-condition", "warning", "decision")
def duplicate_condition(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports two paths of one decision whose conditions are the same once case, spacing
    and punctuation are ignored.

    Why it matters:
    Only the first of the two can ever be chosen for that condition; the second is dead,
    or one of them was meant to say something else.

    Example:
    Both paths fire on the same symptom:

    ```markdown
    ## Phase 1: Investigate
    ### Decision Point: Where is the fault?
    #### Path A: Database (Condition: slow queries)
    - Use Task tool with subagent_type="database-admin"
    - Prompt: "Investigate the database for $ARGUMENTS."
    - Output: Database findings

    #### Path B: Cache (Condition: Slow queries.)
    - Use Task tool with subagent_type="cache-specialist"
    - Prompt: "Investigate the cache for $ARGUMENTS."
    - Output: Cache findings

    #### Else: Escalate
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Escalate $ARGUMENTS."
    - Output: Escalation
    ```

    Distinct conditions:

    ```markdown
    ## Phase 1: Investigate
    ### Decision Point: Where is the fault?
    #### Path A: Database (Condition: slow queries)
    - Use Task tool with subagent_type="database-admin"
    - Prompt: "Investigate the database for $ARGUMENTS."
    - Output: Database findings

    #### Path B: Cache (Condition: cache hit rate below 80%)
    - Use Task tool with subagent_type="cache-specialist"
    - Prompt: "Investigate the cache for $ARGUMENTS."
    - Output: Cache findings

    #### Else: Escalate
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Escalate $ARGUMENTS."
    - Output: Escalation
    ```
    """
    for decision in decisions(facts):
        seen: dict[str, DecisionPath] = {}
        for path in decision.paths:
            if not path.condition or path.role == "else":
                continue
            key = " ".join(words(path.condition))
            if not key:
                continue
            if key in seen:
                first = seen[key]
                yield make_diagnostic(
                    "WF403",
                    facts.file,
                    path.condition_span or _head(path.span),
                    f"path {path.id} has the same condition as {first.id} (line "
                    f"{first.span.line}): '{path.condition}' — only the first can be chosen; "
                    "make the conditions distinct",
                    related=(
                        Related(file=facts.file, line=first.span.line, message="same condition"),
                    ),
                    about=(decision, path, first),
                )
            else:
                seen[key] = path


@static_rule("WF404", "unreachable-path", "warning", "decision")
def unreachable_path(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a decision path written after the default (Else) path.

    Why it matters:
    Paths are tried in order and the default catches everything that is left, so a path
    after it can never be chosen — usually an `Elif` added below the `Else`.

    Example:
    Path C is dead:

    ```markdown
    ## Phase 1: Respond
    ### If Condition: risk level is high
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Page the on-call lead about $ARGUMENTS."
    - Output: Escalation

    ### Else: Monitor
    - Use Task tool with subagent_type="monitoring-specialist"
    - Prompt: "Watch the dashboards for $ARGUMENTS."
    - Output: Monitoring notes

    ### Elif Condition: risk level is medium
    - Use Task tool with subagent_type="support-lead"
    - Prompt: "Open a ticket for $ARGUMENTS."
    - Output: Ticket
    ```

    Put the default last:

    ```markdown
    ## Phase 1: Respond
    ### If Condition: risk level is high
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Page the on-call lead about $ARGUMENTS."
    - Output: Escalation

    ### Elif Condition: risk level is medium
    - Use Task tool with subagent_type="support-lead"
    - Prompt: "Open a ticket for $ARGUMENTS."
    - Output: Ticket

    ### Else: Monitor
    - Use Task tool with subagent_type="monitoring-specialist"
    - Prompt: "Watch the dashboards for $ARGUMENTS."
    - Output: Monitoring notes
    ```
    """
    for decision in decisions(facts):
        default: DecisionPath | None = None
        for path in decision.paths:
            if default is not None:
                yield make_diagnostic(
                    "WF404",
                    facts.file,
                    _head(path.span),
                    f"path '{path.title}' ({path.id}) comes after the default path "
                    f"{default.id} (line {default.span.line}), which takes every case left: "
                    "it can never be chosen — move it before the default",
                    related=(
                        Related(file=facts.file, line=default.span.line, message="default path"),
                    ),
                    about=(decision, path, default),
                )
            elif path.role == "else":  # "(Default)" on a Path/Option only marks a preselection
                default = path


@static_rule("WF405", "single-path-decision", "info", "decision")
def single_path_decision(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a decision with a single path.

    Why it matters:
    There is nothing to choose between: either the alternative was never written, or the
    path is really a conditional step.

    Example:
    A decision with one way out:

    ```markdown
    ## Phase 1: Respond
    ### Decision Point: Is customer data affected?
    #### Path A: Data breach (Condition: customer data exposed)
    - Use Task tool with subagent_type="security-incident-analyst"
    - Prompt: "Contain the exposure described in $ARGUMENTS."
    - Output: Containment report
    ```

    Say what happens otherwise:

    ```markdown
    ## Phase 1: Respond
    ### Decision Point: Is customer data affected?
    #### Path A: Data breach (Condition: customer data exposed)
    - Use Task tool with subagent_type="security-incident-analyst"
    - Prompt: "Contain the exposure described in $ARGUMENTS."
    - Output: Containment report

    #### Else: No exposure
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Record that no customer data was exposed by $ARGUMENTS."
    - Output: Exposure note
    ```
    """
    for decision in decisions(facts):
        if len(decision.paths) == 1:
            yield make_diagnostic(
                "WF405",
                facts.file,
                _head(decision.span),
                f"{_named(decision)} has a single path, so there is nothing to choose: add "
                "the alternative (or an `Else:`), or make it a conditional step",
                about=(decision,),
            )


def _exhaustive(decision: DecisionBlock, lines: tuple[str, ...] | None) -> bool:
    """Do the paths' conditions cover every case? Either one is the other's negation
    ("plan mode is active" / "plan mode is not active"), or the first word of every
    condition is one of the values an earlier line of the document lists together
    ("backend, frontend, or single-layer")."""
    conditions = [words(p.condition or "") for p in decision.paths]
    if len(conditions) == 2:
        left, right = (set(c) for c in conditions)
        negations = {"not", "no", "non", "without", "never"}
        if left ^ right and (left ^ right) <= negations:
            return True
    keys = {next((w for w in c if w not in _FILLER), "") for c in conditions}
    if "" in keys or len(keys) < 2 or lines is None:
        return False
    for text in lines[: decision.span.line - 1]:
        lowered = text.lower()
        if not all(key in lowered for key in keys):
            continue  # a word of the line is a piece of it: most lines lack a key outright
        said = set(words(text))
        if keys <= said and re.search(r",|\bor\b|/", text):
            return True
    return False


_FILLER = frozenset({"the", "a", "an", "if", "is", "are", "for", "on", "when", "only", "all"})
