"""Context handed over through files: who writes a file, who reads it later (DESIGN §2)."""

from __future__ import annotations

from textwrap import dedent

from compiler.checks import check_document
from compiler.checks.config import LintConfig
from compiler.model import Block, Document, ParallelBlock, Step, iter_blocks, iter_steps
from compiler.parse import parse_text


def parse(text: str) -> Document:
    return parse_text(dedent(text).strip() + "\n", "doc.md")


def step(doc: Document, title_start: str) -> Step:
    """The step whose title starts so, or whose agent is so named."""
    return next(
        s for s in iter_steps(doc) if s.title.startswith(title_start) or s.agent == title_start
    )


REBUILD = """
    # Rebuild

    ## Phase A — Mining (parallel agents)

    Spawn concurrently:

    1. **rules-extractor** — "Extract every business rule."
    2. **legacy-analyst** — "Catalog every interface."

    Collect results. Write `analysis/SPEC.md` containing the rules and interfaces.

    ## Phase B — Architecture

    Then spawn **architecture-critic**: "Review the architecture against the spec in
    analysis/SPEC.md." Write the result to `analysis/ARCHITECTURE.md`.

    ## Phase C — Scaffolding

    Spawn the **scaffolder** agent: "Scaffold per `ARCHITECTURE.md`."
    """


def test_a_file_the_coordinator_writes_after_a_batch_is_read_by_a_later_step() -> None:
    doc = parse(REBUILD)
    [parallel] = [b for w in doc.workflows for p in w.phases for b in iter_blocks(p.blocks)
                  if isinstance(b, ParallelBlock)]  # fmt: skip
    assert len(parallel.branches) == 2  # the coordinator's write is no third branch
    writer = step(doc, "Collect results")
    assert writer.agent is None and writer.provenance == "inferred"
    assert [item.name for item in writer.produces] == ["analysis/SPEC.md"]
    critic = step(doc, "Then spawn")
    [read] = [ref for ref in critic.consumes if ref.text == "analysis/SPEC.md"]
    assert read.provenance == "inferred" and read.span.line == 15
    # read by its file name alone where only one written file has that name
    scaffolder = step(doc, "Spawn the")
    assert [ref.text for ref in scaffolder.consumes] == ["analysis/ARCHITECTURE.md"]


def test_inferred_hand_offs_resolve_and_raise_no_finding() -> None:
    doc = parse(REBUILD)
    findings = check_document(doc, LintConfig(), source=dedent(REBUILD).strip() + "\n")
    assert [d for d in findings if d.severity != "info"] == []


def test_branches_side_by_side_never_read_each_other_files() -> None:
    doc = parse(
        """
        # Review

        ## Phase 1: Review (parallel)

        Spawn these agents in parallel:

        - **code-linter** — "Lint the code. Save to `out/lint.md`."
        - **test-runner** — "Run the tests; compare with out/lint.md."
        """
    )
    assert step(doc, "test-runner").consumes == ()


def test_a_file_written_on_three_lines_is_bookkeeping_not_a_hand_off() -> None:
    doc = parse(
        """
        # Build

        ## Phase 1: Plan

        Use the **planner** agent to plan. Create `state.json` with the plan.

        ## Phase 2: Build

        Use the **builder** agent to build from `state.json`. Update `state.json` after.

        ## Phase 3: Done

        Update `state.json`: mark the run complete.
        """
    )
    assert step(doc, "builder").consumes == ()


def test_both_report_files_are_the_files_the_group_just_wrote() -> None:
    doc = parse(
        """
        # Review

        ## Step 1: Launch Reviews

        Launch BOTH agents in a **single message** so they run concurrently.

        ### Agent 1: Architecture

        ```
        Task:
          subagent_type: "arch-reviewer"
          prompt: "Review the architecture. Save findings to `.reviews/arch.md`."
        ```

        ### Agent 2: Clean Code

        ```
        Task:
          subagent_type: "code-reviewer"
          prompt: "Review the code. Save findings to `.reviews/code.md`."
        ```

        ## Step 2: Merge

        Read both report files and merge them.
        """
    )
    [parallel] = [b for w in doc.workflows for p in w.phases for b in iter_blocks(p.blocks)
                  if isinstance(b, ParallelBlock)]  # fmt: skip
    members = [s.agent for branch in parallel.branches for s in iter_steps_in(branch.blocks)]
    assert members == ["arch-reviewer", "code-reviewer"]
    merge = step(doc, "Merge")
    assert [ref.text for ref in merge.consumes] == [".reviews/arch.md", ".reviews/code.md"]
    assert all(ref.provenance == "inferred" for ref in merge.consumes)


def iter_steps_in(blocks: tuple[Block, ...]) -> list[Step]:
    return [b for b in iter_blocks(blocks) if isinstance(b, Step)]


def test_a_bare_file_made_in_an_overview_is_made_just_before_its_first_reader() -> None:
    doc = parse(
        """
        # Spec

        ## Workflow Sequence

        1. Create requirements.md using template
        2. Create design.md using template

        ## Phase 1: Requirements

        Use the **requirements-validator** agent:

        ```
        Read the requirements document from .specs/{feature}/requirements.md
        ```

        ## Phase 2: Design

        Use the **design-validator** agent:

        ```
        Read design.md and requirements.md for context
        ```
        """
    )
    [workflow] = doc.workflows
    made = {
        phase.title: [s.title for s in iter_steps(phase) if s.agent is None]
        for phase in workflow.phases
    }
    assert made["Requirements"] == ["Create requirements.md using template"]
    assert made["Design"] == ["Create design.md using template"]
    reads = {s.agent: {ref.text for ref in s.consumes} for s in iter_steps(doc) if s.agent}
    assert reads == {
        "requirements-validator": {"requirements.md"},
        "design-validator": {"design.md", "requirements.md"},
    }


def test_a_file_made_in_an_overview_is_made_before_the_batch_of_its_first_reader() -> None:
    doc = parse(
        """
        # Council

        ## Overview

        1. Write packet.md with the diff.

        ## Mixed Mode

        Spawn the judges in parallel:

        ```
        Task(subagent_type="judge", prompt="Review the code.", description="Judge 1")
        Task(subagent_type="judge", prompt="Read packet.md and review it.", description="Judge 2")
        ```
        """
    )
    [workflow] = doc.workflows
    [phase] = workflow.phases
    assert [type(block).__name__ for block in phase.blocks] == ["Step", "ParallelBlock"]
    [group] = [block for block in phase.blocks if isinstance(block, ParallelBlock)]
    assert [b.blocks[0].span.line for b in group.branches] == [12, 13]


def test_paths_with_other_fill_ins_or_read_from_inside_their_folder_are_the_same_file() -> None:
    doc = parse(
        """
        # Factory

        ## Phase 1: Plan

        Use the **planner** agent to write the requirements.

        - Output: agents/[EXACT_FOLDER_NAME]/planning/INITIAL.md

        ## Phase 2: Prompts

        Use the **prompt-engineer** agent:

        ```
        Input: planning/INITIAL.md
        ```

        ## Phase 3: Validate

        Use the **validator** agent to check agents/[folder]/planning/INITIAL.md.
        """
    )
    written = "agents/[EXACT_FOLDER_NAME]/planning/INITIAL.md"
    assert [item.name for item in step(doc, "planner").produces] == [written]
    for reader in ("prompt-engineer", "validator"):
        assert [ref.text for ref in step(doc, reader).consumes] == [written]


def test_write_to_with_a_colon_and_write_with_a_path_save_the_file() -> None:
    doc = parse(
        """
        # Research

        ## Step 1: Research

        ```
        Task(subagent_type="researcher", prompt="Research the stack. Write to: .research/STACK.md")
        ```

        ## Step 2: Synthesize

        ```
        Task(subagent_type="synthesizer", prompt="Read .research/STACK.md,
        then write .research/SUMMARY.md")
        ```

        ## Step 3: Report

        Read @.research/SUMMARY.md.
        """
    )
    research, synthesize = step(doc, "researcher"), step(doc, "synthesizer")
    assert [item.name for item in research.produces] == [".research/STACK.md"]
    assert [item.name for item in synthesize.produces] == [".research/SUMMARY.md"]
    assert ".research/STACK.md" in [ref.text for ref in synthesize.consumes]


def test_every_file_of_a_save_written_as_a_list_is_saved() -> None:
    doc = parse(
        """
        # Specs

        ## Step 1: Draft

        ```
        Task(subagent_type="spec-writer", prompt="Draft the spec.
        Create `specs/design.md` and `specs/tasks.md`,
        then save the notes to `specs/notes.md`, `specs/risks.md` and `specs/open-questions.md`.")
        ```

        ## Step 2: Review

        ```
        Task(subagent_type="spec-reviewer", prompt="Read `specs/design.md`, `specs/tasks.md`
        and `specs/risks.md`; report what contradicts.")
        ```
        """
    )
    draft, review = step(doc, "spec-writer"), step(doc, "spec-reviewer")
    assert [item.name for item in draft.produces] == [
        "specs/design.md",
        "specs/tasks.md",
        "specs/notes.md",
        "specs/risks.md",
        "specs/open-questions.md",
    ]
    read = [ref.text for ref in review.consumes]
    assert {"specs/design.md", "specs/tasks.md", "specs/risks.md"} <= set(read)


def test_a_file_named_on_the_next_line_of_its_save_is_handed_over_too() -> None:
    doc = parse(
        """
        # Specs

        ## Step 1: Draft

        ```
        Task(subagent_type="spec-writer", prompt="Draft the spec. Create `specs/design.md`
        and `specs/tasks.md`.")
        ```

        ## Step 2: Review

        ```
        Task(subagent_type="spec-reviewer", prompt="Check the tasks against the design:
        `specs/tasks.md` first, then `specs/design.md`.")
        ```
        """
    )
    review = step(doc, "spec-reviewer")
    assert sorted(ref.text for ref in review.consumes) == ["specs/design.md", "specs/tasks.md"]


def test_a_file_the_coordinator_writes_and_a_step_says_to_read_is_handed_over() -> None:
    doc = parse(
        """
        # Review

        ## Phase 1: Scope

        Save this context to `.review/00-scope.md`.

        ## Phase 2: Review

        - Use Task tool with subagent_type="code-reviewer"
        - Prompt: "Review the change against the scope."

        Read `.review/00-scope.md` first.
        """
    )
    steps = list(iter_steps(doc))
    writer = next(s for s in steps if s.agent is None)
    assert [item.name for item in writer.produces] == [".review/00-scope.md"]
    assert ".review/00-scope.md" in [ref.text for ref in step(doc, "code-reviewer").consumes]
