"""How many agents a sentence launches, and how many items the list under it has."""

from __future__ import annotations

import pytest

from compiler.model import Step, iter_blocks
from compiler.parse import parse_text
from compiler.parse.counts import counted_list, launch_count
from compiler.parse.elements import Element, View, parse_elements


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Spawn **three business-rules-extractor subagents in parallel**", 3),
        ("Launch 4 parallel Task agents:", 4),
        ("Dispatch all 5 code reviewers in parallel for feedback:", 5),
        ("Claude: Deploying 6 tech-writer instances for parallel generation", 6),
        ("Launch TWO subagents in parallel to review the plan:", 2),
        # bounds and other numbers are not counts of what is launched
        ("Spawn up to 3 agents at a time:", None),
        ("Launch at most 4 reviewers:", None),
        ("Read the 3 files, then summarise them.", None),
        ("Spawn one agent per file:", None),
    ],
)
def test_a_launch_states_how_many_agents_it_starts(text: str, count: int | None) -> None:
    assert launch_count(text) == count


def _elements(text: str) -> list[Element]:
    return parse_elements(View.whole(text))


def test_a_list_counts_its_first_level_items_up_to_where_it_ends() -> None:
    elements = _elements(
        "Lead:\n\n1. one\n   - nested\n2. two\n\n   more of two\n3. three\n\n- another list\n"
    )
    start = next(i for i, e in enumerate(elements) if e.kind == "item")
    assert counted_list(elements, start) == (3, 8)
    assert counted_list(elements, 0) == (0, 0)  # no list starts at the lead-in


def _step_titles(text: str) -> list[str]:
    doc = parse_text(text)
    return [
        block.title
        for workflow in doc.workflows
        for phase in workflow.phases
        for block in iter_blocks(phase.blocks)
        if isinstance(block, Step)
    ]


@pytest.mark.parametrize(("lead", "split"), [("2", True), ("up to 2", False)])
def test_only_an_exact_count_makes_the_items_agents(lead: str, split: bool) -> None:
    titles = _step_titles(f"# R\n\n## Review\n\nSpawn {lead} agents in parallel:\n\n- a\n- b\n")
    assert (titles == ["a", "b"]) is split
