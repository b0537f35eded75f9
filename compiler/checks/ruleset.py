"""The static rules `check_document` runs: registered in the one rule registry
(`compiler.rules`) and listed here so the checker knows how to call them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from compiler.checks.facts import DocumentFacts
from compiler.diagnostics import Diagnostic, Severity
from compiler.regex import LazyPattern
from compiler.rules import Category, OnInferred, all_rules, find_rule, registered, rule

StaticRule = Callable[[DocumentFacts], Iterable[Diagnostic]]

#: code → rule function, filled as `compiler.checks.rules` is imported.
STATIC_RULES: dict[str, StaticRule] = {}

#: Rules about the run itself (not called per document): unreadable files, suppressions.
RUN_RULES = ("WF901", "WF902")

R = TypeVar("R", bound=StaticRule)


def static_rule(
    code: str,
    slug: str,
    severity: Severity,
    category: Category,
    on_inferred: OnInferred = "silent",
) -> Callable[[R], R]:
    """Register a rule that inspects one parsed document (`DocumentFacts`)."""

    def register(function: R) -> R:
        rule(code, slug, severity, category, on_inferred)(function)
        STATIC_RULES[code] = function
        return function

    return register


_PREFIX = LazyPattern(r"^WF\d{0,2}$")


def resolve_code(name: str) -> str | None:
    """A rule code from a code (`wf201`), a slug (`unresolved-reference`), a code prefix
    (`WF2`: every WF2xx rule) or `ALL`; None when it names no rule. Static rules are looked
    up first so that linting never has to import the simulator's rules."""
    load_static_rules()
    text = name.strip()
    upper = text.upper()
    if upper == "ALL":
        return "ALL"
    local = {code: registered(code).slug for code in (*STATIC_RULES, *RUN_RULES)}
    if upper in local:
        return upper
    for code, slug in local.items():
        if slug == text.lower():
            return code
    if _PREFIX.match(upper) and any(code.startswith(upper) for code in local):
        return upper
    info = find_rule(text)
    if info is not None:
        return info.code
    if _PREFIX.match(upper) and any(r.code.startswith(upper) for r in all_rules()):
        return upper
    return None


def load_static_rules() -> None:
    """Import (and so register) every static rule."""
    import compiler.checks.rules  # noqa: F401
