"""Reference resolution (DESIGN §4): what each reference resolves to, and how it is judged
on the control graph."""

from __future__ import annotations

import pytest

from compiler.checks.resolve import Resolution, resolve_workflow
from compiler.parse import parse_document, parse_text
from compiler.source import read_source
from tests.conftest import SEED, SPEC_FILES, needs_seed


def resolve(text: str) -> dict[str, Resolution]:
    """Resolutions by reference text (each text used once per test document)."""
    document = parse_text(text, "doc.md")
    return {r.reference.text: r for r in resolve_workflow(document.workflows[0])}


def step(title: str, agent: str, prompt: str, output: str, extra: str = "") -> str:
    return (
        f'### {title}\n- Use Task tool with subagent_type="{agent}"\n'
        f'- Prompt: "{prompt}"\n- Output: {output}\n{extra}\n'
    )


# --- the seed -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> list[Resolution]:
    document = parse_document(read_source(SEED))
    return resolve_workflow(document.workflows[0])


def at(resolutions: list[Resolution], text: str, line: int) -> Resolution:
    found = [r for r in resolutions if r.reference.text == text and r.reference.span.line == line]
    assert len(found) == 1, f"{text!r} at line {line}: {found}"
    return found[0]


@needs_seed
@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("incident classification", 53),
        ("affected systems", 59),
        ("selected investigation path results", 73),
        ("investigation results", 88),
        ("all investigation results", 93),
        ("monitoring analysis", 93),
        ("customer impact", 106),
        ("resolution actions", 111),
        ("complete incident documentation", 116),
    ],
)
def test_seed_references_that_exist_resolve(seed: list[Resolution], text: str, line: int) -> None:
    assert at(seed, text, line).status == "resolved"


@needs_seed
def test_seed_monitoring_analysis_in_branch_c_is_a_parallel_race(seed: list[Resolution]) -> None:
    race = at(seed, "monitoring analysis", 83)
    assert race.status == "parallel-race"
    assert race.producers == ("phase-3/branch-a",)
    assert race.items == ("Monitoring analysis",)


@needs_seed
def test_seed_aggregates_cover_the_matching_phases(seed: list[Resolution]) -> None:
    selected = at(seed, "selected investigation path results", 73)
    assert selected.confidence == "aggregate"
    assert selected.producers == ("phase-2/path-a", "phase-2/path-b", "phase-2/path-c")
    everything = at(seed, "all investigation results", 93)
    assert set(everything.producers) == {
        "phase-2/path-a",
        "phase-2/path-b",
        "phase-2/path-c",
        "phase-3/branch-a",
        "phase-3/branch-b",
        "phase-3/branch-c",
        "phase-3/branch-d",
    }


@needs_seed
def test_seed_title_reference_resolves_to_the_branch(seed: list[Resolution]) -> None:
    impact = at(seed, "impact assessment", 93)
    assert (impact.status, impact.confidence, impact.producers) == (
        "resolved",
        "title",
        ("phase-3/branch-c",),
    )


@needs_seed
def test_seed_consumers_come_in_document_order(seed: list[Resolution]) -> None:
    positions = [(r.reference.span.line, r.reference.span.column) for r in seed]
    assert positions == sorted(positions)


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.stem)
def test_every_spec_reference_is_available(path: object) -> None:
    document = parse_document(read_source(path))  # type: ignore[arg-type]
    statuses = {(r.reference.text, r.status) for r in resolve_workflow(document.workflows[0])}
    assert {s for _, s in statuses} <= {"resolved"}, statuses


# --- matching -------------------------------------------------------------------------


def test_matching_ignores_case_punctuation_plurals_and_filler() -> None:
    found = resolve(
        "## Phase 1: A\n"
        + step("One", "a", "Go.", "Affected Systems, root-cause analysis")
        + "## Phase 2: B\n"
        + step("Two", "b", "Use [the affected system, complete root cause analyses].", "X y")
    )
    assert found["the affected system"].status == "resolved"
    assert found["the affected system"].items == ("Affected Systems",)
    assert found["complete root cause analyses"].items == ("root-cause analysis",)


def test_token_containment_matches_a_shorter_name() -> None:
    found = resolve(
        "## Phase 1: A\n"
        + step("One", "a", "Go.", "Customer impact analysis")
        + "## Phase 2: B\n"
        + step("Two", "b", "Use [customer impact].", "Z w")
    )
    assert (found["customer impact"].confidence, found["customer impact"].items) == (
        "tokens",
        ("Customer impact analysis",),
    )


def test_near_miss_is_unresolved_with_a_did_you_mean_hint() -> None:
    found = resolve(
        "## Phase 1: A\n"
        + step("One", "a", "Go.", "Monitoring analysis")
        + "## Phase 2: B\n"
        + step("Two", "b", "Use [monitoring anaylsis].", "Z w")
    )
    result = found["monitoring anaylsis"]
    assert result.status == "unresolved"
    assert result.producers == ()
    assert result.hint is not None and "did you mean 'Monitoring analysis'" in result.hint


def test_branch_label_reference_names_that_branch() -> None:
    found = resolve(
        "## Phase 1: Investigate\n"
        + step("Branch A: Logs", "a", "Go.", "Log findings")
        + step("Branch B: Metrics", "b", "Go.", "Metric findings")
        + "## Phase 2: Report\n"
        + step("Report", "c", "Summarise [Branch A results].", "Summary")
    )
    assert found["Branch A results"].producers == ("phase-1/branch-a",)
    assert found["Branch A results"].status == "resolved"


def test_prose_pointer_to_a_step_number_resolves_to_that_step() -> None:
    found = resolve(
        "## Phase 1: A\n"
        + step("1. Design", "a", "Design.", "Architecture")
        + step("2. Build", "b", "Build.", "Code", "- Context: API specifications from step 1")
    )
    pointer = found["API specifications from step 1"]
    assert (pointer.status, pointer.producers) == ("resolved", ("phase-1/step-1",))


def test_a_step_number_drillbook_counted_never_names_a_branch_beside_the_reader() -> None:
    # "[stack question from step 4]": the coordinator's own step 4, written before the
    # researchers are launched, not the fourth researcher running beside the first
    text = """## 4. Generate Research Questions

Write one question per dimension.

## 5. Spawn Research Agents

Spawn the researchers in parallel:

```
Task(subagent_type="researcher", prompt="Answer [stack question from step 4].")
Task(subagent_type="researcher", prompt="Answer [features question from step 4].")
Task(subagent_type="researcher", prompt="Answer [risks question from step 4].")
Task(subagent_type="researcher", prompt="Answer [pitfalls question from step 4].")
```
"""
    document = parse_text(text, "doc.md")
    resolutions = resolve_workflow(document.workflows[0])
    assert len(resolutions) == 4
    assert all(r.producers == () and r.status == "unresolved" for r in resolutions)


def test_previous_step_means_the_step_just_before() -> None:
    found = resolve(
        "## Phase 1: A\n"
        + step("1. Design", "a", "Design.", "Architecture")
        + step("2. Build", "b", "Build.", "Code")
        + step("3. Test", "c", "Test.", "Report", "- Context: output of the previous step")
    )
    assert found["output of the previous step"].producers == ("phase-1/step-2",)


def test_a_file_the_coordinator_loads_before_any_step_comes_from_outside() -> None:
    text = """# New Milestone

**Load project context:**
@.planning/PROJECT.md
@.planning/config.json

## Phase 1: Requirements

```
Task(subagent_type="writer", prompt="Scope it. Write to: .planning/REQUIREMENTS.md")
```

## Phase 2: Roadmap

```
Task(subagent_type="roadmapper", prompt="Read @.planning/PROJECT.md and @.planning/REQUIREMENTS.md.
Save the roadmap to `ROADMAP.md`.")
```

## Phase 3: Review

```
Task(subagent_type="reviewer", prompt="Check @.planning/ROADMAP.md.")
```
"""
    document = parse_text(text, "doc.md")
    workflow = document.workflows[0]
    assert [ref.text for ref in workflow.loaded_files] == [
        ".planning/PROJECT.md",
        ".planning/config.json",
    ]
    found = {r.reference.text: r for r in resolve_workflow(workflow)}
    assert found[".planning/REQUIREMENTS.md"].producers == ("phase-1",)
    assert found[".planning/PROJECT.md"].status == "external"
    # the roadmapper writes "ROADMAP.md", no folder said: that may well be this one
    assert found[".planning/ROADMAP.md"].status == "external"


def test_variables_resolve_to_workflow_inputs() -> None:
    found = resolve("## Phase 1: A\n" + step("One", "a", "Handle $ARGUMENTS.", "Result"))
    assert (found["$ARGUMENTS"].status, found["$ARGUMENTS"].confidence) == ("resolved", "input")


def test_files_resolve_to_the_step_that_saves_them() -> None:
    text = """## Phase 1: Work

### Step 1: Analyse

```
Task:
  subagent_type: "analyst"
  prompt: |
    Analyse $ARGUMENTS.
```

Save output to `.work/01-analysis.md`.

### Step 2: Plan

Read `.work/01-analysis.md` and `docs/guide.md`.

```
Task:
  subagent_type: "planner"
  prompt: |
    Plan from [Insert contents of .work/01-analysis.md]
```
"""
    document = parse_text(text, "doc.md")
    resolutions = resolve_workflow(document.workflows[0])
    saved = [r for r in resolutions if r.reference.text == ".work/01-analysis.md"]
    assert saved and all(
        (r.status, r.confidence, r.producers) == ("resolved", "file", ("phase-1/step-1",))
        for r in saved
    )
    outside = [r for r in resolutions if r.reference.text == "docs/guide.md"]
    assert [r.status for r in outside] == ["external"]


def test_template_names_the_agent_of_a_phase() -> None:
    text = """## Phase 1: Data

### 1. Explore
```python
Task(subagent_type="data-scientist", prompt="Explore $ARGUMENTS.")
```

## Phase 2: Model

### 2. Train
```python
Task(subagent_type="ml-engineer", prompt="Fit {phase1.data-scientist.output}, {phase3.output}.")
```
"""
    found = resolve(text)
    assert found["phase1.data-scientist.output"].producers == ("phase-1/step-1",)
    assert found["phase3.output"].status == "unresolved"


# --- judging on the graph ------------------------------------------------------------


def test_item_from_a_later_phase_is_used_before_produced() -> None:
    found = resolve(
        "## Phase 1: A\n"
        + step("One", "a", "Use [migration plan].", "Code")
        + "## Phase 2: B\n"
        + step("Two", "b", "Plan.", "Migration plan")
    )
    assert (found["migration plan"].status, found["migration plan"].producers) == (
        "later",
        ("phase-2",),
    )


def test_item_from_one_decision_path_is_maybe_with_the_missing_path_as_witness() -> None:
    found = resolve(
        "## Phase 1: Decide\n### Decision Point: Deploy at fault?\n"
        + step("Path A: Roll back (Condition: recent deploy)", "a", "Go.", "Rollback plan")
        + step("Path B: Patch (Condition: old deploy)", "b", "Go.", "Patch notes")
        + "## Phase 2: Act\n"
        + step("Act", "c", "Execute the [rollback plan].", "Log")
    )
    result = found["rollback plan"]
    assert (result.status, result.witness) == ("maybe", "phase-1/path-b")


def test_item_produced_on_every_path_is_resolved() -> None:
    found = resolve(
        "## Phase 1: Decide\n### Decision Point: Deploy at fault?\n"
        + step("Path A: Roll back (Condition: recent deploy)", "a", "Go.", "Fix plan")
        + step("Else: Patch", "b", "Go.", "Fix plan")
        + "## Phase 2: Act\n"
        + step("Act", "c", "Execute the [fix plan].", "Log")
    )
    assert found["fix plan"].status == "resolved"
    assert found["fix plan"].producers == ("phase-1/path-a", "phase-1/else")


def test_item_from_another_path_of_the_same_decision_is_never_available() -> None:
    found = resolve(
        "## Phase 1: Decide\n### Decision Point: Deploy at fault?\n"
        + step("Path A: Roll back (Condition: recent deploy)", "a", "Go.", "Rollback plan")
        + step("Else: Patch", "b", "Patch using the [rollback plan].", "Patch notes")
    )
    result = found["rollback plan"]
    assert result.status == "unresolved"
    assert result.producers == ("phase-1/path-a",)
    assert result.hint is not None and "phase-1/path-a" in result.hint


def test_output_of_an_optional_step_is_maybe_with_the_step_as_witness() -> None:
    found = resolve(
        "## Phase 1: Build\n"
        + step("1. Security Review (if applicable)", "a", "Review.", "Security findings")
        + step("2. Release", "b", "Release after the [security findings].", "Release log")
    )
    result = found["security findings"]
    assert (result.status, result.witness) == ("maybe", "phase-1/step-1")


def test_every_parallel_branch_has_run_after_the_join() -> None:
    found = resolve(
        "## Phase 1: Investigate\n"
        + step("Branch A: Logs", "a", "Go.", "Log findings")
        + step("Branch B: Metrics", "b", "Go.", "Metric findings")
        + "## Phase 2: Report\n"
        + step("Report", "c", "Use [log findings, metric findings].", "Summary")
    )
    assert found["log findings"].status == "resolved"
    assert found["metric findings"].status == "resolved"


def test_prose_that_only_resembles_a_later_output_is_not_an_ordering_error() -> None:
    found = resolve(
        "## Phase 1: Triage\n"
        + step("1. Detect", "a", "Detect.", "Severity", "- Context: monitoring dashboards")
        + "## Phase 2: Fix\n"
        + step("2. Deploy", "b", "Deploy.", "Monitoring dashboard")
    )
    assert found["monitoring dashboards"].status == "unresolved"
    assert found["monitoring dashboards"].producers == ()


def test_prose_pointer_to_a_later_step_is_used_before_produced() -> None:
    found = resolve(
        "## Phase 1: A\n"
        + step("1. Build", "a", "Build.", "Code", "- Context: test plan from step 2")
        + step("2. Plan tests", "b", "Plan.", "Test plan")
    )
    assert found["test plan from step 2"].status == "later"


def test_item_produced_later_in_a_loop_is_maybe_on_the_first_pass() -> None:
    text = (
        "## Phase 1: Iterate\n"
        + step("Step 1: Draft", "a", "Draft, revising per the [review notes].", "Draft text")
        + step("Step 2: Review", "b", "Review the [draft text].", "Review notes")
        + "If the review fails, return to Step 1 (max 3 iterations).\n"
    )
    found = resolve(text)
    assert found["review notes"].status == "maybe"
    assert found["draft text"].status == "resolved"


def test_ambiguous_bracket_reference_is_reported_as_ambiguous() -> None:
    found = resolve(
        "## Phase 1: A\n"
        + step("One", "a", "Go.", "Log analysis report")
        + "## Phase 2: B\n"
        + step("Two", "b", "Go.", "Database analysis report")
        + "## Phase 3: C\n"
        + step("Three", "c", "Fix using the [analysis report].", "Fix notes")
    )
    assert found["analysis report"].status == "ambiguous"
    assert found["analysis report"].producers == ("phase-1", "phase-2")
