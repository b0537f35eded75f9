"""Configuration (`[tool.drillbook]`, `drillbook.toml`) and inline suppression comments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from compiler.checks import LintConfig, check_document
from compiler.checks.config import ConfigError, find_config, load_config
from compiler.checks.ruleset import resolve_code
from compiler.parse import parse_text

#: One unused output (WF205, line 6) and one unresolved bracket reference (WF201, line 10).
DOC = """# Doc

## Phase 1: Plan
- Use Task tool with subagent_type="planner"
- Prompt: "Plan $ARGUMENTS."
- Output: Project plan, risk list

## Phase 2: Build
- Use Task tool with subagent_type="python-pro"
- Prompt: "Build from the [project plan] and the [design doc]."
- Output: Build log
"""


def codes(text: str, config: LintConfig | None = None) -> list[tuple[int, str, str]]:
    document = parse_text(text, "doc.md")
    return [(d.line, d.code, d.severity) for d in check_document(document, config, source=text)]


def test_defaults_report_every_rule_at_its_default_severity() -> None:
    # WF205 is opt-in: it runs only when selected.
    assert codes(DOC) == [(10, "WF201", "warning")]
    assert codes(DOC, LintConfig(select=("WF205", "WF201"))) == [
        (6, "WF205", "info"),
        (10, "WF201", "warning"),
    ]


def test_select_by_prefix_slug_and_code() -> None:
    only_refs = LintConfig(select=("WF2",))
    assert {c for _, c, _ in codes(DOC, only_refs)} == {"WF201", "WF205"}
    by_slug = LintConfig(select=(resolve_code("unused-output") or "",))
    assert {c for _, c, _ in codes(DOC, by_slug)} == {"WF205"}


def test_ignore_and_severity_override() -> None:
    config = LintConfig(ignore=("WF205",), severity=(("WF201", "error"),))
    assert [(c, s) for _, c, s in codes(DOC, config)] == [("WF201", "error")]


def test_exact_codes_beat_prefixes() -> None:
    config = LintConfig(select=("WF201", "WF3"), ignore=("WF2",))
    assert config.enabled("WF201")
    assert not config.enabled("WF205")
    assert config.enabled("WF301")
    narrower = LintConfig(select=("WF2",), ignore=("WF201",))
    assert not narrower.enabled("WF201")
    assert narrower.enabled("WF205")


def test_per_file_ignores_match_globs_relative_to_the_config(tmp_path: Path) -> None:
    config = LintConfig(per_file_ignores=(("drafts/*.md", ("WF201",)),), root=tmp_path)
    draft = tmp_path / "drafts" / "x.md"
    assert config.ignored_in(str(draft), "WF201")
    assert not config.ignored_in(str(tmp_path / "final" / "x.md"), "WF201")
    assert not config.ignored_in(str(draft), "WF205")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_pyproject_table_is_read_with_slugs_and_relative_paths(tmp_path: Path) -> None:
    project = write(
        tmp_path / "pyproject.toml",
        """[project]
name = "x"

[tool.drillbook]
select = ["WF2", "parallel-read-race"]
ignore = ["unused-output"]
severity = { WF203 = "error" }
per-file-ignores = { "drafts/*.md" = ["WF201"] }
agents = ".claude/agents"
exclude = ["vendor/*"]
""",
    )
    config = load_config(project, resolve_code)
    assert config.select == ("WF2", "WF301")
    assert config.ignore == ("WF205",)
    assert config.severity == (("WF203", "error"),)
    assert config.per_file_ignores == (("drafts/*.md", ("WF201",)),)
    assert config.agents == tmp_path / ".claude/agents"
    assert config.exclude == ("vendor/*",)


def test_discovery_prefers_the_nearest_file_and_skips_pyproject_without_table(
    tmp_path: Path,
) -> None:
    write(tmp_path / "drillbook.toml", 'ignore = ["WF205"]\n')
    write(tmp_path / "docs" / "pyproject.toml", '[project]\nname = "docs"\n')
    doc = write(tmp_path / "docs" / "playbooks" / "a.md", DOC)
    assert find_config(doc) == tmp_path / "drillbook.toml"
    write(tmp_path / "docs" / "drillbook.toml", 'ignore = ["WF201"]\n')
    assert find_config(doc) == tmp_path / "docs" / "drillbook.toml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('selct = ["WF201"]\n', "drillbook.toml:1: unknown key 'selct' (did you mean 'select'?)"),
        ('select = ["WF999"]\n', "drillbook.toml:1: 'select' names an unknown rule 'WF999'"),
        ('\n\nseverity = { WF201 = "fatal" }\n', "drillbook.toml:3: severity of 'WF201' must be"),
        ("select = [\n", "drillbook.toml: not valid TOML"),
        ("agents = 3\n", "drillbook.toml:1: 'agents' must be a path"),
        (
            '# settings\n[lint]\nselect = ["WF3"]\n',
            "drillbook.toml:2: unknown key 'lint' (the settings go directly in the file, not in"
            " a [lint] table)",
        ),
        (
            '[tool.drillbook]\nselect = ["WF3"]\n',
            "drillbook.toml:1: unknown key 'tool' (drillbook.toml holds the settings at the top"
            " level: drop the [tool.drillbook] header)",
        ),
    ],
)
def test_mistakes_name_file_line_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "drillbook.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, resolve_code)
    assert message in str(caught.value).replace(str(tmp_path) + "/", "")


# --- suppression comments ------------------------------------------------------------


def test_disable_next_line_by_code_and_by_slug() -> None:
    text = DOC.replace(
        '- Prompt: "Build', '<!-- drillbook-disable-next-line WF201 -->\n- Prompt: "Build'
    )
    assert "WF201" not in {c for _, c, _ in codes(text)}
    by_slug = DOC.replace(
        '- Prompt: "Build',
        '<!-- drillbook-disable-next-line unresolved-reference -->\n- Prompt: "Build',
    )
    assert "WF201" not in {c for _, c, _ in codes(by_slug)}


def test_disable_enable_range_covers_only_its_lines() -> None:
    text = DOC.replace("## Phase 2", "<!-- drillbook-disable WF201 -->\n## Phase 2") + (
        "<!-- drillbook-enable WF201 -->\n\n## Phase 3: Ship\n"
        '- Use Task tool with subagent_type="deployer"\n'
        '- Prompt: "Ship the [build log] with the [release notes]."\n- Output: Shipped\n'
    )
    found = codes(text)
    assert [line for line, code, _ in found if code == "WF201"] == [17]


def test_disable_file_by_slug() -> None:
    text = "<!-- drillbook-disable-file unused-output -->\n" + DOC
    assert "WF205" not in {c for _, c, _ in codes(text)}
    assert "WF201" in {c for _, c, _ in codes(text)}


EMBEDDED = """# Rollback runbook

<!-- drillbook-disable-next-block WF201 -->
```markdown
## Phase 1: Plan
- Use Task tool with subagent_type="planner"
- Prompt: "Plan from the [change ticket]."
- Output: Plan

## Phase 2: Roll back
- Use Task tool with subagent_type="deployer"
- Prompt: "Roll back following the [plan] and the [approval record]."
- Output: Rollback log
```

The page after the block.
"""


def test_disable_next_block_covers_a_whole_fence_from_outside_it() -> None:
    assert "WF201" in {c for _, c, _ in codes(EMBEDDED.replace("disable-next-block", "x"))}
    found = codes(EMBEDDED)
    assert "WF201" not in {c for _, c, _ in found}
    assert "WF902" not in {c for _, c, _ in found}
    # Outside the fence it stays an HTML comment, which no rendered page shows as text.
    html = MarkdownIt("commonmark").render(EMBEDDED)
    assert "<!-- drillbook-disable-next-block WF201 -->" in html
    assert "&lt;!-- drillbook" not in html


def test_suppression_without_codes_silences_everything_on_that_line() -> None:
    text = DOC.replace('- Prompt: "Build', '<!-- drillbook-disable-next-line -->\n- Prompt: "Build')
    assert "WF201" not in {c for _, c, _ in codes(text)}
    assert "WF902" not in {c for _, c, _ in codes(text)}


def test_unused_and_unknown_suppressions_are_reported() -> None:
    text = DOC.replace(
        "## Phase 1", "<!-- drillbook-disable-next-line WF301 WF9999 -->\n## Phase 1"
    )
    found = [(line, code) for line, code, _ in codes(text) if code == "WF902"]
    assert found == [(3, "WF902"), (3, "WF902")]  # WF301 unused, WF9999 unknown


def test_suppression_of_a_rule_switched_off_by_config_is_not_reported() -> None:
    text = "<!-- drillbook-disable-file WF205 -->\n" + DOC
    assert "WF902" not in {c for _, c, _ in codes(text, LintConfig(ignore=("WF205",)))}


def test_config_file_used_by_the_cli(tmp_path: Path, cli) -> None:
    write(tmp_path / "drillbook.toml", 'ignore = ["WF205"]\nseverity = { WF201 = "error" }\n')
    doc = write(tmp_path / "a.md", DOC)
    result = cli("lint", str(doc), "--format", "json")
    assert result.code == 1, result.stderr
    assert [(d["code"], d["severity"]) for d in json.loads(result.stdout)] == [("WF201", "error")]
    # flags override the file: --select replaces its selection
    result = cli("lint", str(doc), "--format", "json", "--select", "WF205")
    assert [d["code"] for d in json.loads(result.stdout)] == ["WF205"]


def test_bad_config_is_a_one_line_usage_error(tmp_path: Path, cli) -> None:
    write(tmp_path / "drillbook.toml", 'selct = ["WF201"]\n')
    doc = write(tmp_path / "a.md", DOC)
    result = cli("lint", str(doc))
    assert result.code == 2
    assert result.stderr.count("\n") == 1
    assert "drillbook.toml:1: unknown key 'selct'" in result.stderr
