"""Context handed over through files: who writes a file, who reads it later (DESIGN §2)."""

from __future__ import annotations

from textwrap import dedent

from compiler.checks import check_document
from compiler.checks.config import LintConfig
from compiler.model import Document, ParallelBlock, Step, iter_blocks, iter_steps
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


def test_a_file_written_on_several_lines_is_bookkeeping_not_a_hand_off() -> None:
    doc = parse(
        """
        # Build

        ## Phase 1: Plan

        Use the **planner** agent to plan. Create `state.json` with the plan.

        ## Phase 2: Build

        Use the **builder** agent to build from `state.json`. Update `state.json` after.
        """
    )
    assert step(doc, "builder").consumes == ()
