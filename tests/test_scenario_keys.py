"""Scenario keys that survive edits: a scenario written for one version of a playbook, then the
playbook edited the way a person edits it (a branch replaced, a step moved, a step renamed).
The scenario's stale keys get WF506 warnings at their own lines, and `drillbook scenario
update` moves them to where their steps are now."""

from __future__ import annotations

from pathlib import Path

from compiler.parse import parse_text
from compiler.simulate import parse_scenario, plan_for
from compiler.simulate.index import main_workflow
from compiler.simulate.rekey import update_scenario
from compiler.simulate.skeleton import skeleton
from compiler.step_matching import StepIdentity, find_step
from tests.conftest import SPECS

ORIGINAL = (SPECS / "payments-outage.md").read_text(encoding="utf-8")

# The finance estimate moves to the close-out (Phase 5, Branch C) and a chargeback review takes
# its place in Phase 3; Phase 4 is renamed; the post-incident review is replaced outright.
EDITS = {
    """### Branch C: Finance Impact
- Use Task tool with subagent_type="finance-analyst"
- Prompt: "Estimate revenue at risk from [incident brief, affected acquirers]."
- Output: Revenue impact estimate
""": """### Branch C: Chargeback Exposure
- Use Task tool with subagent_type="chargeback-analyst"
- Prompt: "Estimate chargeback exposure from [incident brief, affected acquirers]."
- Output: Chargeback exposure
""",
    "\n## Phase 4: Recovery Confirmation\n": "\n## Phase 4: Recovery Verification\n",
    (
        "\n### Branch B: Post-Incident Review\n"
        '- Use Task tool with subagent_type="post-incident-analyst"\n'
        '- Prompt: "Write the review from [incident timeline, all investigation results, revenue '
        "impact estimate, recovery confirmation]. Include contributing factors and follow-up "
        'actions."\n'
        "- Output: Post-incident review, follow-up actions\n"
        "- Context for completion: Post-incident review, follow-up actions, all-clear notice\n"
    ): """\n### Branch B: Merchant Credits
- Use Task tool with subagent_type="merchant-success-manager"
- Prompt: "Offer fee credits to the merchants named in [merchant notice]."
- Output: Merchant credits

### Branch C: Finance Impact
- Use Task tool with subagent_type="finance-analyst"
- Prompt: "Estimate revenue at risk from [incident brief, affected acquirers]."
- Output: Revenue impact estimate
""",
}


def edited() -> str:
    text = ORIGINAL
    for old, new in EDITS.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def document_of(text: str):
    document = parse_text(text, "payments-outage.md")
    workflow = main_workflow(document.workflows)
    assert workflow is not None
    return document, workflow


def line_of(text: str, key: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(f"  {key}:"))


def test_a_scenario_records_the_title_and_agent_of_every_step_key():
    document, workflow = document_of(ORIGINAL)
    scenario = parse_scenario(skeleton(document, workflow), "s.yaml").scenario
    finance = scenario.steps["phase-3/branch-c"]
    assert (finance.title, finance.agent) == ("Finance Impact", "finance-analyst")
    # Unedited, nothing is reported.
    assert plan_for(document, parse_scenario(skeleton(document, workflow), "s.yaml")).warnings == ()


def test_edits_are_reported_at_the_scenario_keys_and_update_moves_them():
    document, workflow = document_of(ORIGINAL)
    text = skeleton(document, workflow).replace(
        "phase-3/branch-c: {duration: 5m,", "phase-3/branch-c: {duration: 12m,"
    )
    new_document, new_workflow = document_of(edited())

    warnings = plan_for(new_document, parse_scenario(text, "s.yaml")).warnings
    assert [(w.code, w.file, w.line, w.column) for w in warnings] == [
        ("WF506", "s.yaml", line_of(text, "phase-3/branch-c"), 3),
        ("WF506", "s.yaml", line_of(text, "phase-4"), 3),
        ("WF506", "s.yaml", line_of(text, "phase-5/branch-b"), 3),
    ]
    moved, renamed, replaced = (w.message for w in warnings)
    assert "phase-3/branch-c is now 'Chargeback Exposure' (chargeback-analyst)" in moved
    assert "matches by title and agent is phase-5/branch-c" in moved
    assert "phase-4 is now 'Recovery Verification'" in renamed
    assert "same step by agent and similar title" in renamed
    assert "no step matches by title or agent" in replaced

    update = update_scenario(text, "s.yaml", new_workflow)
    assert [d.reference for d in update.left] == ["phase-5/branch-b"]
    assert [c.split(": ", 1)[1] for c in update.changes] == [
        "steps.phase-3/branch-c → phase-5/branch-c 'Finance Impact' (finance-analyst)",
        "steps.phase-4: recorded step updated to 'Recovery Verification' "
        "(site-reliability-engineer)",
    ]
    # The 12-minute finance estimate follows its step; comments and other lines stay.
    assert (
        "  phase-5/branch-c: {duration: 12m, title: Finance Impact, agent: finance-analyst}"
        in update.text
    )
    assert "phase-3/branch-c" not in update.text
    assert len(update.text.splitlines()) == len(text.splitlines())
    kept = [line for line in text.splitlines() if "phase-3/branch-c" not in line]
    kept = [line for line in kept if not line.startswith("  phase-4:")]
    assert all(line in update.text.splitlines() for line in kept)

    after = plan_for(new_document, parse_scenario(update.text, "s.yaml"))
    assert [w.reference for w in after.warnings] == ["phase-5/branch-b"]
    assert after.steps["phase-5/branch-c"].duration.low == 12 * 60


def test_update_edits_a_block_mapping_in_place_and_keeps_its_comments():
    text = """# written by hand
steps:
  phase-3/branch-c:   # the slow one
    duration: 12m     # measured last quarter
    title: Finance Impact
    outputs: {revenue impact estimate: "2% of daily volume"}
  phase-4:
    duration: 8m
    agent: site-reliability-engineer
"""
    _, workflow = document_of(edited())
    update = update_scenario(text, "hand.yaml", workflow)
    assert update.left == []
    assert (
        update.text
        == """# written by hand
steps:
  phase-5/branch-c:   # the slow one
    duration: 12m     # measured last quarter
    title: Finance Impact
    agent: finance-analyst
    outputs: {revenue impact estimate: "2% of daily volume"}
  phase-4:
    duration: 8m
    agent: site-reliability-engineer
"""
    )
    # phase-4 records only its agent, which still fits: nothing to change there.


def test_old_scenarios_without_recorded_steps_load_and_are_not_checked():
    document, _ = document_of(edited())
    text = (SPECS / "payments-outage.scenario.yaml").read_text(encoding="utf-8")
    assert plan_for(document, parse_scenario(text, "old.yaml")).warnings == ()


def test_the_cli_warns_updates_on_request_and_names_where_a_vanished_key_went(cli, tmp_path: Path):
    document, workflow = document_of(ORIGINAL)
    scenario = tmp_path / "payments-outage.scenario.yaml"
    scenario.write_text(skeleton(document, workflow), encoding="utf-8")
    playbook = tmp_path / "payments-outage.md"
    # Phase 5 gains a branch before the review: the review becomes branch C.
    playbook.write_text(
        ORIGINAL.replace(
            "\n### Branch B: Post-Incident Review\n",
            "\n### Branch B: Merchant Credits\n"
            '- Use Task tool with subagent_type="merchant-success-manager"\n'
            '- Prompt: "Offer fee credits."\n- Output: Merchant credits\n\n'
            "### Branch C: Post-Incident Review\n",
        ),
        encoding="utf-8",
    )
    line = line_of(scenario.read_text(encoding="utf-8"), "phase-5/branch-b")
    warned = cli("simulate", str(playbook), "--scenario", str(scenario))
    assert f"payments-outage.scenario.yaml:{line}:3: warning WF506 scenario-step-changed" in (
        warned.stdout
    )
    assert "the step that matches by title and agent is phase-5/branch-c" in warned.stdout

    before = scenario.read_text(encoding="utf-8")
    printed = cli("scenario", "update", str(scenario))
    assert printed.code == 0
    assert scenario.read_text(encoding="utf-8") == before  # untouched without --in-place
    assert "phase-5/branch-c: {duration: 5m, title: Post-Incident Review" in printed.stdout

    in_place = cli("scenario", "update", str(scenario), str(playbook), "--in-place")
    assert in_place.code == 0 and in_place.stdout == ""
    assert "updated 1 key" in in_place.stderr
    assert scenario.read_text(encoding="utf-8") == printed.stdout
    assert "WF506" not in cli("simulate", str(playbook), "--scenario", str(scenario)).stdout

    # Back on the original playbook, phase-5/branch-c does not exist: an error that says
    # where the step it was written for is now.
    original = tmp_path / "original.md"
    original.write_text(ORIGINAL, encoding="utf-8")
    failed = cli("simulate", str(original), "--scenario", str(scenario))
    assert failed.code == 2
    assert (
        "unknown step id 'phase-5/branch-c': written for 'Post-Incident Review' "
        "(post-incident-analyst), but phase-5/branch-c no longer exists; the step that matches "
        "by title and agent is phase-5/branch-b"
    ) in failed.stderr


def test_step_matching_prefers_title_and_agent_then_the_nearest_position():
    steps = [
        StepIdentity("phase-1", "Triage", "commander", 0),
        StepIdentity("phase-2/branch-a", "Log Review", "log-analyst", 1),
        StepIdentity("phase-3/branch-a", "Log Review", "log-analyst", 2),
        StepIdentity("phase-4", "Fix", "engineer", 3),
    ]
    nearest = find_step(StepIdentity("phase-3/branch-b", "Log Review", "log-analyst", 3), steps)
    assert nearest is not None and nearest.step.id == "phase-3/branch-a"
    # Equally near: no guess.
    assert find_step(StepIdentity("x", "Log Review", "log-analyst", None), steps) is None
    only_agent = find_step(StepIdentity("x", "Something Else", "engineer"), steps)
    assert only_agent is not None and (only_agent.step.id, only_agent.how) == ("phase-4", "agent")
    assert find_step(StepIdentity("x", "Unrelated", "nobody"), steps) is None


def test_update_reports_a_hand_written_key_whose_step_is_gone(cli, tmp_path: Path):
    """A hand-written scenario records no title or agent, so update cannot tell where a step
    went; but a key that names nothing in the document is an error at its line, exit 1."""
    scenario = tmp_path / "payments-outage.scenario.yaml"
    text = (SPECS / "payments-outage.scenario.yaml").read_text(encoding="utf-8")
    scenario.write_text(text, encoding="utf-8")
    playbook = tmp_path / "payments-outage.md"
    gone = """### Branch C: Finance Impact
- Use Task tool with subagent_type="finance-analyst"
- Prompt: "Estimate revenue at risk from [incident brief, affected acquirers]."
- Output: Revenue impact estimate

"""
    assert gone in ORIGINAL
    playbook.write_text(ORIGINAL.replace(gone, ""), encoding="utf-8")
    result = cli("scenario", "update", str(scenario), str(playbook))
    assert result.code == 1
    line = line_of(text, "phase-3/branch-c")
    assert (
        f"{scenario}:{line}:3: error: steps.phase-3/branch-c: unknown step id 'phase-3/branch-c'"
    ) in result.stderr
    assert "1 name in" in result.stderr and "fix it by hand" in result.stderr
    assert result.stdout == text  # nothing it could move, nothing changed
    # on the document it was written for, it fits: quiet, exit 0
    fits = cli("scenario", "update", str(scenario), str(SPECS / "payments-outage.md"))
    assert (fits.code, fits.stderr) == (0, "")
