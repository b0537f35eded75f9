"""Binding a scenario to a workflow: every name the scenario uses is resolved to an element of
the document (or reported with file, line, key and a did-you-mean), and every step gets its
effective script (step over agent over defaults). The result, a `Plan`, is all the engine reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar

from compiler.diagnostics import Diagnostic
from compiler.model import Document, Reference, Span, Workflow
from compiler.simulate.conditions import Scalar, compared_facts, normalise
from compiler.simulate.distributions import Duration
from compiler.simulate.index import WorkflowIndex, index_workflow
from compiler.simulate.loader import Path, ScenarioError
from compiler.simulate.milestone import Milestone
from compiler.simulate.names import unknown_name
from compiler.simulate.objectives import SloPlan, document_slos, known_milestone
from compiler.simulate.scenario import AgentScript, LoadedScenario, Scenario, StepScript
from compiler.simulate.slo_binding import written_slos
from compiler.simulate.step_keys import changed_step_warnings, review_key, review_message


@dataclass(frozen=True)
class StepPlan:
    duration: Duration
    fail: int
    retries: int
    failure_rate: float
    on_failure: Literal["stop", "continue"]
    outputs: tuple[tuple[str, Scalar], ...]
    skip: bool


@dataclass(frozen=True)
class CheckpointPlan:
    wait: Duration
    approve: bool


@dataclass(frozen=True)
class ExpectPlan:
    path: tuple[str, ...] | None = None
    finishes_within: float | None = None
    status: str | None = None
    slos: tuple[tuple[str, str], ...] = ()
    steps: tuple[tuple[str, str], ...] = ()
    file: str | None = None
    span: Span | None = None


@dataclass(frozen=True)
class Plan:
    document_path: str
    workflow: Workflow
    index: WorkflowIndex
    scenario_file: str | None
    name: str
    seed: int
    inputs: tuple[tuple[str, str], ...]
    facts: tuple[tuple[str, Scalar], ...]
    steps: dict[str, StepPlan]
    decisions: dict[str, str]
    checkpoints: dict[str, CheckpointPlan]
    loops: dict[str, int]
    max_parallel: int | None
    slos: tuple[SloPlan, ...]
    expect: ExpectPlan
    notes: tuple[str, ...]
    #: per step id: each consumed reference and the steps that produce it (§4 resolution),
    #: so a run can tell when a step starts before anything it reads exists.
    sources: dict[str, tuple[tuple[Reference, tuple[str, ...]], ...]]
    #: findings about the scenario itself (WF506: a key whose step changed), reported with
    #: every run of it
    warnings: tuple[Diagnostic, ...] = ()


def _sources(workflow: Workflow) -> dict[str, tuple[tuple[Reference, tuple[str, ...]], ...]]:
    from compiler.checks.resolve import resolve_workflow

    found: dict[str, list[tuple[Reference, tuple[str, ...]]]] = {}
    for resolution in resolve_workflow(workflow):
        if resolution.producers:
            found.setdefault(resolution.consumer, []).append(
                (resolution.reference, resolution.producers)
            )
    return {step: tuple(entries) for step, entries in found.items()}


def bind(
    document: Document,
    workflow: Workflow,
    loaded: LoadedScenario | None,
    *,
    seed: int | None = None,
    milestones: Mapping[str, str] | None = None,
) -> Plan:
    """Resolve `loaded` (None: an empty scenario) against `workflow`; ScenarioError on bad names.
    `milestones` pins the document's objectives by name (`{"RTO": "phase-4"}`, from config)."""
    return _Binder(document, workflow, loaded, milestones or {}).plan(seed)


class _Binder:
    def __init__(
        self,
        document: Document,
        workflow: Workflow,
        loaded: LoadedScenario | None,
        milestones: Mapping[str, str],
    ) -> None:
        self.document = document
        self.milestones = milestones
        self.index = index_workflow(workflow)
        self.loaded = loaded
        self.scenario = loaded.scenario if loaded else Scenario()
        self.notes: list[str] = []
        #: every name that does not resolve, reported together when binding is done
        self.problems: list[ScenarioError] = []

    def report(self, path: Path, message: str) -> None:
        if self.loaded is None:
            self.problems.append(ScenarioError("<scenario>", message))
        else:
            self.problems.append(self.loaded.error(path, message))

    def span(self, path: Path) -> Span:
        where = self.loaded.source.position(path) if self.loaded else None
        if where is None:
            return Span(line=1, column=1, end_line=1, end_column=1)
        return Span(
            line=where.line,
            column=where.column,
            end_line=where.end_line,
            end_column=where.end_column,
        )

    def check_facts(self) -> None:
        """A fact no condition compares is almost always a typo (`replication lagg`): say so,
        with the nearest name a condition does compare."""
        from difflib import get_close_matches

        from compiler.model import DecisionBlock, Step, iter_blocks

        compared: set[str] = set()
        for phase in self.index.workflow.phases:
            for block in iter_blocks(phase.blocks):
                if isinstance(block, DecisionBlock):
                    for path in block.paths:
                        compared |= compared_facts(path.condition)
                elif isinstance(block, Step):
                    compared |= compared_facts(block.condition)
        for fact in sorted(self.scenario.facts):
            name = normalise(fact)
            if name in compared:
                continue
            close = get_close_matches(name, sorted(compared), n=1, cutoff=0.75)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.notes.append(f"fact '{fact}' is not compared by any condition{hint}")

    def plan(self, seed: int | None) -> Plan:
        scenario = self.scenario
        self.check_facts()
        name = scenario.name or (self.loaded.file if self.loaded else "(no scenario)")
        slos = self.slos()
        plan = Plan(
            document_path=self.document.path,
            workflow=self.index.workflow,
            index=self.index,
            scenario_file=self.loaded.file if self.loaded else None,
            name=name,
            seed=scenario.seed if seed is None else seed,
            inputs=self.inputs(),
            facts=tuple(sorted((normalise(k), v) for k, v in scenario.facts.items())),
            steps=self.steps(),
            decisions=self.decisions(),
            checkpoints=self.checkpoints(),
            loops=self.loops(),
            max_parallel=scenario.resources.max_parallel_agents,
            slos=slos,
            expect=self.expect(slos),
            notes=tuple(self.notes),
            sources=_sources(self.index.workflow),
            warnings=tuple(
                changed_step_warnings(
                    self.loaded,
                    self.index,
                    {key: self.span(("steps", key)) for key in scenario.steps},
                )
            ),
        )
        if self.problems:
            raise ScenarioError.together(self.problems)
        return plan

    # --- names ------------------------------------------------------------------------

    def inputs(self) -> tuple[tuple[str, str], ...]:
        known = {ref.text.lstrip("$").lower(): ref.text for ref in self.index.workflow.inputs}
        resolved = []
        for key, value in self.scenario.inputs.items():
            name = known.get(key.lstrip("$").lower())
            if name is None:
                listing = ", ".join(sorted(known.values())) or "none"
                self.report(("inputs", key), f"the workflow has no input {key!r} ({listing})")
                continue
            resolved.append((name, value))
        return tuple(sorted(resolved))

    def agent_of(self, key: str) -> str | None:
        agents = self.index.agents
        if key in agents:
            return key
        suffix = [a for a in agents if re.split(r"::?", a)[-1] == key]
        if len(suffix) == 1:
            return suffix[0]
        self.report(("agents", key), unknown_name("agent", key, agents))
        return None

    def steps(self) -> dict[str, StepPlan]:
        scenario = self.scenario
        by_agent = {
            name: script
            for key, script in scenario.agents.items()
            if (name := self.agent_of(key)) is not None
        }
        for key, script in scenario.steps.items():
            if key not in self.index.steps:
                review = review_key(key, script, self.index)
                if review is not None and review.target is not None:
                    message = f"unknown step id {key!r}: {review_message(review)}"
                else:
                    message = unknown_name("step id", key, list(self.index.steps))
                self.report(("steps", key), message)
        defaults = scenario.defaults
        plans: dict[str, StepPlan] = {}
        for step_id, step in self.index.steps.items():
            own = scenario.steps.get(step_id, StepScript())
            agent = by_agent.get(step.agent or "", AgentScript())
            # The step's own script wins over its agent's, which wins over the defaults.
            duration = own.duration or agent.duration or defaults.duration
            fail = _first(own.fail, agent.fail, 0)
            retries = _first(own.retries, agent.retries, defaults.retries)
            rate = _first(own.failure_rate, agent.failure_rate, defaults.failure_rate)
            on_failure = own.on_failure or agent.on_failure or defaults.on_failure
            plans[step_id] = StepPlan(
                duration=duration,
                fail=fail,
                retries=retries,
                failure_rate=rate,
                on_failure=on_failure,
                outputs=tuple(own.outputs.items()),
                skip=own.skip,
            )
        return plans

    def decisions(self) -> dict[str, str]:
        chosen: dict[str, str] = {}
        for key, value in self.scenario.decisions.items():
            decision_id = self.resolve(("decisions", key), key, "decision", self.index.decisions)
            if decision_id is None:
                continue
            path_id = self.path_of(("decisions", key), decision_id, str(value))
            if path_id is not None:
                chosen[decision_id] = path_id
        return chosen

    def path_of(self, where: Path, decision_id: str, value: str) -> str | None:
        decision = self.index.decisions[decision_id]
        wanted = value.strip().lower()
        label = re.sub(r"^(?:path|option|branch)\s+", "", wanted)
        for path in decision.paths:
            names = {path.id.lower(), path.id.rsplit("/", 1)[-1].lower(), path.title.lower()}
            if wanted in names or label == path.label.lower():
                return path.id
        choices = [path.id for path in decision.paths]
        self.report(where, unknown_name(f"path of {decision_id}", value, choices))
        return None

    def checkpoints(self) -> dict[str, CheckpointPlan]:
        default = CheckpointPlan(self.scenario.defaults.approve_after, True)
        plans = dict.fromkeys(self.index.checkpoints, default)
        for key, script in self.scenario.checkpoints.items():
            checkpoint_id = self.resolve(
                ("checkpoints", key), key, "checkpoint", self.index.checkpoints
            )
            if checkpoint_id is None:
                continue
            if script.reject_after is not None:
                plans[checkpoint_id] = CheckpointPlan(script.reject_after, False)
            elif script.approve_after is not None:
                plans[checkpoint_id] = CheckpointPlan(script.approve_after, True)
        return plans

    def loops(self) -> dict[str, int]:
        counts = dict.fromkeys(self.index.loops, 1)
        for key, runs in self.scenario.loops.items():
            loop_id = self.resolve(("loops", key), key, "loop", self.index.loops)
            if loop_id is None:
                continue
            limit = self.index.loops[loop_id].max_iterations
            if limit is not None and runs > limit:
                self.report(
                    ("loops", key),
                    f"{runs} runs is more than the document allows for {loop_id} "
                    f"(at most {limit} runs in all)",
                )
                continue
            counts[loop_id] = runs
        return counts

    def resolve(self, where: Path, key: str, kind: str, known: Mapping[str, object]) -> str | None:
        """An element id from its own id or the id of the container holding exactly one
        (None, reported, when there is none)."""
        if key in known:
            return key
        held = [element_id for element_id in known if self.index.containers.get(element_id) == key]
        if len(held) == 1:
            return held[0]
        if len(held) > 1:
            self.report(where, f"{key} holds several {kind}s ({', '.join(held)}); name one")
            return None
        names = list(known) + sorted({c for k in known if (c := self.index.containers.get(k))})
        self.report(where, unknown_name(kind, key, names))
        return None

    # --- objectives and expectations ------------------------------------------------

    def slos(self) -> tuple[SloPlan, ...]:
        written = self.scenario.slo
        if written is None:
            implied, notes = document_slos(self.document, self.index, self.milestones)
            self.notes.extend(notes)
            return implied
        file = self.loaded.file if self.loaded else "<scenario>"

        def known(name: str) -> tuple[Milestone, str] | None:
            return known_milestone(self.document, self.index, name, self.milestones)

        return written_slos(written, self.index, file, self.span, self.report, known)

    def expect(self, slos: tuple[SloPlan, ...]) -> ExpectPlan:
        expect = self.scenario.expect
        path = None
        if expect.path is not None:
            taken = [
                self.expected_path(("expect", "path", i), value)
                for i, value in enumerate(expect.path)
            ]
            path = tuple(p for p in taken if p is not None)
        slo_names = {slo.name for slo in slos}
        for name in expect.slos:
            if name not in slo_names:
                self.report(("expect", "slos", name), unknown_name("SLO", name, sorted(slo_names)))
        for step_id in expect.steps:
            if step_id not in self.index.steps:
                self.report(
                    ("expect", "steps", step_id),
                    unknown_name("step id", step_id, list(self.index.steps)),
                )
        return ExpectPlan(
            path=path,
            finishes_within=expect.finishes_within.low if expect.finishes_within else None,
            status=expect.status,
            slos=tuple(sorted(expect.slos.items())),
            steps=tuple(sorted(expect.steps.items())),
            file=self.loaded.file if self.loaded else None,
            span=self.span(("expect",)),
        )

    def expected_path(self, where: Path, value: str) -> str | None:
        if value in self.index.paths:
            return value
        if ":" in value:  # `phase-2: path-a` written as one string
            key, choice = (part.strip() for part in value.split(":", 1))
            decision = self.resolve(where, key, "decision", self.index.decisions)
            return None if decision is None else self.path_of(where, decision, choice)
        matches = [p for p in self.index.paths if p.rsplit("/", 1)[-1] == value]
        if len(matches) == 1:
            return matches[0]
        self.report(where, unknown_name("decision path", value, list(self.index.paths)))
        return None


T = TypeVar("T")


def _first(*values: T | None) -> T:
    """The first value that is set (the last argument is the default and always set)."""
    for value in values:
        if value is not None:
            return value
    raise ValueError("no value set")
