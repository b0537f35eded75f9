"""An agent catalog as teams keep one: definitions with `model:` and `tools:`, and now and
then a file whose front matter is broken — a finding with its position, never a crash."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import FIXTURES, run_cli

AGENTS = FIXTURES / "lint" / "agents"


def test_broken_front_matter_in_the_catalog_is_a_positioned_finding(tmp_path: Path) -> None:
    catalog = tmp_path / "agents"
    shutil.copytree(AGENTS, catalog)
    (catalog / "broken.md").write_text(
        '---\nname: broken\ntools: [Read, Grep\nmodel: "opus\n---\nBroken.\n', encoding="utf-8"
    )
    playbook = FIXTURES / "lint" / "rules" / "WF108-unknown-agent.md"
    result = run_cli("lint", str(playbook), "--agents", str(catalog), "--format", "json")
    assert result.code == 0, result.stderr  # warnings only
    assert "Traceback" not in result.stderr
    found = json.loads(result.stdout)
    broken = [d for d in found if d["file"].endswith("broken.md")]
    assert [(d["code"], d["line"]) for d in broken] == [("WF100", 4)]
    assert "not valid YAML" in broken[0]["message"]
    # The rest of the catalog still works: the misspelt agent is still reported.
    assert {d["code"] for d in found if d["file"] == str(playbook)} == {"WF108"}


def test_a_definition_claude_code_reads_is_read_as_it_reads_it(tmp_path: Path) -> None:
    """Agent definitions often hold `description: Use when … Examples: Context: …` on one
    line. YAML rejects the ': ', Claude Code quotes the value and reads the agent: so does
    drillbook, its model pin still checked (WF112) and no WF100 about the file."""
    catalog = tmp_path / "agents"
    shutil.copytree(AGENTS, catalog)
    (catalog / "incident-commander.md").write_text(
        "---\nname: incident-commander\ndescription: Use when an incident is declared."
        " Examples: Context: the pager fired\nmodel: opus\n---\nLead the response.\n",
        encoding="utf-8",
    )
    playbook = FIXTURES / "lint" / "rules" / "WF112-agent-model-mismatch.md"
    result = run_cli("lint", str(playbook), "--agents", str(catalog), "--format", "json")
    found = json.loads(result.stdout)
    assert not [d for d in found if d["file"].endswith("incident-commander.md")]
    assert [(d["code"], d["line"]) for d in found] == [("WF112", 8)]
