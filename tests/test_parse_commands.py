"""Agents started by a shell command (`claude -p "…"`, `codex exec "…"`, `gemini -p "…"`): each
headless launch in a shell code block is a step of that agent, inferred; commands that only
continue, check or show the shape of a launch are not (issue 8: "Recall that must grow")."""

from __future__ import annotations

from textwrap import dedent

from compiler.model import ParallelBlock, Step, iter_blocks, iter_steps
from compiler.parse import parse_text


def _steps(markdown: str) -> list[Step]:
    return list(iter_steps(parse_text(dedent(markdown))))


def test_a_launch_per_command_run_together_when_the_block_says_so() -> None:
    document = parse_text(
        dedent(
            """\
            # Gemini subagents

            ## Analyse in parallel

            ```
            # In a single tool call block, run these in PARALLEL:
            gemini -p "Analyze src/common.py for dead code" > reports/common.txt 2>&1
            gemini -p "Analyze src/store.py for dead code" > reports/store.txt 2>&1
            ```
            """
        )
    )
    steps = list(iter_steps(document))
    assert [(s.agent, s.prompt, s.span.line, s.provenance) for s in steps] == [
        ("gemini", "Analyze src/common.py for dead code", 7, "inferred"),
        ("gemini", "Analyze src/store.py for dead code", 8, "inferred"),
    ]
    assert [s.title for s in steps] == [s.prompt for s in steps]  # short prompts title them
    (phase,) = document.workflows[0].phases
    blocks = [b for b in iter_blocks(phase.blocks) if isinstance(b, ParallelBlock)]
    assert [len(b.branches) for b in blocks] == [2]


def test_the_agent_and_the_prompt_among_other_arguments() -> None:
    steps = _steps(
        """\
        ## Step 2: Launch

        ```bash
        cd <project-root> && claude -p \\
          --agent implement \\
          --output-format stream-json \\
          "Implement the plan in prd.md"
        ```

        ## Step 3: Review

        ```bash
        CODEX_HOME="$HOME/.codex" codex exec --full-auto -m "gpt-5" -C "$(pwd)" "Review the diff"
        ```

        ## Step 4: Check

        ```shell
        $ opencode run --agent="qa-lead" 'Check the release notes'
        ```
        """
    )
    assert [(s.agent, s.prompt) for s in steps] == [
        ("implement", "Implement the plan in prd.md"),
        ("codex", "Review the diff"),
        ("qa-lead", "Check the release notes"),
    ]
    assert steps[0].agent_span is not None and steps[0].agent_span.line == 5


def test_commands_that_launch_nothing() -> None:
    steps = _steps(
        """\
        ## Run

        Do NOT spawn sub-agents via `claude -p` or any other process.

        ```bash
        if ! codex exec --full-auto "echo ok" > /dev/null 2>&1; then echo "no codex"; fi
        codex exec resume <SESSION_ID> "<your answer>"
        claude -p "<prompt>"
        codex-agent start "<prompt>" [options]
        gemini --version
        claude "Explain this repository"
        ```

        ```python
        subprocess.run(["claude", "-p", prompt])
        ```
        """
    )
    assert steps == []


def test_a_prompt_from_a_file_is_no_title() -> None:
    (step,) = _steps(
        """\
        ## Launch

        ```sh
        codex exec --full-auto - < "$prompt_file"
        ```
        """
    )
    assert (step.agent, step.prompt, step.title) == ("codex", None, "Launch")
