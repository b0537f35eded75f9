"""Every rule has a fixture whose failing lines carry `<!-- expect: WFxxx -->` markers; the
linter must report exactly those findings (markdownlint style). Sound playbooks in each
dialect must produce no finding at all."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from compiler.checks import LintConfig, check_document
from compiler.checks.config import OPT_IN
from compiler.checks.ruleset import RUN_RULES, STATIC_RULES, load_static_rules
from compiler.parse import parse_document
from compiler.source import read_source
from tests.conftest import FIXTURES, SPEC_FILES
from tests.lint_expect import expected_findings

LINT = FIXTURES / "lint"
RULE_FIXTURES = sorted((LINT / "rules").glob("*.md"))
CLEAN = sorted((LINT / "clean").glob("*.md"))


def findings(path: Path, config: LintConfig | None = None) -> Counter[tuple[int, str]]:
    source = read_source(path, path.name)
    diagnostics = check_document(parse_document(source), config, source=source.text)
    return Counter((d.line, d.code) for d in diagnostics)


def config_for(path: Path) -> LintConfig:
    code = path.name.split("-", 1)[0]
    if code in ("WF108", "WF112", "WF113"):  # rules that read the agent catalog
        return LintConfig(agents=LINT / "agents")
    if code in OPT_IN:
        return LintConfig(select=(code,))  # opt-in rules run when selected
    return LintConfig()


@pytest.mark.parametrize("path", RULE_FIXTURES, ids=lambda p: p.stem)
def test_rule_fixture_reports_exactly_the_marked_lines(path: Path) -> None:
    expected = expected_findings(path.read_text(encoding="utf-8"))
    assert expected, f"{path.name} has no expect markers"
    actual = findings(path, config_for(path))
    missing = expected - actual
    extra = actual - expected
    assert not missing and not extra, f"missing {sorted(missing)}, unexpected {sorted(extra)}"


def test_every_rule_has_a_fixture_that_exercises_it() -> None:
    load_static_rules()
    covered = {path.stem.split("-", 1)[0] for path in RULE_FIXTURES}
    for path in RULE_FIXTURES:
        code = path.stem.split("-", 1)[0]
        assert code in {c for _, c in expected_findings(path.read_text(encoding="utf-8"))}, (
            f"{path.name} does not expect its own rule"
        )
    # WF901 (unreadable file) needs bytes that are not text: tested in test_lint_cli.py.
    assert covered >= (set(STATIC_RULES) | set(RUN_RULES)) - {"WF901"}


DIALECTS = ("call", "commands", "docs-site", "plugin")


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.stem)
def test_sound_document_has_no_warning_or_error(path: Path) -> None:
    """Sound playbooks, and the shapes real documents use that once raised false warnings
    (`shape-*.md`, one per shape) and translated playbooks (`lang-*.md`), lint clean."""
    source = read_source(path, path.name)
    diagnostics = check_document(parse_document(source), source=source.text)
    assert [(d.line, d.code) for d in diagnostics if d.severity != "info"] == []


@pytest.mark.parametrize("dialect", DIALECTS)
def test_sound_playbook_of_each_dialect_has_no_finding_at_all(dialect: str) -> None:
    assert findings(LINT / "clean" / f"{dialect}.md") == Counter()


def test_clean_folder_covers_every_dialect() -> None:
    dialects = {parse_document(read_source(path)).workflows[0].dialect for path in CLEAN}
    assert dialects >= set(DIALECTS)


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.stem)
def test_specs_have_no_warning_or_error(path: Path) -> None:
    source = read_source(path)
    diagnostics = check_document(parse_document(source), source=source.text)
    serious = [d for d in diagnostics if d.severity != "info"]
    assert serious == []
