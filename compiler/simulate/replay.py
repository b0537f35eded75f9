"""`drillbook scenario from-results`: a document's recorded run ("Execution Results") as a
scenario that replays it, with WF503 for whatever in the record does not fit the workflow.

The record gives one duration per phase, so a phase's steps in sequence share it equally and
parallel branches each take all of it (the phase then lasts what the record says); the decision
the record names becomes the scenario's choice.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from compiler.diagnostics import Diagnostic
from compiler.durations import format_duration
from compiler.model import (
    Block,
    Checkpoint,
    DecisionBlock,
    DecisionPath,
    Document,
    LoopBlock,
    ParallelBlock,
    Phase,
    RecordedPhase,
    Step,
    Workflow,
    iter_blocks,
)
from compiler.simulate.index import WorkflowIndex, index_workflow
from compiler.simulate.loader import ScenarioError
from compiler.simulate.record_claims import cadence_claims
from compiler.simulate.record_totals import total_mismatches
from compiler.simulate.rules import results_mismatch
from compiler.simulate.step_keys import identity_fields
from compiler.simulate.written_objectives import write_objectives
from compiler.simulate.yaml_text import YamlText


@dataclass
class Replay:
    text: str
    diagnostics: list[Diagnostic] = field(default_factory=list)


def from_results(
    document: Document,
    workflow: Workflow,
    workflow_ref: str | None = None,
    pins: Mapping[str, str] | None = None,
) -> Replay:
    record = document.recorded_run
    if record is None:
        raise ScenarioError(
            document.path, 'has no recorded run (an "Execution Results" section) to replay'
        )
    index = index_workflow(workflow)
    replay = _Replayer(document, index)
    for recorded in record.phases:
        replay.phase(recorded)
    for phase in workflow.phases:
        if phase.id not in replay.matched:
            replay.mismatch(
                record.span,
                f"{phase.id} ({phase.title}) is not in the recorded run; the replay gives its "
                "steps the default duration",
                phase.id,
            )
    replay.diagnostics.extend(total_mismatches(document, index, replay.matched, pins or {}))
    text = replay.write(workflow_ref, record.span.line, pins or {})
    claims = cadence_claims(document, workflow, text, pins or {})
    if claims:  # the file lists every mismatch at its top
        replay.diagnostics.extend(claims)
        text = replay.write(workflow_ref, record.span.line, pins or {})
    return Replay(text, replay.diagnostics)


class _Replayer:
    def __init__(self, document: Document, index: WorkflowIndex) -> None:
        self.document = document
        self.index = index
        self.matched: dict[str, RecordedPhase] = {}
        self.durations: dict[str, int] = {}
        self.notes: dict[str, str] = {}
        self.decisions: dict[str, tuple[str, str]] = {}
        self.path: list[str] = []
        self.total = 0
        self.diagnostics: list[Diagnostic] = []

    def mismatch(self, span: object, message: str, reference: str | None = None) -> None:
        from compiler.model import Span

        assert isinstance(span, Span)
        self.diagnostics.append(results_mismatch(self.document.path, span, message, reference))

    def find_phase(self, recorded: RecordedPhase) -> Phase | None:
        phases = self.index.workflow.phases
        if recorded.number is not None:
            numbered = [p for p in phases if p.number == recorded.number]
            if numbered:
                return numbered[0]
        titles = {_words(p.title): p for p in phases}
        close = difflib.get_close_matches(_words(recorded.title), list(titles), n=1, cutoff=0.8)
        return titles[close[0]] if close else None

    def phase(self, recorded: RecordedPhase) -> None:
        label = (
            f"recorded Phase {recorded.number}" if recorded.number is not None else "recorded phase"
        )
        phase = self.find_phase(recorded)
        if phase is None:
            known = ", ".join(f"{p.id} ({p.title})" for p in self.index.workflow.phases)
            self.mismatch(
                recorded.span,
                f"{label} {recorded.title!r} is not in the workflow (its phases: {known})",
                recorded.title,
            )
            return
        if recorded.number is not None and phase.number not in (None, recorded.number):
            self.mismatch(
                recorded.span,
                f"{label} {recorded.title!r} is Phase {phase.number} in the workflow ({phase.id})",
                phase.id,
            )
        if phase.id in self.matched:
            self.mismatch(
                recorded.span, f"{label} is recorded twice; the first record is used", phase.id
            )
            return
        self.matched[phase.id] = recorded
        chosen = self.choose_paths(phase, recorded, label)
        if recorded.duration_s is None:
            self.mismatch(
                recorded.span,
                f"{label} has no duration the replay can use; its steps get the default",
                phase.id,
            )
        else:
            self.total += recorded.duration_s
            _distribute(phase.blocks, recorded.duration_s, chosen, self.durations)
            for step_id in [s for s in self.durations if self.index.step_phase.get(s) == phase.id]:
                self.notes.setdefault(
                    step_id,
                    f"{label}: {recorded.duration_text or format_duration(recorded.duration_s)}",
                )
        self.check_agents(phase, recorded, chosen, label)

    def choose_paths(self, phase: Phase, recorded: RecordedPhase, label: str) -> set[str]:
        decisions = [b for b in iter_blocks(phase.blocks) if isinstance(b, DecisionBlock)]
        chosen: set[str] = set()
        if recorded.decision and not decisions:
            self.mismatch(
                recorded.span,
                f"{label} records the decision {recorded.decision!r} but {phase.id} has no "
                "decision",
                recorded.decision,
            )
        for number, decision in enumerate(decisions):
            path = (
                _find_path(decision, recorded.decision)
                if number == 0 and recorded.decision
                else None
            )
            if number == 0 and recorded.decision and path is None:
                options = ", ".join(f"{p.label} ({p.title})" for p in decision.paths)
                self.mismatch(
                    recorded.span,
                    f"{label} took {recorded.decision!r}, which is not a path of {decision.id} "
                    f"(its paths: {options}); the replay takes the first",
                    recorded.decision,
                )
            elif path is None and number == 0:
                self.mismatch(
                    recorded.span,
                    f"{label} does not say which path of {decision.id} it took; the replay takes "
                    "the first",
                    decision.id,
                )
            path = path or decision.paths[0]
            chosen.add(path.id)
            self.path.append(path.id)
            key = self.index.short_key(decision.id, self.index.decisions)
            self.decisions[key] = (path.id.rsplit("/", 1)[-1], recorded.decision_text or path.title)
        return chosen

    def check_agents(
        self, phase: Phase, recorded: RecordedPhase, chosen: set[str], label: str
    ) -> None:
        steps = [b for b in iter_blocks(phase.blocks) if isinstance(b, Step)]
        in_phase = {s.agent for s in steps if s.agent}
        on_route = {
            self.index.steps[s].agent
            for s in _route(phase.blocks, chosen)
            if self.index.steps[s].agent
        }
        for agent in recorded.agents:
            name = _agent_named(agent.name, in_phase)
            if name is None:
                used = ", ".join(sorted(in_phase)) or "none"
                self.mismatch(
                    recorded.span,
                    f"{label} used agent {agent.name!r}, which {phase.id} does not use "
                    f"(its agents: {used})",
                    agent.name,
                )
                continue
            if name not in on_route:
                self.mismatch(
                    recorded.span,
                    f"{label} used agent {agent.name!r}, which belongs to a path the record "
                    "did not take",
                    agent.name,
                )
            if agent.branch:
                branch = _branch(phase, agent.branch)
                if branch is not None and name not in branch:
                    self.mismatch(
                        recorded.span,
                        f"{label} puts agent {agent.name!r} in branch {agent.branch}, whose "
                        f"agent is {', '.join(sorted(branch)) or 'missing'}",
                        agent.name,
                    )

    def write(self, workflow_ref: str | None, line: int, pins: Mapping[str, str]) -> str:
        out = YamlText()
        out.comment(
            f'Replay of the recorded run in {self.document.path} ("Execution Results", line '
            f"{line}), written by `drillbook scenario from-results`."
        )
        out.comment(
            "The record gives one duration per phase: steps in sequence share it, parallel "
            "branches each take all of it."
        )
        for diagnostic in self.diagnostics:
            out.comment(f"{diagnostic.code} line {diagnostic.line}: {diagnostic.message}")
        out.entry("name", "recorded run")
        if workflow_ref:
            out.entry("workflow", workflow_ref)
        out.entry("seed", 0)
        if self.durations:
            out.section("steps")
            for step_id in self.index.steps:
                if step_id in self.durations:
                    script = {"duration": format_duration(self.durations[step_id])}
                    script |= identity_fields(self.index.steps[step_id])
                    out.entry(step_id, script, 1, note=self.notes.get(step_id))
        if self.decisions:
            out.section("decisions")
            for key, (value, note) in self.decisions.items():
                out.entry(key, value, 1, note=f"recorded: {note}")
        write_objectives(out, self.document, self.index, pins, example=False)
        out.blank()
        out.section("expect")
        out.entry("path", self.path, 1)
        if self.total and len(self.matched) == len(self.index.workflow.phases):
            out.entry(
                "finishes_within",
                format_duration(self.total),
                1,
                note="the recorded phases add up to this",
            )
        return out.text()


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _find_path(decision: DecisionBlock, recorded: str) -> DecisionPath | None:
    wanted = recorded.strip().lower()
    label = re.sub(r"^(?:path|option|branch)\s+", "", wanted).split()[0] if wanted else ""
    for path in decision.paths:
        if wanted in (path.id.lower(), path.title.lower()) or label == path.label.lower():
            return path
        if _words(path.title) and _words(path.title) in _words(recorded):
            return path
    return None


def _agent_named(name: str, agents: set[str]) -> str | None:
    if name in agents:
        return name
    matches = [a for a in agents if re.split(r"::?", a)[-1] == name]
    return matches[0] if len(matches) == 1 else None


def _branch(phase: Phase, label: str) -> set[str] | None:
    for block in iter_blocks(phase.blocks):
        if isinstance(block, ParallelBlock):
            for branch in block.branches:
                if branch.label.lower() == label.lower():
                    return {
                        s.agent
                        for s in iter_blocks(branch.blocks)
                        if isinstance(s, Step) and s.agent
                    }
    return None


def _units(blocks: tuple[Block, ...]) -> list[Block]:
    return [b for b in blocks if not isinstance(b, Checkpoint)]


def _distribute(
    blocks: tuple[Block, ...], seconds: int, chosen: set[str], out: dict[str, int]
) -> None:
    """Share `seconds` among the blocks of a sequence so that the sequence lasts `seconds`."""
    units = _units(blocks)
    if not units:
        return
    share, rest = divmod(seconds, len(units))
    for number, block in enumerate(units):
        part = share + (rest if number == len(units) - 1 else 0)
        if isinstance(block, Step):
            out[block.id] = part
        elif isinstance(block, ParallelBlock):
            for branch in block.branches:
                _distribute(branch.blocks, part, chosen, out)
        elif isinstance(block, DecisionBlock):
            path = next(
                (p for p in block.paths if p.id in chosen), block.paths[0] if block.paths else None
            )
            if path is not None:
                _distribute(path.blocks, part, chosen, out)
        elif isinstance(block, LoopBlock):
            _distribute(block.body, part, chosen, out)


def _route(blocks: tuple[Block, ...], chosen: set[str]) -> list[str]:
    """Step ids that run in `blocks` when the decisions take the `chosen` paths."""
    found: list[str] = []
    for block in blocks:
        if isinstance(block, Step):
            found.append(block.id)
        elif isinstance(block, ParallelBlock):
            for branch in block.branches:
                found.extend(_route(branch.blocks, chosen))
        elif isinstance(block, DecisionBlock):
            path = next(
                (p for p in block.paths if p.id in chosen), block.paths[0] if block.paths else None
            )
            if path is not None:
                found.extend(_route(path.blocks, chosen))
        elif isinstance(block, LoopBlock):
            found.extend(_route(block.body, chosen))
    return found
