"""Rule documentation is part of the product: every static rule documents what it does,
why it matters and an example — and the example is re-run: the problem it shows is
reported, the fix it shows is not (actionlint's habit)."""

from __future__ import annotations

import re

import pytest

from compiler.checks import LintConfig, check_document
from compiler.checks.config import OPT_IN
from compiler.checks.ruleset import RUN_RULES, STATIC_RULES, load_static_rules
from compiler.parse import parse_text
from compiler.rules import RuleInfo, registered
from tests.conftest import FIXTURES

load_static_rules()
OWN_RULES = [registered(code) for code in sorted({*STATIC_RULES, *RUN_RULES})]
_BLOCK = re.compile(r"^(`{3,})markdown\n(.*?)^\1$", re.MULTILINE | re.DOTALL)


def examples(info: RuleInfo) -> list[str]:
    return [match.group(2) for match in _BLOCK.finditer(info.section("Example"))]


@pytest.mark.parametrize("info", OWN_RULES, ids=lambda r: r.code)
def test_rule_has_the_three_documentation_sections(info: RuleInfo) -> None:
    for heading in ("What it does", "Why it matters", "Example"):
        assert info.section(heading), f"{info.code} lacks '{heading}'"
    assert info.summary.endswith(".")
    assert info.slug == info.slug.lower() and " " not in info.slug


def codes_in(text: str, code: str) -> set[str]:
    catalog_rules = ("WF108", "WF112", "WF113")  # rules that read the agent catalog
    config = LintConfig(agents=FIXTURES / "lint" / "agents") if code in catalog_rules else None
    if code in OPT_IN:
        config = LintConfig(select=(code,))
    document = parse_text(text, "example.md")
    return {d.code for d in check_document(document, config, source=text)}


@pytest.mark.parametrize(
    "info", [r for r in OWN_RULES if r.code in STATIC_RULES], ids=lambda r: r.code
)
def test_documented_example_shows_the_problem_and_its_fix(info: RuleInfo) -> None:
    found = examples(info)
    assert len(found) == 2, f"{info.code}: expected a problem and a fix example"
    problem, fix = found
    assert info.code in codes_in(problem, info.code), f"{info.code}: problem not reported"
    assert info.code not in codes_in(fix, info.code), f"{info.code}: fix still reported"
