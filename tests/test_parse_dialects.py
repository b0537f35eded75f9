"""Each dialect family and variation of DESIGN §2, on small documents written for the test."""

from __future__ import annotations

from textwrap import dedent

from compiler.model import (
    Checkpoint,
    DecisionBlock,
    Document,
    LoopBlock,
    ParallelBlock,
    Step,
    iter_blocks,
    iter_steps,
)
from compiler.parse import parse_text
from compiler.source import Source, normalise_text
from tests.spans import text_at


def parse(text: str) -> Document:
    return parse_text(dedent(text).lstrip("\n"), "doc.md")


def steps(document: Document) -> list[Step]:
    return list(iter_steps(document))


def blocks(document: Document) -> list[object]:
    return [b for w in document.workflows for ph in w.phases for b in iter_blocks(ph.blocks)]


def test_commands_dialect_numbered_steps_fields_and_optional() -> None:
    doc = parse(
        """
        Do the thing:

        ## Phase 1: Analysis

        ### 1. Assess
        - Use Task tool with subagent_type="incident-responder"
        - Prompt: "Assess $ARGUMENTS now."
        - Output: Severity, impact assessment

        ### 2. Profile (if applicable)
        - Use Task tool with subagent_type="perf::performance-engineer"
        - **Prompt**: "Profile using [impact assessment]."
        - Expected output: Profile report
        - Context: Severity from step 1

        ## Phase 2: Fix

        ### 1. Patch
        - Use Task tool with subagent_type="backend-architect"
        - Prompt: "Fix it."
        - Output: Patch
        """
    )
    found = steps(doc)
    assert [s.id for s in found] == ["phase-1/step-1", "phase-1/step-2", "phase-2/step-1"]
    assert found[1].agent == "perf::performance-engineer"
    assert found[1].optional and found[1].condition == "applicable"
    assert [i.name for i in found[0].produces] == ["Severity", "impact assessment"]
    assert [(r.text, r.kind) for r in found[1].consumes] == [
        ("impact assessment", "bracket"),
        ("Severity from step 1", "context"),
    ]
    assert [r.text for r in found[0].consumes] == ["$ARGUMENTS"]
    assert doc.workflows[0].dialect == "commands"


def test_docs_site_if_elif_else_decision() -> None:
    doc = parse(
        """
        ## Phase 1: Route
        ### If Condition: Risk level = high
        - Use Task tool with subagent_type="escalation-lead"
        - Prompt: "Escalate."
        - Output: Escalation
        ### Elif Condition: Risk level = medium
        - Use Task tool with subagent_type="on-call"
        - Prompt: "Handle."
        - Output: Handling
        ### Else: Log and close
        - Use Task tool with subagent_type="triage-bot"
        - Prompt: "Close."
        - Output: Closure
        """
    )
    (decision,) = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [p.id for p in decision.paths] == ["phase-1/if", "phase-1/elif-1", "phase-1/else"]
    assert [p.condition for p in decision.paths] == [
        "Risk level = high",
        "Risk level = medium",
        None,
    ]
    assert decision.paths[2].is_default


def test_plugin_task_blocks_files_checkpoint_and_variables() -> None:
    doc = parse(
        """
        ## Pre-flight

        ### 1. Parse input

        Extract the name from `$ARGUMENTS`. This is referenced as `$TARGET` in prompts below.

        ## Phase 1: Work

        ### Step 1: Analyse

        ```
        Task:
          subagent_type: "code-analyst"
          description: "Analyse $TARGET"
          prompt: |
            Analyse $TARGET thoroughly.
        ```

        Save output to `.work/01-analysis.md`.

        ---

        ## PHASE CHECKPOINT 1 -- User Approval Required

        Ask the user. Do NOT proceed to Phase 2 until the user approves.

        ## Phase 2: Build

        ### Step 2: Build

        Read `.work/01-analysis.md`.

        <Task>
        subagent_type: builder
        prompt: |
          Build from [Insert contents of .work/01-analysis.md]

          Then test.
        </Task>

        Save output to `.work/02-build.md`.
        """
    )
    found = steps(doc)
    assert [s.id for s in found] == ["phase-1/step-1", "phase-2/step-2"]
    assert found[0].description == "Analyse $TARGET"
    assert found[0].prompt == "Analyse $TARGET thoroughly."
    assert [(i.name, i.kind) for i in found[0].produces] == [(".work/01-analysis.md", "file")]
    assert found[1].agent == "builder"
    assert [(r.text, r.kind) for r in found[1].consumes] == [
        (".work/01-analysis.md", "file"),
        (".work/01-analysis.md", "file"),
    ]
    checkpoints = [b for b in blocks(doc) if isinstance(b, Checkpoint)]
    assert [c.id for c in checkpoints] == ["phase-checkpoint-1"]
    assert [r.text for r in doc.workflows[0].inputs] == ["$ARGUMENTS", "$TARGET"]
    assert doc.workflows[0].dialect == "plugin"


def test_plugin_parallel_pair_and_prose_loop() -> None:
    doc = parse(
        """
        ## Phase 1: Review

        ### Step 1A: Quality

        ```
        Task:
          subagent_type: "code-reviewer"
          prompt: "Review quality."
        ```

        ### Step 1B: Security

        ```
        Task:
          subagent_type: "security-auditor"
          prompt: "Review security."
        ```

        ### Step 2: Fix

        ```
        Task:
          subagent_type: "fixer"
          prompt: "Fix findings."
        ```

        ### Step 3: Verify

        ```
        Task:
          subagent_type: "test-automator"
          prompt: "Run the tests."
        ```

        If tests fail, return to Step 2 (maximum 3 iterations).
        """
    )
    parallel = next(b for b in blocks(doc) if isinstance(b, ParallelBlock))
    assert [branch.id for branch in parallel.branches] == ["phase-1/step-1a", "phase-1/step-1b"]
    loop = next(b for b in blocks(doc) if isinstance(b, LoopBlock))
    assert [s.id for s in loop.body if isinstance(s, Step)] == ["phase-1/step-2", "phase-1/step-3"]
    assert loop.max_iterations == 3
    assert loop.repeat_when == "tests fail"


def test_call_dialect_background_calls_run_in_parallel() -> None:
    doc = parse(
        '''
        ## Phase 1: Verify

        ```python
        Task(subagent_type="test-automator", run_in_background=True, prompt="Run tests")
        Task(subagent_type="security-auditor", model="opus", run_in_background=True,
             prompt="""Scan the
        dependencies""")
        ```

        ## Phase 2: Ship

        Task(subagent_type="deployer", prompt="Ship it")
        '''
    )
    parallel = next(b for b in blocks(doc) if isinstance(b, ParallelBlock))
    inner = [s for branch in parallel.branches for s in branch.blocks if isinstance(s, Step)]
    assert [s.agent for s in inner] == ["test-automator", "security-auditor"]
    assert inner[1].model == "opus"
    assert inner[1].prompt == "Scan the\ndependencies"
    assert steps(doc)[-1].agent == "deployer"
    assert doc.workflows[0].dialect == "call"


def test_routing_list_becomes_a_decision() -> None:
    doc = parse(
        """
        ## Phase 1: Fix

        ### 1. Pick an expert
        - Python issues → subagent_type="python-pro"
        - Go → subagent_type="golang-pro"
        - Prompt: "Fix $ARGUMENTS"
        - Output: Fix

        ### 2. Ship
        - Use Task tool with subagent_type="release"
        - Prompt: "Ship the [fix]"
        """
    )
    (decision,) = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert decision.question == "Pick an expert"
    assert [p.condition for p in decision.paths] == ["Python issues", "Go"]
    found = steps(doc)
    assert [s.agent for s in found] == ["python-pro", "golang-pro", "release"]
    assert [s.id for s in found[:2]] == ["phase-1/path-a", "phase-1/path-b"]
    # the Prompt and Output after the list belong to every route
    assert [[i.name for i in s.produces] for s in found[:2]] == [["Fix"], ["Fix"]]
    assert found[0].prompt == found[1].prompt == "Fix $ARGUMENTS"
    assert found[2].produces == ()


def test_a_routed_case_in_bold_keeps_no_markup_in_its_condition() -> None:
    doc = parse(
        """
        ## Review

        Spawn the **reviewer** agent to check the build.

        ## Gate Decision

        - **PASS**: Feature-complete application → Phase 4 activation
        - **CONTINUE**: More sprints needed → Continue Phase 3
        - __ESCALATE__: Systemic issues → Studio Producer intervention
        """
    )
    (decision,) = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [p.condition for p in decision.paths] == [
        "PASS: Feature-complete application",
        "CONTINUE: More sprints needed",
        "ESCALATE: Systemic issues",
    ]


def test_a_condition_cut_between_code_ticks_keeps_no_stray_tick() -> None:
    doc = parse(
        """
        ## Check the result

        - `status` is `"blocked"` → Spawn the **fixer** agent
        - `requiresTestReview` is `true` → Spawn the **test-reviewer** agent
        """
    )
    (decision,) = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    assert [p.condition for p in decision.paths] == [
        'status is "blocked"',
        "requiresTestReview is true",
    ]
    assert [p.title for p in decision.paths] == [p.condition for p in decision.paths]


def test_crlf_four_backtick_and_unclosed_fences_keep_exact_spans() -> None:
    text = (
        "## Phase 1: One\r\n"
        "````\r\n"
        "Task:\r\n"
        '  subagent_type: "alpha"\r\n'
        '  prompt: "A ```nested``` prompt"\r\n'
        "````\r\n"
        "## Phase 2: Two\r\n"
        "```\r\n"
        "Task:\r\n"
        '  subagent_type: "beta"\r\n'
    )
    doc = parse_text(text, "crlf.md")
    source = Source("crlf.md", normalise_text(text))
    found = steps(doc)
    assert [s.agent for s in found] == ["alpha", "beta"]
    for step in found:
        assert step.agent_span is not None and step.agent is not None
        assert text_at(source, step.agent_span) == step.agent


def test_nested_fence_inside_a_prompt_fence_does_not_swallow_phases() -> None:
    doc = parse(
        """
        ## Phase 1: Debug
        Use Task tool with subagent_type="debugger":
        ```
        Reproduce the bug:
           ```bash
           make repro
           ```
        Then explain it.
        ```

        ## Phase 2: Fix
        Use Task tool with subagent_type="fixer":
        """
    )
    assert [s.agent for s in steps(doc)] == ["debugger", "fixer"]
    assert len(doc.workflows[0].phases) == 2


def test_workflow_embedded_in_a_markdown_fence_inside_a_host_page() -> None:
    doc = parse(
        """
        ---
        sidebar_position: 4
        ---
        # Host page

        ## Requirements
        - **RTO**: 20 minutes
        - **Updates**: every 10 minutes

        ```markdown
        # Inner Workflow
        ## Phase 1: Only
        - Use Task tool with subagent_type="solo"
        - Prompt: "Go using [nothing in particular]."
        - Output: Result
        ```
        """
    )
    assert doc.title == "Host page"
    assert doc.front_matter == {"sidebar_position": 4}
    assert [(r.kind, r.seconds) for r in doc.requirements] == [("duration", 1200), ("cadence", 600)]
    (step,) = steps(doc)
    assert step.id == "phase-1" and doc.workflows[0].title == "Inner Workflow"
    assert step.span.line == 13  # the line in the host file, not in the fence
    assert doc.workflows[0].dialect == "docs-site"


def test_a_brief_shown_in_a_markdown_fence_is_no_embedded_workflow() -> None:
    doc = parse(
        """
        # Implement

        ## The loop

        1. **Dispatch the `implementer` agent** with the prompt below.
        2. Dispatch the `reviewer` agent after it reports DONE.

        ## Implementer prompt

        ```markdown
        Task: <task title from tasks.md>

        ### Phase 1: Tests
        Write the failing tests first.
        ```
        """
    )
    # the page runs the agents; the fence is the brief one of them is given
    assert [s.agent for s in steps(doc)] == ["implementer", "reviewer"]
    assert doc.workflows[0].title == "Implement"


def test_a_document_without_a_workflow_compiles_empty() -> None:
    doc = parse("# Notes\n\nJust prose, no agents.\n")
    assert doc.workflows[0].phases == ()
    assert doc.workflows[0].dialect == "none"


def test_prose_is_kept_as_notes() -> None:
    doc = parse(
        """
        ## Phase 1: One
        Some guidance for the coordinator.
        - Use Task tool with subagent_type="a"
        - Prompt: "Do it."
        - Remember to keep the timeline.
        """
    )
    phase = doc.workflows[0].phases[0]
    assert phase.notes[0].text == "Some guidance for the coordinator."
    (step,) = steps(doc)
    assert step.notes[0].text == "Remember to keep the timeline."


def test_unknown_field_keys_are_recorded_not_dropped() -> None:
    doc = parse(
        """
        ## Phase 1: One
        - Use Task tool with subagent_type="a"
        - Prompt: "Do it."
        - Ouput: Result
        """
    )
    (step,) = steps(doc)
    (field,) = [f for f in step.fields if not f.known]
    assert field.key == "Ouput" and field.value == "Result"
    assert step.produces == ()


def test_prompt_that_continues_past_a_fence_in_its_list_item() -> None:
    doc = parse(
        """
        ## Phase 1: One
        - Use Task tool with subagent_type="alpha"
        - Prompt: "Do this:
          ```bash
          make it
          ```
          then report [previous results]."
        - Output: Result

        ## Phase 2: Two
        ### Decision Point: Which way?
        #### Path A: First (Condition: load (p95) is high)
        - Use Task tool with subagent_type="evil<b>agent"
        - Prompt: "x"
        """
    )
    first, second = steps(doc)
    assert first.prompt == "Do this:\nmake it\nthen report [previous results]."
    assert [r.text for r in first.consumes] == ["previous results"]
    assert [i.name for i in first.produces] == ["Result"]
    path = next(b for b in blocks(doc) if isinstance(b, DecisionBlock)).paths[0]
    assert (path.title, path.condition) == ("First", "load (p95) is high")
    assert second.agent == "evil<b>agent"


def test_objectives_outside_a_requirements_section() -> None:
    doc = parse(
        """
        # Release

        **RTO**: 20 minutes
        - **Status updates**: every 10 minutes
        - **Owner**: the release team

        ## Phase 1: Ship
        - Use Task tool with subagent_type="release"
        - Prompt: "Ship."
        """
    )
    assert [(r.name, r.kind, r.seconds) for r in doc.requirements] == [
        ("RTO", "duration", 1200),
        ("Status updates", "cadence", 600),
    ]


def test_default_path_keeps_its_condition() -> None:
    doc = parse(
        """
        ## Phase 1: Choose
        ### Decision Point: Roll back?
        #### Path A: Rollback (Condition: deploy in last hour) (Default)
        - Use Task tool with subagent_type="a"
        #### Path B: Forward fix (Condition: no recent deploy)
        - Use Task tool with subagent_type="b"
        """
    )
    (decision,) = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    first = decision.paths[0]
    assert (first.title, first.condition, first.is_default, first.role) == (
        "Rollback",
        "deploy in last hour",
        True,
        "path",
    )


def test_a_checklist_of_migrations_and_a_form_of_tick_boxes_are_no_decisions() -> None:
    doc = parse(
        """
        ## Migrate

        Spawn the **migrator** agent to move the code base to React 19.

        ## Migration Checklist

        - [ ] ReactDOM.render → createRoot
        - [ ] ReactDOM.hydrate → hydrateRoot
        - [x] forwardRef → ref as prop

        ## Results

        | ID | Test | Status | Notes |
        |----|------|--------|-------|
        | TEST-01 | Center Alignment | [ ] Pass / [ ] Fail | |
        | TEST-02 | Right Alignment | [ ] Pass / [ ] Fail | |
        """
    )
    assert [b for b in blocks(doc) if isinstance(b, DecisionBlock)] == []
    assert [s.agent for s in steps(doc)] == ["migrator"]


def test_a_launch_on_the_line_that_opens_a_path_takes_the_path_condition_once() -> None:
    doc = parse(
        """
        ## Handle the debug report

        - If `NEXT_ACTION: STOP_FOR_HUMAN` → append a note to tasks.md and stop
        - If `NEXT_ACTION: RETRY_TASK` → Spawn a **new** implementer subagent with the plan
        """
    )
    (decision,) = [b for b in blocks(doc) if isinstance(b, DecisionBlock)]
    retry = decision.paths[1]
    assert retry.condition == "NEXT_ACTION: RETRY_TASK"
    (launch,) = [b for b in retry.blocks if isinstance(b, Step)]
    # the path says when it runs; the step on its line is not a second, cut-short condition
    assert (launch.agent, launch.condition, launch.optional) == ("implementer", None, False)
