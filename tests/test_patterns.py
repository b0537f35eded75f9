"""The pattern table: every heading row recognises its own example, field keys tolerate
case and markup, agent patterns find qualified names."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.parse import patterns as p
from compiler.parse.elements import TextLine
from compiler.parse.invocations import agent_mentions
from compiler.parse.text import Passage


@pytest.mark.parametrize("row", p.HEADING_PATTERNS, ids=lambda row: f"{row.role}:{row.example}")
def test_each_heading_row_matches_its_example(row: p.HeadingPattern) -> None:
    text = row.example.lstrip("#").strip()
    classified = p.classify_heading(text)
    assert classified is not None and classified[0] == row.role


_HEADING_WORDS = ["Step", "phase", "ſtep", "İf", "Else", "Otherwise", "Example", "Demo", "示例"]
_HEADING_WORDS += ["Path", "Branch", "Decision", "Notes", "SLO", "Results", "Execution", "Fase"]
_HEADING_TEXT = st.lists(
    st.sampled_from([*_HEADING_WORDS, "1", "2.", "A", ":", " ", "—", "(", "x", "checkpoint", "K"]),
    max_size=8,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_HEADING_TEXT)
def test_a_row_is_skipped_only_for_headings_it_cannot_match(text: str) -> None:
    # the rows' words and the translated rows' gate are sound: skipping rows by them finds
    # the first row whose regex matches
    clean = p.strip_markup(text)
    ungated = next((row.role for row in p.HEADING_PATTERNS if row.regex.match(clean)), None)
    classified = p.classify_heading(text)
    assert (classified[0] if classified else None) == ungated


@pytest.mark.parametrize(
    ("heading", "role", "groups"),
    [
        ("Phase 3: Parallel Deep Investigation", "phase", {"num": "3"}),
        ("**Phase 2** — Build (Steps 3–4)", "phase", {"num": "2"}),
        ("PHASE CHECKPOINT 2 -- User Approval Required", "checkpoint", {"num": "2"}),
        (
            "Path B: Application/Code Issue (Condition: Error rates)",
            "path",
            {"cond": "Error rates"},
        ),
        ("Step 1A: Code Quality Analysis", "step", {"num": "1A"}),
        ("1.2 Process Each Directory", "step", {"num": "1.2"}),
        ("Branch D: Security & Data Integrity Check", "branch", {"num": "D"}),
        ("Else: Fraud Rules Misfire", "else", {}),
        ("Coordination Notes", "notes", {}),
        ("Execution Results", "results", {}),
    ],
)
def test_heading_variants(heading: str, role: str, groups: dict[str, str]) -> None:
    classified = p.classify_heading(heading)
    assert classified is not None
    assert classified[0] == role
    for key, value in groups.items():
        assert classified[1][key] == value


@pytest.mark.parametrize(
    "heading", ["Overview", "Incident Scenario", "Phases of the moon", "Stepping back"]
)
def test_ordinary_headings_have_no_role(heading: str) -> None:
    assert p.classify_heading(heading) is None


@pytest.mark.parametrize(
    ("line", "key", "role"),
    [
        ("Prompt: do it", "Prompt", "prompt"),
        ("**Output**: a, b", "Output", "output"),
        ("**Expected output:** a", "Expected output", "output"),
        ('`subagent_type`: "x"', "subagent_type", "agent"),
        ("Context from previous: x", "Context from previous", "context_in"),
        ("Inputs: a, b", "Inputs", "input"),
        ("CONTEXT FOR NEXT PHASE: x", "CONTEXT FOR NEXT PHASE", "context_next"),
        ("Dependencies: step 1", "Dependencies", "dependency"),
    ],
)
def test_field_keys_are_case_and_markup_tolerant(line: str, key: str, role: str) -> None:
    match = p.FIELD_LINE.match(line)
    assert match is not None
    assert match["key"].strip() == key
    assert p.field_role(match["key"]) == role


def test_unknown_and_misspelt_keys_have_no_role() -> None:
    assert p.field_role("Ouput") is None
    assert p.field_role("Severity") is None


@pytest.mark.parametrize(
    ("text", "agent"),
    [
        ('- Use Task tool with subagent_type="incident-responder"', "incident-responder"),
        ('subagent_type: "error-debugging::debugger"', "error-debugging::debugger"),
        ('- `subagent_type`: "dev-workflows:code-reviewer"', "dev-workflows:code-reviewer"),
        ("subagent_type: data-engineer", "data-engineer"),
        ("Task(subagent_type='Plan', model='opus')", "Plan"),
        ("`Task(subagent_type=Explore)`", "Explore"),
    ],
)
def test_agent_patterns(text: str, agent: str) -> None:
    mentions = agent_mentions(Passage.of([TextLine(text, 7, 3)]))
    assert [m[0] for m in mentions] == [agent]
    span = mentions[0][1]
    assert span.line == 7
    assert text[span.column - 3 : span.end_column - 3] == agent


def test_prose_about_subagent_type_is_not_an_invocation() -> None:
    text = "All `subagent_type` references use agents bundled with this plugin."
    assert agent_mentions(Passage.of([TextLine(text, 1, 1)])) == []


@pytest.mark.parametrize(
    ("title", "optional", "condition"),
    [
        ("Performance Analysis (if applicable)", True, "applicable"),
        ("Security Review (if the change touches auth)", True, "the change touches auth"),
        ("Revision (conditional)", True, None),
        ("Deploy", False, None),
    ],
)
def test_optional_marker(title: str, optional: bool, condition: str | None) -> None:
    match = p.OPTIONAL_MARKER.search(title)
    assert bool(match) == optional
    if match:
        assert (match["cond"].strip() if match["cond"] else None) == condition


def test_slug() -> None:
    assert p.slug("Step 1A") == "step-1a"
    assert p.slug("1.2") == "1-2"
    assert p.slug("***") == "x"
