"""`drillbook scenario init` and `drillbook scenario matrix`: scenarios written from a
workflow's structure.

`init` names every step, decision, checkpoint and loop with a default to edit. `matrix` writes
the smallest set of scenarios that takes every decision path at least once and makes every
step fail once (failing once and succeeding on its retry, so the rest of the run still
happens): it picks, for each decision, a path not yet taken, runs the scenario to see which
paths and steps it really reaches, and repeats until everything reachable is covered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from compiler.model import Document, Workflow
from compiler.simulate.bind import bind
from compiler.simulate.index import WorkflowIndex, index_workflow
from compiler.simulate.runner import run_plan
from compiler.simulate.scenario import parse_scenario
from compiler.simulate.step_keys import identity_fields
from compiler.simulate.written_objectives import write_objectives
from compiler.simulate.yaml_text import YamlText

DEFAULT_DURATION = "5m"


def _workflow_line(out: YamlText, workflow_ref: str | None) -> None:
    if workflow_ref:
        out.entry("workflow", workflow_ref, note="the document, relative to this file")
    else:
        out.comment(
            "workflow: DOC.md  (relative to this file; not needed when this file is saved "
            "beside the document as DOC.scenario.yaml)"
        )


def _path_note(index: WorkflowIndex, decision_id: str) -> str:
    decision = index.decisions[decision_id]
    options = ", ".join(
        f"{p.id.rsplit('/', 1)[-1]} ({p.title}{', default' if p.is_default else ''})"
        for p in decision.paths
    )
    question = f"{decision.question} — " if decision.question else ""
    return f"{question}{options}"


def skeleton(
    document: Document,
    workflow: Workflow,
    workflow_ref: str | None = None,
    pins: Mapping[str, str] | None = None,
) -> str:
    """A scenario naming every step, decision, checkpoint and loop of `workflow`; `pins` are
    the configuration's objective milestones."""
    index = index_workflow(workflow)
    out = YamlText()
    out.comment(f"Scenario for {document.path} (written by `drillbook scenario init`).")
    out.comment(
        "Durations: 90s, 5m, 1h30m, or {min, mode, max} / {p50, p90} for --runs. "
        "Every key: `drillbook schema scenario`. A step's `title` and `agent` record which "
        "step its script was written for (checked, not applied)."
    )
    _workflow_line(out, workflow_ref)
    out.entry("seed", 1)
    if workflow.inputs:
        out.section("inputs")
        for ref in workflow.inputs:
            out.entry(ref.text.lstrip("$"), "", 1)
    out.entry("facts", {}, note="values that conditions such as `Risk level = high` test")
    out.section("defaults")
    out.entry("duration", DEFAULT_DURATION, 1, note="for every step not listed below")
    if index.agents:
        out.entry("agents", {}, note="by agent name: " + ", ".join(index.agents))
    out.blank()
    out.section("steps")
    phase = None
    for step_id, step in index.steps.items():
        if index.step_phase[step_id] != phase:
            phase = index.step_phase[step_id]
            out.comment(f"{phase}: {index.title(phase)}", 1)
        script: dict[str, Any] = {"duration": DEFAULT_DURATION}
        note = None
        if step.optional or step.condition:
            script["skip"] = False
            note = f"conditional: {step.condition}" if step.condition else "optional"
        out.entry(step_id, script | identity_fields(step), 1, note=note)
    decisions = _first_choices(index)
    if decisions:
        out.blank()
        out.section("decisions")
        for key, (decision_id, path) in decisions.items():
            out.entry(key, path, 1, note=_path_note(index, decision_id))
    if index.checkpoints:
        out.blank()
        out.section("checkpoints")
        for checkpoint_id, checkpoint in index.checkpoints.items():
            out.entry(
                checkpoint_id,
                {"approve_after": "10m"},
                1,
                note=f"{checkpoint.title} ({checkpoint.gate})",
            )
    if index.loops:
        out.blank()
        out.section("loops")
        for loop_id, loop in index.loops.items():
            limit = (
                f"at most {loop.max_iterations} runs" if loop.max_iterations else "no stated limit"
            )
            out.entry(loop_id, 1, 1, note=f"{loop.text} ({limit})")
    out.blank()
    out.comment("resources: {max_parallel_agents: 3}   # limit how many agents run at once")
    write_objectives(out, document, index, pins)
    taken = _expected_path(document, workflow, out.text())
    out.blank()
    out.section("expect")
    out.entry("path", taken, 1, note="decision paths taken, in order")
    return out.text()


def _first_choices(index: WorkflowIndex) -> dict[str, tuple[str, str]]:
    return {
        index.short_key(decision_id, index.decisions): (
            decision_id,
            decision.paths[0].id.rsplit("/", 1)[-1],
        )
        for decision_id, decision in index.stated_decisions.items()
        if decision.paths
    }


def _expected_path(document: Document, workflow: Workflow, text: str) -> list[str]:
    """The paths the skeleton takes (its own decisions, run once)."""
    loaded = parse_scenario(text, "<skeleton>")
    return list(run_plan(bind(document, workflow, loaded)).path)


@dataclass(frozen=True)
class MatrixScenario:
    name: str
    text: str
    path: tuple[str, ...]
    failing: tuple[str, ...]


def matrix(
    document: Document,
    workflow: Workflow,
    workflow_ref: str | None = None,
    pins: Mapping[str, str] | None = None,
) -> list[MatrixScenario]:
    """The smallest set of scenarios taking every reachable decision path and failing every
    reachable step once."""
    index = index_workflow(workflow)
    untaken = index.stated_paths
    unfailed = list(index.steps)
    scenarios: list[MatrixScenario] = []
    while True:
        choices = {}
        for decision_id, decision in index.stated_decisions.items():
            pick = next((p for p in decision.paths if p.id in untaken), decision.paths[0])
            choices[index.short_key(decision_id, index.decisions)] = pick.id.rsplit("/", 1)[-1]
        trial = _matrix_text(document, workflow, workflow_ref, len(scenarios) + 1, choices, [])
        result = run_plan(bind(document, workflow, parse_scenario(trial, "<matrix>")))
        ran = [a.id for a in result.activities if a.kind == "step" and a.status == "completed"]
        failing = [step for step in dict.fromkeys(ran) if step in unfailed]
        new_paths = [p for p in result.path if p in untaken]
        if scenarios and not failing and not new_paths:
            break
        text = _matrix_text(
            document,
            workflow,
            workflow_ref,
            len(scenarios) + 1,
            choices,
            failing,
            result.path,
            pins,
        )
        scenarios.append(
            MatrixScenario(f"matrix-{len(scenarios) + 1}", text, tuple(result.path), tuple(failing))
        )
        untaken = [p for p in untaken if p not in result.path]
        unfailed = [s for s in unfailed if s not in failing]
        if not untaken and not unfailed:
            break
    return scenarios


def _matrix_text(
    document: Document,
    workflow: Workflow,
    workflow_ref: str | None,
    number: int,
    choices: dict[str, str],
    failing: list[str],
    path: list[str] | None = None,
    pins: Mapping[str, str] | None = None,
) -> str:
    index = index_workflow(workflow)
    out = YamlText()
    out.comment(
        f"Coverage scenario {number} for {document.path} (written by `drillbook scenario matrix`)."
    )
    out.comment(
        "Takes decision paths not yet covered; each listed step fails once, then succeeds "
        "on its retry."
    )
    out.entry("name", f"matrix {number}")
    _workflow_line(out, workflow_ref)
    out.entry("seed", number)
    if choices:
        out.section("decisions")
        for key, value in choices.items():
            out.entry(key, value, 1)
    if failing:
        out.section("steps")
        for step_id in failing:
            script = {"fail": 1, "retries": 1} | identity_fields(index.steps[step_id])
            out.entry(step_id, script, 1)
    write_objectives(out, document, index, pins, example=False)
    if path is not None:
        out.blank()
        out.section("expect")
        out.entry("path", list(path), 1)
        out.entry("status", "completed", 1)
    return out.text()
