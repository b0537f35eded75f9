"""`drillbook diff` on edits a person makes to a spec: a step renamed, an agent replaced, a
step moved into a parallel block, a reference that no longer resolves, an objective
tightened — and the same comparison between git revisions, for a pull request."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SPECS, run_cli

SPEC = SPECS / "payments-outage.md"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _edited() -> str:
    text = SPEC.read_text(encoding="utf-8")
    # a branch renamed, its agent replaced; another branch reads what a sibling produces
    text = text.replace("### Branch C: Finance Impact", "### Branch C: Revenue at Risk")
    text = text.replace('subagent_type="finance-analyst"', 'subagent_type="revenue-analyst"')
    text = text.replace(
        "from [incident brief, severity rating]", "from [incident brief, revenue impact estimate]"
    )
    # Phase 4's step moved into Phase 5 as a third branch
    phase4 = text[text.index("## Phase 4: Recovery Confirmation") : text.index("## Phase 5")]
    step = phase4.split("\n", 1)[1].strip()
    text = text.replace(phase4, "")
    text = text.replace("## Phase 5: Parallel Close-out", "## Phase 4: Parallel Close-out")
    branch = "### Branch C: Recovery Confirmation\n" + step + "\n\n"
    return text.replace("## Coordination Notes", branch + "## Coordination Notes")


def _diff(*args: str, cwd: Path | None = None, code: int | None = None) -> Any:
    result = run_cli("diff", *args, "--format", "json", cwd=cwd)
    assert result.code in (0, 1), result.stderr
    if code is not None:
        assert result.code == code, result.stdout
    return json.loads(result.stdout)


def test_a_persons_edit_reads_as_renamed_replaced_moved_and_a_new_race(tmp_path: Path) -> None:
    new = tmp_path / "payments-outage.md"
    new.write_text(_edited(), encoding="utf-8")
    [report] = _diff(str(SPEC), str(new), code=1)
    kinds = {(s["change"], (s["old"] or s["new"])["title"]) for s in report["steps"]}
    assert ("renamed", "Finance Impact") in kinds
    moved = [s for s in report["steps"] if s["change"] == "moved"]
    assert [(m["old"]["id"], m["new"]["within"]) for m in moved] == [("phase-4", "parallel block")]
    renamed = next(s for s in report["steps"] if s["change"] == "renamed")
    assert "agent finance-analyst → revenue-analyst" in renamed["details"]
    new_codes = {(d["code"], d["reference"]) for d in report["findings_new"]}
    assert ("WF301", "revenue impact estimate") in new_codes  # read from a sibling branch
    assert report["new_errors"] >= 1


def test_an_unchanged_playbook_has_nothing_to_report() -> None:
    [report] = _diff(str(SPEC), str(SPEC), code=0)
    assert report["steps"] == [] and report["findings_new"] == [] and report["objectives"] == []
    text = run_cli("diff", str(SPEC), str(SPEC)).stdout
    assert "no change to the workflow" in text


def test_objectives_and_the_rehearsal_before_and_after(tmp_path: Path) -> None:
    text = SPEC.read_text(encoding="utf-8")
    tighter = tmp_path / "payments-outage.md"
    tighter.write_text(text.replace(_rto_line(text), _rto_line(text).replace("45", "20")))
    scenario = SPECS / "payments-outage.scenario.yaml"
    [report] = _diff(str(SPEC), str(tighter), "--scenario", str(scenario), "--runs", "50")
    assert [o["name"].split()[0] for o in report["objectives"]] == ["RTO"]
    before, after = report["before"], report["after"]
    assert before["status"] == after["status"] == "completed"
    assert set(before["p_met"]) == set(after["p_met"])


def _rto_line(text: str) -> str:
    return next(line for line in text.splitlines() if "RTO" in line and "45" in line)


def test_markdown_fits_a_pull_request_comment(tmp_path: Path) -> None:
    new = tmp_path / "payments-outage.md"
    new.write_text(_edited().replace("Revenue at Risk", "Revenue | <b>at</b> Risk"))
    result = run_cli("diff", str(SPEC), str(new), "--format", "markdown")
    assert result.code == 1
    assert result.stdout.startswith("### drillbook diff:") and "❌" in result.stdout
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ~ |")]
    assert rows and all(row.count(" | ") == 1 for row in rows)  # pipes in titles escaped
    assert "<b>" not in result.stdout


@needs_git
def test_old_version_from_a_git_revision_and_every_changed_playbook(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.email=t@t", "-c", "user.name=t", *args],
            cwd=tmp_path, check=True, capture_output=True,
        )  # fmt: skip

    shutil.copyfile(SPEC, tmp_path / "playbook.md")
    (tmp_path / "notes.txt").write_text("not a playbook\n")
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "first")
    (tmp_path / "playbook.md").write_text(_edited(), encoding="utf-8")
    [by_revision] = _diff("HEAD:playbook.md", "playbook.md", cwd=tmp_path, code=1)
    assert by_revision["old"] == "HEAD:playbook.md" and by_revision["steps"]
    changed = _diff("--git", "HEAD", cwd=tmp_path, code=1)
    assert [(c["old"], c["new"]) for c in changed] == [("HEAD:playbook.md", "playbook.md")]
    missing = run_cli("diff", "HEAD~3:playbook.md", "playbook.md", cwd=tmp_path)
    assert missing.code == 2 and "HEAD~3" in missing.stderr and "Traceback" not in missing.stderr


# --- every spec against a copy edited four ways ---------------------------------------------


def _section(text: str, heading: str) -> str:
    """A heading's section: to the next heading of the same or a higher level, or to the
    fence that closes the embedded workflow it sits in (fences of its own are kept)."""
    start = text.index(heading)
    level = len(heading) - len(heading.lstrip("#"))
    lines = text[start:].split("\n")
    fences_before = sum(1 for line in text[:start].split("\n") if line.startswith("```"))
    embedded = fences_before % 2 == 1  # the workflow sits inside a ```markdown fence
    inside = False
    end = len(lines)
    next_heading = re.compile(r"#{1,%d} " % level)  # noqa: UP031 - a regex quantifier
    for number, line in enumerate(lines[1:], start=1):
        if line.startswith("```"):
            if embedded and not inside and line.strip() == "```":
                end = number  # closes the fence the workflow is embedded in
                break
            inside = not inside
        elif not inside and next_heading.match(line):
            end = number
            break
    return "\n".join(lines[:end]) + ("\n" if end < len(lines) else "")


@dataclass(frozen=True)
class Edit:
    moved: str  # a step's heading, moved to the end of …
    into: str  # … the section of this heading
    agent: tuple[str, str]  # an agent renamed
    deleted: str  # a step's heading, deleted
    reference: tuple[str, str]  # a reference broken


EDITS = {
    "payments-outage": Edit(
        "### Branch C: Finance Impact", "## Phase 5: Parallel Close-out",
        ("acquirer-liaison", "acquirer-relations"), "### Branch A: Final Communication",
        ("[mitigation applied,", "[mitigation aplied,"),
    ),
    "feature-rollout": Edit(
        "### 6. Performance Check (if the feature adds a hot path)", "## Phase 3: Release",
        ("docs-architect", "technical-writer"), "### 4. Frontend Implementation",
        ("[technical design,", "[tecnical design,"),
    ),
    "release-train": Edit(
        "### 4. Changelog", "## Phase 3: Ship",
        ("release-manager", "release-captain"), "### 6. Production Deploy",
        ("[build manifest] for", "[build manfest] for"),
    ),
    "schema-migration": Edit(
        "### Step 4: Backfill", "## Phase 3: Contract (Step 6)",
        ("database-admin", "db-admin"), "### Step 5: Switch Reads",
        ("Analysis: [Insert contents of .migration/01-analysis.md]",
         "Analysis: [Insert contents of .migration/01-analysys.md]"),
    ),
}  # fmt: skip


def _apply(text: str, edit: Edit) -> str:
    moved = _section(text, edit.moved)
    text = text.replace(moved, "", 1)
    target = _section(text, edit.into)
    assert target in text
    text = text.replace(target, target.rstrip("\n") + "\n\n" + moved.rstrip("\n") + "\n\n", 1)
    text = text.replace(_section(text, edit.deleted), "", 1)
    assert edit.agent[0] in text and edit.reference[0] in text
    text = text.replace(f'"{edit.agent[0]}"', f'"{edit.agent[1]}"', 1)
    return text.replace(edit.reference[0], edit.reference[1], 1)


def _title(heading: str) -> str:
    title = re.sub(r"^#+\s*(?:Step \d+:|\d+\.|Branch [A-Z]:)\s*", "", heading)
    return re.sub(r"\s*\(.*\)$", "", title).strip()  # "(if applicable)" marks, not title


@pytest.mark.parametrize("name", sorted(EDITS))
def test_each_spec_edited_four_ways_reports_exactly_those_changes(
    name: str, tmp_path: Path, snapshot: Any
) -> None:
    edit = EDITS[name]
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    text = (SPECS / f"{name}.md").read_text(encoding="utf-8")
    (tmp_path / "old" / f"{name}.md").write_text(text, encoding="utf-8")
    (tmp_path / "new" / f"{name}.md").write_text(_apply(text, edit), encoding="utf-8")
    pair = (f"old/{name}.md", f"new/{name}.md")
    [report] = _diff(*pair, cwd=tmp_path)
    changes = {(s["change"], (s["old"] or s["new"])["title"]) for s in report["steps"]}
    assert ("moved", _title(edit.moved)) in changes
    assert ("removed", _title(edit.deleted)) in changes
    renamed_agent = [
        s for s in report["steps"] if f"agent {edit.agent[0]} → {edit.agent[1]}" in s["details"]
    ]
    assert len(renamed_agent) == 1
    broken = [s for s in report["steps"] if any(d.startswith("reads ") for d in s["details"])]
    assert len(broken) == 1
    assert len(report["steps"]) == 4, report["steps"]  # exactly those four, nothing else
    assert any(d["code"] == "WF201" for d in report["findings_new"])
    outputs = {
        fmt: run_cli("diff", *pair, "--format", fmt, cwd=tmp_path).stdout
        for fmt in ("text", "markdown", "json")
    }
    assert outputs == snapshot


RACE = """# Race

## Phase 1: Investigate in parallel

### Branch A: Log Analysis
- Use Task tool with subagent_type="log-analyst"
- Prompt: "Read the logs"
- Output: log findings

### Branch B: {title}
- Use Task tool with subagent_type="impact-analyst"
- Prompt: "Assess the impact using [log findings]"
- Output: impact notes

## Phase 2: Fix
- Use Task tool with subagent_type="fixer"
- Prompt: "Fix it using [impact notes]"
- Output: fix
"""


def test_a_renamed_step_keeps_its_findings(tmp_path: Path) -> None:
    """A finding that was there before is neither new nor gone when only the title of the
    step it sits in changed: findings are matched through the step pairing, not by title."""
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(RACE.format(title="Customer Impact"), encoding="utf-8")
    new.write_text(RACE.format(title="Blast Radius Review"), encoding="utf-8")
    assert "WF301" in run_cli("lint", str(old)).stdout  # the race both versions have
    [report] = _diff(str(old), str(new), code=0)
    assert [(s["change"], s["new"]["title"]) for s in report["steps"]] == [
        ("renamed", "Blast Radius Review")
    ]
    assert report["findings_new"] == [] and report["findings_fixed"] == []


def test_a_race_in_a_renamed_step_is_still_new_when_it_is_new(tmp_path: Path) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(
        RACE.format(title="Customer Impact").replace(" using [log findings]", ""), encoding="utf-8"
    )
    new.write_text(RACE.format(title="Blast Radius Review"), encoding="utf-8")
    [report] = _diff(str(old), str(new), code=1)
    assert [(d["code"], d["reference"]) for d in report["findings_new"]] == [
        ("WF301", "log findings")
    ]
    assert report["findings_fixed"] == []


def test_a_hand_written_scenario_is_carried_over_only_where_its_steps_went(
    tmp_path: Path,
) -> None:
    """The spec's scenario keys are positions with no recorded title or agent. Finance
    Impact moves from phase-3/branch-c to phase-5/branch-b, where Post-Incident Review (25m
    in the scenario) is deleted: the 6m script follows Finance Impact, the 25m one is left
    out, each with a warning naming its key — never 25m applied to Finance Impact."""
    text = SPEC.read_text(encoding="utf-8")
    finance = _section(text, "### Branch C: Finance Impact")
    text = text.replace(finance, "", 1)
    review = _section(text, "### Branch B: Post-Incident Review")
    text = text.replace(review, finance.replace("Branch C:", "Branch B:"), 1)
    new = tmp_path / "payments-outage.md"
    new.write_text(text, encoding="utf-8")
    scenario = SPECS / "payments-outage.scenario.yaml"
    [report] = _diff(str(SPEC), str(new), "--scenario", str(scenario))
    # what the author would write for the new version: the keys moved by hand
    by_hand = tmp_path / "moved.scenario.yaml"
    moved = scenario.read_text(encoding="utf-8").replace(
        "  phase-5/branch-b: {duration: 25m}\n", ""
    )
    by_hand.write_text(moved.replace("phase-3/branch-c:", "phase-5/branch-b:"), encoding="utf-8")
    simulated = run_cli("simulate", str(new), "--scenario", str(by_hand), "--format", "json")
    assert simulated.code == 0, simulated.stderr
    assert report["after"]["total_s"] == json.loads(simulated.stdout)["total_s"]
    assert report["after"]["total_s"] < report["before"]["total_s"] - 15 * 60
    [carried, left_out] = report["warnings"]
    assert (
        carried.startswith("steps.phase-3/branch-c ") and "applies to phase-5/branch-b" in carried
    )
    assert left_out.startswith("steps.phase-5/branch-b ") and "left out" in left_out
    assert "'Post-Incident Review'" in left_out and "no step matches" in left_out
    # the text report says so too
    shown = run_cli("diff", str(SPEC), str(new), "--scenario", str(scenario)).stdout
    assert "  warning: steps.phase-5/branch-b " in shown


def test_a_file_added_or_deleted_brings_no_finding_of_its_empty_side(tmp_path: Path) -> None:
    """`--git` compares an added file with /dev/null: "no workflow found" on the empty side
    is not a finding the change fixed or made."""
    [added] = _diff("/dev/null", str(SPEC))
    assert {s["change"] for s in added["steps"]} == {"added"}
    assert "WF101" not in {d["code"] for d in added["findings_fixed"]}
    [deleted] = _diff(str(SPEC), "/dev/null")
    assert {s["change"] for s in deleted["steps"]} == {"removed"}
    assert "WF101" not in {d["code"] for d in deleted["findings_new"]}
