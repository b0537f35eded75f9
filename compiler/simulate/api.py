"""The simulation API other parts of drillbook (site, diff, drill) and the CLI build on."""

from __future__ import annotations

import random
from collections.abc import Mapping

from compiler.model import Document
from compiler.simulate.bind import Plan, bind
from compiler.simulate.index import main_workflow
from compiler.simulate.loader import ScenarioError
from compiler.simulate.result import RunResult
from compiler.simulate.runner import run_plan
from compiler.simulate.scenario import LoadedScenario
from compiler.simulate.verdicts import judge_run


def plan_for(
    document: Document,
    scenario: LoadedScenario | None,
    *,
    seed: int | None = None,
    milestones: Mapping[str, str] | None = None,
) -> Plan:
    """Bind `scenario` (None: defaults only) to the document's workflow; ScenarioError when a
    name does not resolve, or when the document has no workflow. `milestones` pins objectives
    the scenario leaves to the document (`{"RTO": "phase-4"}`, from the configuration)."""
    workflow = main_workflow(document.workflows)
    if workflow is None:
        where = scenario.file if scenario else document.path
        raise ScenarioError(where, f"{document.path} has no workflow to simulate")
    return bind(document, workflow, scenario, seed=seed, milestones=milestones)


def run(plan: Plan, rng: random.Random | None = None) -> RunResult:
    """One judged run of `plan` (SLO verdicts, expectations and diagnostics filled in)."""
    return judge_run(run_plan(plan, rng))


def simulate(
    document: Document, scenario: LoadedScenario | None = None, *, seed: int | None = None
) -> RunResult:
    """Bind and run in one call."""
    return run(plan_for(document, scenario, seed=seed))
