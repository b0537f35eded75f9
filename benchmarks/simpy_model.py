"""The Monte Carlo benchmark's playbook (benchmarks/playbooks/incident-drill.md with its
scenario) written by hand in simpy: the baseline `drillbook simulate --runs N` is measured
against.

Same model: triage, a decision taken on a fact (error rate 9% > 5%: path A), four containment
branches sharing three agent slots (a `simpy.Resource` of capacity 3, requested in document
order), recovery, review; triangular durations in minutes; per run the total, the recovery
milestone and whether the 45-minute objective held, summarised as percentiles at the end.

Run as a script: `python benchmarks/simpy_model.py RUNS [SEED]`.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Generator

import simpy

# (min, mode, max) in minutes, as in incident-drill.scenario.yaml
TRIAGE = (3, 5, 10)
PATH_A = (5, 10, 25)
PATH_ELSE = (8, 15, 30)
BRANCHES = ((5, 8, 20), (2, 4, 8), (4, 6, 12), (6, 10, 18))
RECOVERY = (4, 6, 15)
REVIEW = (10, 15, 30)
ERROR_RATE = 9.0
SLOTS = 3
RTO = 45 * 60


def draw(rng: random.Random, spec: tuple[int, int, int]) -> float:
    low, mode, high = spec
    return round(rng.triangular(low * 60, high * 60, mode * 60), 3)


def one_run(rng: random.Random) -> tuple[float, float]:
    env = simpy.Environment()
    slots = simpy.Resource(env, capacity=SLOTS)
    milestone: list[float] = []

    def step(spec: tuple[int, int, int]) -> Generator[simpy.Event, None, None]:
        with slots.request() as granted:
            yield granted
            yield env.timeout(draw(rng, spec))

    def workflow() -> Generator[simpy.Event, None, None]:
        yield env.process(step(TRIAGE))
        yield env.process(step(PATH_A if ERROR_RATE > 5 else PATH_ELSE))
        yield simpy.AllOf(env, [env.process(step(spec)) for spec in BRANCHES])
        yield env.process(step(RECOVERY))
        milestone.append(env.now)
        yield env.process(step(REVIEW))

    env.process(workflow())
    env.run()
    return env.now, milestone[0]


def nearest_rank(ordered: list[float], rank: int) -> float:
    return ordered[max(0, -(-rank * len(ordered) // 100) - 1)]


def main(runs: int, seed: int) -> None:
    rng = random.Random(seed)
    totals: list[float] = []
    milestones: list[float] = []
    met = 0
    for _ in range(runs):
        total, recovered = one_run(rng)
        totals.append(total)
        milestones.append(recovered)
        met += recovered <= RTO
    totals.sort()
    milestones.sort()
    print(f"{runs} runs (seed {seed})")
    for name, values in (("total", totals), ("RTO milestone", milestones)):
        ranks = "  ".join(f"p{r} {nearest_rank(values, r):.0f}s" for r in (50, 90, 95, 99))
        print(f"{name}: {ranks}  min {values[0]:.0f}s  max {values[-1]:.0f}s")
    print(f"RTO met in {100 * met / runs:.1f}% of runs")


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 11,
    )
