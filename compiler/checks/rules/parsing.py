"""Problems the parser noticed (WF100, WF109, WF110), reported as lint diagnostics, and the two
rules about the lint run itself: unreadable files (WF901) and unused suppressions (WF902)."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.facts import DocumentFacts
from compiler.checks.rules.catalog import catalog_front_matter
from compiler.checks.ruleset import static_rule
from compiler.diagnostics import Diagnostic, Edit, Fix, unreadable
from compiler.rules import make_diagnostic, registered, rule


@static_rule("WF100", "invalid-front-matter", "warning", "structure")
def invalid_front_matter(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports YAML front matter (the `---` block at the top of a page) that does not parse,
    in the document and in the agent definition files of the configured agent catalog. A
    template's front matter (`name: {{REPO}}-plan`) is judged as it reads once its blanks
    are filled in, as the package that renders it fills them.

    Why it matters:
    Docs sites (Docusaurus, MkDocs) read the title, sidebar position and tags from it; a
    broken block silently drops all of them, and drillbook cannot show the page's title.
    Skill and agent loaders read the name and description from it. A one-line value that
    YAML reads as more than text (`description: Use when …: plan`, `argument-hint: [path]
    [count]`, `paths: **/*.ts`) is only an info, with a fix that quotes it: Claude Code
    repairs such a line by quoting it and Codex reads its prompts' front matter line by
    line, while strict YAML parsers, validators and docs sites reject the block.

    Example:
    An unclosed quote:

    ```markdown
    ---
    title: "Payments outage
    ---

    ## Phase 1: Triage
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Triage $ARGUMENTS."
    - Output: Incident brief
    ```

    Valid YAML:

    ```markdown
    ---
    title: "Payments outage"
    ---

    ## Phase 1: Triage
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Triage $ARGUMENTS."
    - Output: Incident brief
    ```
    """
    yield from _parse_problems(facts, "WF100")
    yield from catalog_front_matter(facts)


@static_rule("WF109", "malformed-task", "error", "structure")
def malformed_task(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a `Task:` block, `<Task>` element or `Task(…)` call that cannot be read: a
    `prompt: |` with no text, an agent name that is not a name, a call whose parentheses
    never close.

    Why it matters:
    The coordinator copies these blocks into real tool calls. One it cannot read becomes a
    call with a missing prompt or agent, or the step is skipped.

    Example:
    The call's parenthesis is never closed:

    ````markdown
    ## Phase 1: Build

    ```python
    Task(subagent_type="python-pro", prompt="Implement $ARGUMENTS"
    ```
    ````

    A complete call:

    ````markdown
    ## Phase 1: Build

    ```python
    Task(subagent_type="python-pro", prompt="Implement $ARGUMENTS")
    ```
    ````
    """
    yield from _parse_problems(facts, "WF109")


@static_rule("WF110", "heading-in-code-block", "warning", "structure")
def heading_in_code_block(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a `## Phase N` or `### Step N` heading that sits inside a fenced code block, where
    it is shown as code and is not part of the workflow. Not when the document has that
    phase or step outside code (the block is a report about it, such as a "## Phase 1
    Complete" summary to print), nor inside the prompt of an agent call that closes in the
    block (the agent's own "### Step 1" instructions).

    Why it matters:
    It almost always means a fence above was never closed, or a nested fence inside a
    prompt closed the outer one early: every fence after it flips, and whole phases vanish
    from the rendered page and from the workflow without any other sign.

    Example:
    The prompt's fence is never closed, so Phase 2 is code:

    ````markdown
    ## Phase 1: Debug
    Use Task tool with subagent_type="debugger":
    ```
    Find the root cause of $ARGUMENTS.

    ## Phase 2: Fix
    Use Task tool with subagent_type="python-pro":
    ````

    Close the fence before the heading:

    ````markdown
    ## Phase 1: Debug
    Use Task tool with subagent_type="debugger":
    ```
    Find the root cause of $ARGUMENTS.
    ```

    ## Phase 2: Fix
    Use Task tool with subagent_type="python-pro":
    ````
    """
    yield from _parse_problems(facts, "WF110")


def _parse_problems(facts: DocumentFacts, code: str) -> Iterator[Diagnostic]:
    for problem in facts.document.parse_diagnostics:
        if problem.code == code:
            fix = None
            if problem.replacement is not None:
                said = "quote the value" if code == "WF100" else f"write '{problem.replacement}'"
                fix = Fix(
                    message=said,
                    edits=(Edit.replace(problem.span, problem.replacement),),
                )
            yield make_diagnostic(
                code, facts.file, problem.span, problem.message, fix=fix, severity=problem.severity
            )


@rule("WF901", "unreadable-file", "error", "io")
def unreadable_file(file: str, reason: str, line: int = 1, column: int = 1) -> Diagnostic:
    """What it does:
    Reports a file that cannot be read as a workflow document: not UTF-8 text, binary (NUL
    bytes), or larger than the 2 MiB limit for a document. The other files of the run are
    still linted.

    Why it matters:
    A playbook saved in another encoding shows mojibake to its readers and cannot be
    checked; a binary or huge file among the playbooks is almost always a mistake in the
    paths given to drillbook.

    Example:
    A playbook saved as Latin-1 (`é` is the single byte 0xE9):

    ```text
    notes.md:3:12: WF901 unreadable-file not UTF-8 text: byte 0xe9 at line 3, column 12
    ```

    Re-save it as UTF-8 (most editors: "Save with encoding… UTF-8"), or exclude the file.
    """
    return unreadable(file, reason, line, column)


@rule("WF902", "unused-suppression", "info", "io")
def unused_suppression(
    file: str, line: int, column: int, end_column: int, message: str
) -> Diagnostic:
    """What it does:
    Reports a `<!-- drillbook-disable… -->` comment that suppresses nothing (the problem it
    silenced was fixed, or it names the wrong rule), and one that names no known rule.

    Why it matters:
    Stale suppressions hide the next real problem on that line, and a misspelt code
    suppresses nothing while looking as if it did.

    Example:
    The reference resolves, so the comment has nothing left to do:

    ```markdown
    ## Phase 1: Plan
    - Use Task tool with subagent_type="planner"
    - Prompt: "Plan $ARGUMENTS."
    - Output: Project plan

    ## Phase 2: Build
    <!-- drillbook-disable-next-line WF201 -->
    - Use Task tool with subagent_type="python-pro"
    - Prompt: "Build from the [project plan]."
    - Output: Build
    ```

    Remove it:

    ```markdown
    ## Phase 1: Plan
    - Use Task tool with subagent_type="planner"
    - Prompt: "Plan $ARGUMENTS."
    - Output: Project plan

    ## Phase 2: Build
    - Use Task tool with subagent_type="python-pro"
    - Prompt: "Build from the [project plan]."
    - Output: Build
    ```
    """
    info = registered("WF902")
    return Diagnostic(
        file=file,
        line=line,
        column=column,
        end_line=line,
        end_column=end_column,
        severity=info.severity,
        code="WF902",
        rule=info.slug,
        message=message,
    )


@static_rule("WF111", "misspelt-keyword", "warning", "structure")
def misspelt_keyword(facts: DocumentFacts) -> Iterator[Diagnostic]:
    """What it does:
    Reports a misspelt keyword that introduces work: `subagent_typ="x"`, `subagent-type:`,
    `subagent="x"` for `subagent_type`, a near miss of `prompt=` or `description=` inside a
    `Task(…)` call (`promt=`), and `## Phsae 2:` / `### Setp 3:` headings. drillbook keeps
    the step, phase or argument as the author meant it and says what it read.

    Why it matters:
    Other tools (and the coordinator itself) do not guess: a misspelt `subagent_type` makes
    the step vanish, a misspelt `prompt=` sends the agent off with no instructions, and a
    misspelt heading merges a phase into the one before it.

    Example:
    The agent keyword has a typo:

    ```markdown
    ## Phase 1: Triage
    - Use Task tool with subagent_typ="incident-commander"
    - Prompt: "Triage $ARGUMENTS."
    - Output: Incident brief
    ```

    Spell it as the Task tool expects:

    ```markdown
    ## Phase 1: Triage
    - Use Task tool with subagent_type="incident-commander"
    - Prompt: "Triage $ARGUMENTS."
    - Output: Incident brief
    ```
    """
    yield from _parse_problems(facts, "WF111")
