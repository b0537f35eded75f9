"""Binding a scenario and running it once, against parsing the document in the same
process: at most half of it (the seed with the estimates scenario of the tests, else
specs/payments-outage.md with its own). Monte Carlo has its own figure
(bench_montecarlo.py)."""

from __future__ import annotations

from benchmarks.figures import Figure, Skipped, figure
from benchmarks.timing import ROOT, SEED, interleaved, ms

ESTIMATES = ROOT / "tests" / "fixtures" / "scenarios" / "incident-response-estimates.scenario.yaml"


@figure("simulate-run")
def single_run() -> Figure | Skipped:
    from compiler.parse import parse_text
    from compiler.simulate import parse_scenario, plan_for, run

    if SEED.exists():
        doc, scenario_path, subject = SEED, ESTIMATES, "the seed"
    else:
        doc = ROOT / "specs" / "payments-outage.md"
        scenario_path, subject = doc.with_suffix(".scenario.yaml"), doc.name
    text = doc.read_text(encoding="utf-8")
    document = parse_text(text, str(doc))
    scenario = parse_scenario(scenario_path.read_text(encoding="utf-8"), scenario_path.name)
    ours, parse = interleaved(
        20, lambda: run(plan_for(document, scenario)), lambda: parse_text(text, str(doc))
    )
    return Figure(
        f"simulate: bind + one run of {subject} / drillbook's parse", ours / parse, 0.5, "lower",
        detail=f"bind + run {ms(ours)}, parse {ms(parse)} (best of 20)",
    )  # fmt: skip
