"""Judging written conditions against a scenario's facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.simulate.conditions import Scalar, judge
from tests.conftest import SPECS, run_cli

FACTS: dict[str, Scalar] = {
    "lag": 7,
    "replication lag": "3s",
    "latency": "700ms",
    "error rate": 0.07,
    "failure share": "7%",
    "tier": "gold",
    "risk level": "high",
}


@pytest.mark.parametrize(
    ("condition", "verdict"),
    [
        ("lag is above 5", True),
        ("lag is below 5", False),
        ("lag exceeds 5", True),
        ("lag is at least 8", False),
        ("lag >= 7", True),
        ("Risk level = high", True),
        ("tier is not gold", False),
        ("replication lag below 5s", True),
        ("replication lag below 2 seconds", False),
        ("latency above 500ms", True),
        ("latency above 1s", False),
        ("lag below 10 minutes", True),  # a fact without a unit is read in the condition's
        ("failure share above 5%", True),
        ("failure share below 5%", False),
        ("lag > 5 and tier = gold", True),
        ("lag > 9 or tier = silver", False),
    ],
)
def test_conditions_that_compare_a_fact(condition: str, verdict: bool) -> None:
    assert judge(condition, FACTS) is verdict


@pytest.mark.parametrize(
    "condition",
    [
        "error rate above 5%",  # 0.07 against a percentage: a fraction or 0.07 %? Not guessed.
        "High response times + database metrics",
        "unknown fact = 3",
        "lag above many",
    ],
)
def test_conditions_that_cannot_be_judged(condition: str) -> None:
    assert judge(condition, FACTS) is None


def test_a_fact_no_condition_compares_is_pointed_out(tmp_path: Path) -> None:
    scenario = tmp_path / "typo.scenario.yaml"
    scenario.write_text("facts: {gateway error rat: 7%}\n", encoding="utf-8")
    result = run_cli("simulate", str(SPECS / "payments-outage.md"), "--scenario", str(scenario))
    assert (
        "fact 'gateway error rat' is not compared by any condition "
        "(did you mean 'gateway error rate'?)" in result.stdout
    )
