"""The hand-offs a Copilot custom agent's front matter offers (`handoffs:`) are a decision
of the workflow's last phase: a path per hand-off, with that agent's step and prompt."""

from __future__ import annotations

from textwrap import dedent

from compiler.checks import check_document
from compiler.checks.config import LintConfig
from compiler.model import DecisionBlock, Step
from compiler.parse import parse_text

AGENT = dedent(
    """\
    ---
    name: Orchestrator
    tools: ['agent', 'search']
    handoffs:
      - label: "[1] Write the spec"
        agent: Spec Generator
        prompt: Write the technical spec for the requested feature.
        send: true
      - label: "[2] Implement"
        agent: 'backend-developer'
        prompt: "Implement the approved spec."
    ---

    # Orchestrator

    ## Process

    1. Use the `researcher` agent to read the request.
    2. Hand the work on with the buttons below.
    """
)


def test_each_offered_hand_off_is_a_path_with_that_agents_step() -> None:
    document = parse_text(AGENT, "orchestrator.agent.md")
    # after the page's own phase, whose steps keep the ids they had without hand-offs
    assert [phase.id for phase in document.workflows[0].phases] == ["main", "hand-offs"]
    last = document.workflows[0].phases[-1]
    (decision,) = last.blocks
    assert isinstance(decision, DecisionBlock)
    assert decision.provenance == "explicit"
    steps = [block for path in decision.paths for block in path.blocks if isinstance(block, Step)]
    # each at its `agent:` line
    assert [(s.agent, s.prompt, s.span.line, s.provenance) for s in steps] == [
        ("Spec Generator", "Write the technical spec for the requested feature.", 6, "explicit"),
        ("backend-developer", "Implement the approved spec.", 10, "explicit"),
    ]
    # the user may also click none of them
    assert [path.is_default for path in decision.paths] == [False, False, True]


def test_offered_hand_offs_raise_no_finding() -> None:
    document = parse_text(AGENT, "orchestrator.agent.md")
    found = check_document(document, LintConfig(), source=AGENT)
    assert [(d.code, d.severity) for d in found if d.severity != "info"] == []


def test_front_matter_without_a_list_of_hand_offs_offers_none() -> None:
    text = AGENT.replace("handoffs:\n", "handoffs: later\nother:\n")
    document = parse_text(text, "orchestrator.agent.md")
    assert all(
        not isinstance(block, DecisionBlock)
        for phase in document.workflows[0].phases
        for block in phase.blocks
    )
