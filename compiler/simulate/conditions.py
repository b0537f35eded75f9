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

from compiler.durations import UNIT_SECONDS

Scalar = str | int | float | bool

_FILLER = re.compile(r"^(?:condition\s*:\s*|if\s+|when\s+|only\s+if\s+|where\s+)", re.IGNORECASE)
_OPS = {
    "==": "eq",
    "=": "eq",
    "equals": "eq",
    "is equal to": "eq",
    "is": "eq",
    "!=": "ne",
    "is not": "ne",
    "isn't": "ne",
    ">=": "ge",
    "<=": "le",
    ">": "gt",
    "<": "lt",
    "is above": "gt",
    "above": "gt",
    "is over": "gt",
    "over": "gt",
    "exceeds": "gt",
    "is more than": "gt",
    "more than": "gt",
    "is greater than": "gt",
    "greater than": "gt",
    "is higher than": "gt",
    "higher than": "gt",
    "is at least": "ge",
    "at least": "ge",
    "reaches": "ge",
    "is below": "lt",
    "below": "lt",
    "is under": "lt",
    "under": "lt",
    "is less than": "lt",
    "less than": "lt",
    "fewer than": "lt",
    "is lower than": "lt",
    "lower than": "lt",
    "is at most": "le",
    "at most": "le",
}
# Longest operators first, so "is above" wins over "is" and ">=" over ">".
_OP_PATTERN = "|".join(
    re.escape(op) if not op[0].isalpha() else r"\b" + re.escape(op).replace(r"\ ", r"\s+") + r"\b"
    for op in sorted(_OPS, key=len, reverse=True)
)
_COMPARISON = re.compile(
    r"^(?P<fact>.+?)\s*(?P<op>" + _OP_PATTERN + r")\s*(?P<value>.+?)$", re.IGNORECASE
)
_QUANTITY = re.compile(
    r"^(?P<number>[-+]?\d+(?:\.\d+)?)\s*(?P<unit>%|ms|milliseconds?|s|secs?|seconds?|m|mins?|"
    r"minutes?|h|hrs?|hours?|d|days?)?$",
    re.IGNORECASE,
)


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


def compared_facts(condition: str | None) -> set[str]:
    """The fact names a condition compares (`risk level = high and tier is gold` →
    {risk level, tier}), normalised."""
    if not condition:
        return set()
    text = _FILLER.sub("", condition.strip().rstrip(".")).strip()
    names: set[str] = set()
    for part in re.split(r"\s+(?:and|or)\s+", text, flags=re.IGNORECASE):
        match = _COMPARISON.match(part.strip())
        if match:
            names.add(normalise(match["fact"]))
    return names


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
    pair = _comparable(actual, expected)
    if pair is None:
        return None
    left, right = pair
    return {
        "gt": left > right,
        "ge": left >= right,
        "lt": left < right,
        "le": left <= right,
    }[op]


def _same(actual: Scalar, expected: str) -> bool:
    pair = _comparable(actual, expected)
    if pair is not None:
        return pair[0] == pair[1]
    if isinstance(actual, bool):
        return expected.lower() in (("true", "yes", "on") if actual else ("false", "no", "off"))
    return normalise(str(actual)) == normalise(expected)


def _comparable(actual: Scalar, expected: str) -> tuple[float, float] | None:
    """Both sides as numbers in one unit, or None when they cannot be compared. A fact with
    no unit is read in the condition's unit (`lag below 5 minutes`, fact `lag: 3`); durations
    with units are compared in seconds; a percentage only compares with a percentage."""
    left, right = _quantity(actual), _quantity(expected)
    if left is None or right is None:
        return None
    (a, a_unit), (b, b_unit) = left, right
    if not a_unit or not b_unit:
        return (a, b) if (a_unit != "%" and b_unit != "%") or a_unit == b_unit else None
    if a_unit == "%" or b_unit == "%":
        return (a, b) if a_unit == b_unit else None
    return a * UNIT_SECONDS[a_unit], b * UNIT_SECONDS[b_unit]


def _quantity(value: Scalar) -> tuple[float, str] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value), ""
    match = _QUANTITY.match(value.strip())
    if not match:
        return None
    return float(match["number"]), (match["unit"] or "").lower()
