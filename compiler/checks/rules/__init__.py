"""Every static rule. Importing this package registers them all (in `compiler.rules` and
in `compiler.checks.ruleset.STATIC_RULES`); adding a rule means adding its function to one
of these modules."""

from compiler.checks.rules import (
    catalog,
    decisions,
    fields,
    numbering,
    parallel,
    parsing,
    permissions,
    references,
    steps,
    structure,
    unused,
)

__all__ = [
    "catalog",
    "decisions",
    "fields",
    "numbering",
    "parallel",
    "parsing",
    "permissions",
    "references",
    "steps",
    "structure",
    "unused",
]
