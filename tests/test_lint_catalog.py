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
