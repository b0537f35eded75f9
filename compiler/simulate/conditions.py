"""Judging a written condition against the run's facts: `Risk level = high`,
`error rate above 5%`, `tier is not gold`, `a = 1 and b = 2`.

Only conditions that compare a known fact can be judged; anything else (`High response times
+ database metrics`) is prose, for which a scenario must name the choice. `judge` answers
True, False or None (cannot tell), never guesses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

Scalar = str | int | float | bool

_FILLER = re.compile(r"^(?:condition\s*:\s*|if\s+|when\s+|only\s+if\s+|where\s+)", re.IGNORECASE)
_COMPARISON = re.compile(
    r"^(?P<fact>.+?)\s*(?P<op>==|!=|>=|<=|=|>|<|\bis not\b|\bis\b|\bequals\b|"
    r"\bis above\b|\babove\b|\bover\b|\bmore than\b|\bgreater than\b|\bat least\b|"
    r"\bis below\b|\bbelow\b|\bunder\b|\bless than\b|\bat most\b)\s*(?P<value>.+?)$",
    re.IGNORECASE,
)
_OPS = {
    "=": "eq",
    "==": "eq",
    "is": "eq",
    "equals": "eq",
    "!=": "ne",
    "is not": "ne",
    ">": "gt",
    "above": "gt",
    "is above": "gt",
    "over": "gt",
    "more than": "gt",
    "greater than": "gt",
    ">=": "ge",
    "at least": "ge",
    "<": "lt",
    "below": "lt",
    "is below": "lt",
    "under": "lt",
    "less than": "lt",
    "<=": "le",
    "at most": "le",
}
_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?\s*%?$")


@lru_cache(maxsize=8192)
def normalise(name: str) -> str:
    """The form fact names are compared in: lower case, single spaces, no `$` or quotes."""
    cleaned = re.sub(r"[`\"'*_$]", "", name).strip().lower()
    return re.sub(r"\s+", " ", cleaned)


def judge(condition: str | None, facts: Mapping[str, Scalar]) -> bool | None:
    """Whether `condition` holds on `facts` (keys normalised), or None when it cannot tell."""
    if not condition:
        return None
    text = _FILLER.sub("", condition.strip().rstrip(".")).strip()
    for joiner, combine in ((" or ", any), (" and ", all)):
        parts = re.split(joiner, text, flags=re.IGNORECASE)
        if len(parts) > 1:
            verdicts = [_judge_one(part, facts) for part in parts]
            if any(verdict is None for verdict in verdicts):
                return None
            return combine(verdicts)
    return _judge_one(text, facts)


def mentioned_fact(condition: str | None, facts: Mapping[str, Scalar]) -> str | None:
    """The known fact a condition compares, if any (for trace messages)."""
    if not condition:
        return None
    match = _COMPARISON.match(_FILLER.sub("", condition.strip()).strip())
    if match and normalise(match["fact"]) in facts:
        return normalise(match["fact"])
    return None


def _judge_one(text: str, facts: Mapping[str, Scalar]) -> bool | None:
    match = _COMPARISON.match(text.strip())
    if not match:
        return None
    fact = normalise(match["fact"])
    if fact not in facts:
        return None
    op = _OPS[re.sub(r"\s+", " ", match["op"].lower())]
    return _compare(facts[fact], op, match["value"].strip().strip("`\"'"))


def _compare(actual: Scalar, op: str, expected: str) -> bool | None:
    if op in ("eq", "ne"):
        same = _same(actual, expected)
        return same if op == "eq" else not same
    left, right = _number(actual), _number(expected)
    if left is None or right is None:
        return None
    return {
        "gt": left > right,
        "ge": left >= right,
        "lt": left < right,
        "le": left <= right,
    }[op]


def _same(actual: Scalar, expected: str) -> bool:
    left, right = _number(actual), _number(expected)
    if left is not None and right is not None:
        return left == right
    if isinstance(actual, bool):
        return expected.lower() in (("true", "yes", "on") if actual else ("false", "no", "off"))
    return normalise(str(actual)) == normalise(expected)


def _number(value: Scalar) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = value.strip()
    if _NUMBER.match(text):
        return float(text.rstrip("%").strip())
    return None
