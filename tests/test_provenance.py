"""Provenance (DESIGN §2): every element records whether the document stated it or drillbook
inferred it, and rules about an element's shape speak only of stated ones. Also the other
precision rules that read the document's own conventions."""

from __future__ import annotations

from dataclasses import dataclass
from textwrap import dedent

from compiler.checks import LintConfig, check_document
from compiler.checks.ruleset import load_static_rules
from compiler.model import (
    DecisionBlock,
    Document,
    ParallelBlock,
    Provenance,
    iter_blocks,
    iter_steps,
)
from compiler.parse import parse_text
from compiler.rules import make_diagnostic, registered
from compiler.spelling import edit_distance, near_miss


def parse(text: str) -> Document:
    return parse_text(dedent(text).strip() + "\n", "doc.md")


def codes(text: str, config: LintConfig | None = None) -> list[tuple[int, str]]:
    document = parse(text)
    source = dedent(text).strip() + "\n"
    return [(d.line, d.code) for d in check_document(document, config, source=source)]


def test_stated_forms_are_explicit_and_prose_forms_inferred() -> None:
    doc = parse(
        """
        ## Phase 1: Investigate
        ### Branch A: Logs
        - Use Task tool with subagent_type="log-analyst"
        ### Branch B: Metrics
        - Use Task tool with subagent_type="monitoring-specialist"

        ## Phase 2: Decide
        ### If Condition: the database is slow
        - Use Task tool with subagent_type="database-admin"
        ### Else: escalate
        - Use Task tool with subagent_type="incident-commander"

        ## Phase 3: Follow up
        ### If the customer asks for a report
        - Use Task tool with subagent_type="communications-lead"
        ### If the customer is silent
        Use the **support-lead** agent to close the ticket.
        """
    )
    phases = doc.workflows[0].phases
    parallel = next(b for b in iter_blocks(phases[0].blocks) if isinstance(b, ParallelBlock))
    stated = next(b for b in iter_blocks(phases[1].blocks) if isinstance(b, DecisionBlock))
    read = next(b for b in iter_blocks(phases[2].blocks) if isinstance(b, DecisionBlock))
    assert [p.provenance for p in phases] == ["explicit"] * 3
    assert parallel.provenance == "explicit"
    assert stated.provenance == "explicit"
    assert read.provenance == "inferred"  # an ordinary heading that starts with "If"
    agents = {s.agent: s.provenance for s in iter_steps(doc)}
    assert agents["support-lead"] == "inferred"
    assert agents["communications-lead"] == "explicit"


@dataclass(frozen=True)
class Element:
    provenance: Provenance


def test_the_rule_registry_decides_what_a_finding_about_inferred_structure_becomes() -> None:
    inferred = Element("inferred")
    stated = Element("explicit")
    load_static_rules()
    span = parse("## Phase 1: X\n").workflows[0].span
    shape = make_diagnostic("WF401", "doc.md", span, "no default", about=(inferred,))
    assert registered("WF401").on_inferred == "silent" and shape.silenced
    race = make_diagnostic("WF301", "doc.md", span, "race", about=(stated, inferred))
    assert (race.severity, race.silenced) == ("info", False)
    real = make_diagnostic("WF301", "doc.md", span, "race", about=(stated,))
    assert (real.severity, real.silenced) == ("error", False)


def test_missing_prompt_is_reported_only_where_steps_carry_prompts() -> None:
    briefed = """
        ## Phase 1: Triage
        - Use Task tool with subagent_type="incident-commander"
        - Output: Brief
        ## Phase 2: Investigate
        - Use Task tool with subagent_type="log-analyst"
        - Prompt: "Read the logs around the [brief]."
        - Output: Findings
        ## Phase 3: Report
        - Use Task tool with subagent_type="incident-commander"
        - Prompt: "Summarise the [findings]."
        - Output: Summary
        """
    unbriefed = """
        ## Phase 1: Triage
        - Use Task tool with subagent_type="incident-commander"
        ## Phase 2: Investigate
        - Use Task tool with subagent_type="log-analyst"
        ## Phase 3: Report
        - Use Task tool with subagent_type="incident-commander"
        """
    assert (2, "WF104") in codes(briefed)
    assert "WF104" not in {c for _, c in codes(unbriefed)}


def test_unknown_field_needs_the_field_block_and_a_near_miss_of_a_known_field() -> None:
    found = codes(
        """
        ## Phase 1: Triage
        - Use Task tool with subagent_type="incident-commander"
        - Prompt: "Triage $ARGUMENTS."
        - Ouput: Incident brief
        - Escalation: page the lead

        Then read the answer:
        - Ouptut channel: the status page
        - Decision: ship or hold
        """
    )
    assert [(line, code) for line, code in found if code == "WF107"] == [(4, "WF107")]


def test_near_misses_are_strict() -> None:
    assert edit_distance("ouput", "output") == 1
    assert edit_distance("promtp", "prompt") == 1  # a swap of neighbours is one slip
    assert near_miss("Ouput", ["output", "input"]) == "output"
    assert near_miss("subagent-type", ["subagent_type"]) == "subagent_type"
    assert near_miss("Instruction", ["instructions"]) is None  # a plural is not a typo
    assert near_miss("Input", ["output"]) is None  # two slips in a short word
    assert near_miss("Next", ["text"]) is None  # the first letter differs


def test_achieved_figures_are_results_not_requirements() -> None:
    doc = parse(
        """
        # Incident

        ## Response Requirements
        - **RTO (Recovery Time Objective)**: 30 minutes
        - **Communication**: Stakeholder updates every 15 minutes

        ## Generated Workflow

        ## Phase 1: Triage
        - Use Task tool with subagent_type="incident-commander"
        - Prompt: "Triage the incident."
        - Output: Brief

        ## Execution Results

        ### Phase 1: Triage
        **Duration**: 5 minutes

        ## Key Metrics Achieved
        - **Total Resolution Time**: 25 minutes (within 30-minute RTO)
        - **Communication Frequency**: Every 10 minutes (exceeded 15-minute requirement)
        """
    )
    assert [(r.name, r.seconds) for r in doc.requirements] == [
        ("RTO (Recovery Time Objective)", 1800),
        ("Communication", 900),
    ]
    assert doc.recorded_run is not None
    assert [(m.name, m.kind, m.seconds) for m in doc.recorded_run.metrics] == [
        ("Total Resolution Time", "duration", 1500),
        ("Communication Frequency", "cadence", 600),
    ]


def test_unused_output_is_opt_in_and_conditions_read_outputs() -> None:
    text = """
        ## Phase 1: Measure
        - Use Task tool with subagent_type="cache-analyst"
        - Prompt: "Measure the cache."
        - Output: Cache hit ratio, cache size

        ## Phase 2: Decide
        ### If Condition: cache hit ratio below 50%
        - Use Task tool with subagent_type="cache-expert"
        - Prompt: "Warm the cache."
        - Output: Warm-up report
        ### Else: carry on
        - Use Task tool with subagent_type="incident-commander"
        - Prompt: "Close the incident using the [warm-up report]."
        - Output: Closure
        """
    assert "WF205" not in {c for _, c in codes(text)}
    selected = codes(text, LintConfig(select=("WF205",)))
    # "cache hit ratio" is read by the condition; only "cache size" is unused.
    assert selected == [(4, "WF205")]


def test_selected_results_resolve_like_all_results() -> None:
    found = codes(
        """
        ## Phase 1: Triage
        - Use Task tool with subagent_type="incident-commander"
        - Prompt: "Triage $ARGUMENTS."
        - Output: Incident brief

        ## Phase 2: Review
        - Use Task tool with subagent_type="incident-commander"
        - Prompt: "Review [all mitigation results] and [selected mitigation results]."
        - Output: Review
        """
    )
    assert found == []
