"""The rule registry: one place that knows every diagnostic code, its slug, default severity
and documentation.

A rule is one function decorated with `@rule(code, slug, severity)`; its docstring carries the
documentation in three parts (headings `What it does`, `Why it matters`, `Example` — the
example shows the problem and the fix). `drillbook rules`, `drillbook explain` and the site's
rule pages are generated from this metadata, and `make_diagnostic` stamps slug and severity
from it, so a code and its slug are never typed twice.

Rule functions live with the layer that can detect the problem (static checks in
`compiler.checks`, simulation verdicts in `compiler.simulate`); they register themselves when
their module is imported. `all_rules()` imports the known providers by name.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterable
from typing import Literal, NamedTuple, Protocol, TypeVar

from compiler.diagnostics import Diagnostic, Fix, Related, Severity
from compiler.model import Provenance, Span
from compiler.regex import LazyPattern

Category = Literal["structure", "reference", "parallel", "decision", "simulation", "io"]

#: Modules whose import registers rules (the registry never imports them at module level,
#: so `compiler.rules` stays at the bottom of the import chain).
PROVIDERS: tuple[str, ...] = ("compiler.checks.rules", "compiler.simulate.rules")

_SECTION = LazyPattern(r"^(What it does|Why it matters|Example)\s*:?\s*$", re.MULTILINE)


#: What a rule says about an element drillbook inferred rather than read from a form made
#: for it (DESIGN §2, provenance): "silent" drops the finding, "info" reports it as a hint.
OnInferred = Literal["silent", "info"]


class Stated(Protocol):
    """Anything a finding can be about: a model element that records its provenance."""

    @property
    def provenance(self) -> Provenance: ...


class RuleInfo(NamedTuple):
    code: str
    slug: str
    severity: Severity
    category: Category
    doc: str
    function: Callable[..., object]
    on_inferred: OnInferred = "silent"

    @property
    def summary(self) -> str:
        """The first sentence of "What it does"."""
        text = self.section("What it does") or self.doc
        first = " ".join(text.split())
        match = re.match(r"(.+?\.)(\s|$)", first)
        return match.group(1) if match else first

    def section(self, heading: str) -> str:
        """The text under one of the docstring headings ("" when absent)."""
        parts = _SECTION.split(self.doc)
        for index in range(1, len(parts) - 1, 2):
            if parts[index] == heading:
                return inspect.cleandoc(parts[index + 1]).strip()
        return ""


_REGISTRY: dict[str, RuleInfo] = {}

F = TypeVar("F", bound=Callable[..., object])


def rule(
    code: str,
    slug: str,
    severity: Severity,
    category: Category,
    on_inferred: OnInferred = "silent",
) -> Callable[[F], F]:
    """Register the decorated function as the rule `code` / `slug`. `on_inferred` says what
    becomes of its findings about inferred elements (see `make_diagnostic`)."""

    def register(function: F) -> F:
        doc = inspect.cleandoc(function.__doc__ or "")
        existing = _REGISTRY.get(code)
        if existing is not None and existing.function is not function:
            raise RuntimeError(f"rule {code} registered twice ({existing.function.__qualname__})")
        _REGISTRY[code] = RuleInfo(code, slug, severity, category, doc, function, on_inferred)
        return function

    return register


def _load_providers() -> None:
    for name in PROVIDERS:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def all_rules() -> list[RuleInfo]:
    """Every registered rule, ordered by code."""
    _load_providers()
    return [_REGISTRY[code] for code in sorted(_REGISTRY)]


def find_rule(name: str) -> RuleInfo | None:
    """A rule by code (`WF301`, any case) or slug (`parallel-read-race`)."""
    _load_providers()
    wanted = name.strip()
    if wanted.upper() in _REGISTRY:
        return _REGISTRY[wanted.upper()]
    for info in _REGISTRY.values():
        if info.slug == wanted.lower():
            return info
    return None


def registered(code: str) -> RuleInfo:
    """Metadata of a rule whose module is already imported (the caller's own rules)."""
    return _REGISTRY[code]


def make_diagnostic(
    code: str,
    file: str,
    span: Span,
    message: str,
    *,
    reference: str | None = None,
    related: tuple[Related, ...] = (),
    severity: Severity | None = None,
    about: Iterable[Stated | None] = (),
    fix: Fix | None = None,
) -> Diagnostic:
    """A diagnostic for rule `code`, with slug and default severity from the registry.

    `about` names the model elements the finding judges (the step, the decision, the
    parallel block it relies on). When any of them was inferred rather than stated, the
    rule's `on_inferred` policy applies: the finding is dropped ("silent") or becomes an
    info ("info"). This is the one place that policy lives, so no rule repeats it."""
    info = registered(code)
    chosen: Severity = severity or info.severity
    inferred = any(e is not None and e.provenance == "inferred" for e in about)
    if inferred and chosen != "info":
        chosen = "info"
    return Diagnostic.at(
        file,
        span,
        severity=chosen,
        code=code,
        rule=info.slug,
        message=message,
        reference=reference,
        related=related,
        fix=fix,
        silenced=inferred and info.on_inferred == "silent",
    )
