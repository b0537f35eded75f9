"""The simulation's rules: each function below is the one place its diagnostic is made, and its
docstring is the rule's documentation (`drillbook rules`, `drillbook explain`, the site).

The callers (the runner, the SLO judge, the test runner, the results replay) decide *when* a
rule fires; these functions decide what the finding says and where it points.
"""

from __future__ import annotations

from compiler.diagnostics import Diagnostic, Related
from compiler.durations import format_duration
from compiler.model import Reference, Span
from compiler.rules import make_diagnostic, rule


@rule("WF406", "uncovered-path", "warning", "simulation")
def uncovered_path(
    file: str, span: Span, path_id: str, decision_id: str, scenarios: int
) -> Diagnostic:
    """What it does:
    Reports a decision path that no scenario of the document takes (`drillbook test`).

    Why it matters:
    A path that has never been rehearsed is where a playbook breaks during a real incident:
    nobody has checked that its steps have what they need or that it meets the objectives.

    Example:
    `payments-outage.md` has paths A, B and Else, and its only scenario names
    `decisions: {phase-2: path-a}` — paths B and Else are reported. Add a scenario per path
    (`drillbook scenario matrix payments-outage.md -o payments-outage.scenarios`), e.g.
    `payments-outage.scenarios/acquirer.scenario.yaml` with `decisions: {phase-2: path-b}`.
    """
    if scenarios == 0:
        ran = "the document has no scenario"
    elif scenarios == 1:
        ran = "its only scenario does not take it"
    else:
        ran = f"none of its {scenarios} scenarios takes it"
    message = (
        f"decision path {path_id} of {decision_id} is never rehearsed ({ran}); add a scenario "
        f"with `decisions: {{{decision_id}: {path_id.rsplit('/', 1)[-1]}}}`"
    )
    return make_diagnostic("WF406", file, span, message, reference=path_id)


@rule("WF501", "slo-exceeded", "error", "simulation")
def slo_exceeded(
    file: str,
    span: Span,
    name: str,
    limit_s: float,
    milestone: str,
    actual_s: float | None,
    related: tuple[Related, ...] = (),
) -> Diagnostic:
    """What it does:
    Reports a time objective (`within`, or the document's RTO) that the simulated run misses:
    its milestone finishes after the deadline, or never.

    Why it matters:
    A playbook that cannot meet its recovery objective even on paper will not meet it during
    an incident; the simulation shows which steps make it late (see the critical path).

    Example:
    `slo: [{name: RTO, within: 30m, until: phase-5/branch-a}]` when recovery validation
    finishes at 38 minutes. Move the validation earlier, run it in parallel with the
    resolution, or agree a realistic objective: `within: 40m`.
    """
    if actual_s is None:
        message = (
            f"SLO {name!r} missed: {milestone} never finished in this run "
            f"(objective: within {format_duration(limit_s)})"
        )
    else:
        late = format_duration(actual_s - limit_s)
        message = (
            f"SLO {name!r} missed: {milestone} finished at {format_duration(actual_s)}, "
            f"{late} over the {format_duration(limit_s)} objective"
        )
    return make_diagnostic("WF501", file, span, message, reference=name, related=related)


@rule("WF502", "cadence-violated", "error", "simulation")
def cadence_violated(
    file: str,
    span: Span,
    name: str,
    every_s: float,
    gaps: list[tuple[float, float]],
    related: tuple[Related, ...] = (),
) -> Diagnostic:
    """What it does:
    Reports a recurring duty (stakeholder updates every 15 minutes) with a longer gap in the
    simulated run. Gaps are measured between the start of the run, every finish of a matching
    step and the end of the run (or the SLO's `until` milestone).

    Why it matters:
    During an incident silence is read as bad news; a playbook whose only update comes after
    half an hour breaks its own communication promise.

    Example:
    `slo: [{name: updates, every: 15m, steps: "*communications*"}]` when the only
    communications step finishes at 32 minutes. Add an early update step to Phase 1, or run a
    communications branch alongside the investigation.
    """

    interval = f"the {format_duration(every_s)} interval"

    def gap(start: float, end: float, against: str = "") -> str:
        since = "the start of the run" if start == 0 else format_duration(start)
        over = format_duration(end - start - every_s)
        return (
            f"no update between {since} and {format_duration(end)} "
            f"({format_duration(end - start)}, {over} over{against})"
        )

    if len(gaps) == 1:
        message = f"SLO {name!r} missed: {gap(*gaps[0], f' {interval}')}"
    else:
        listed = "; ".join(gap(start, end) for start, end in gaps)
        message = f"SLO {name!r} missed: {len(gaps)} gaps over {interval}: {listed}"
    return make_diagnostic("WF502", file, span, message, reference=name, related=related)


@rule("WF503", "results-mismatch", "warning", "simulation")
def results_mismatch(
    file: str, span: Span, message: str, reference: str | None = None
) -> Diagnostic:
    """What it does:
    Reports where a document's recorded run ("Execution Results") does not fit its workflow
    or itself: a phase, decision path or agent the workflow does not have, a phase the record
    skips, a duration that cannot be replayed, or a recovery total ("Total Resolution Time")
    that its phase durations up to the step that restores service do not add up to.

    Why it matters:
    A published run is evidence that the playbook works; if it describes a different workflow
    (renamed agents, a path that no longer exists) the evidence is stale and a replay of it
    proves nothing.

    Example:
    The record says `**Agent Used**: db-specialist` for Phase 2 while the workflow's Phase 2
    uses `database-incident-specialist`. Update the record, or the workflow, so they agree.
    Or the record's phases take 5 + 3 + 12 + 8 = 28 minutes up to recovery while its
    metrics say "Total Resolution Time: 25 minutes": correct whichever figure is wrong.
    """
    return make_diagnostic("WF503", file, span, message, reference=reference)


@rule("WF504", "no-path-taken", "error", "simulation")
def no_path_taken(file: str, span: Span, decision_id: str, key: str, reasons: str) -> Diagnostic:
    """What it does:
    Reports a decision at which the simulated run cannot go on: the scenario names no path,
    no path's condition holds on the facts, and the decision has no default (Else) path.

    Why it matters:
    The coordinator following the playbook would be stuck at the same point: the document
    does not say what to do when none of its conditions applies.

    Example:
    A decision with `Path A (Condition: Risk level = high)` and `Path B (Condition: Risk
    level = medium)` run with `facts: {risk level: low}`. Add `#### Else: …` to the decision,
    or name the path in the scenario: `decisions: {phase-2: path-b}`.
    """
    message = (
        f"no path of {decision_id} can be taken: {reasons}; name one in the scenario "
        f"(`decisions: {{{key}: …}}`) or give the decision an Else path"
    )
    return make_diagnostic("WF504", file, span, message, reference=decision_id)


@rule("WF505", "input-not-ready", "warning", "simulation")
def input_not_ready(
    file: str, reference: Reference, step_id: str, producers: tuple[str, ...]
) -> Diagnostic:
    """What it does:
    Reports, in a simulated run, a step that starts before any step producing something it
    reads has finished: the producer is on a decision path the run did not take, is a
    parallel sibling still running, was skipped, or comes later.

    Why it matters:
    Lint says what *can* go wrong on some path; the rehearsal shows it *does* go wrong on
    this one: the agent is handed a missing or half-written input in exactly the situation
    the scenario describes.

    Example:
    With `decisions: {phase-2: path-b}`, a Phase 4 step that reads `[dns change]`, which only
    `phase-2/path-a` produces, gets nothing. Produce the item on every path, or read the
    selected path's results (`[selected investigation path results]`).
    """
    names = ", ".join(producers)
    message = (
        f"{step_id} reads {reference.text!r}, but none of its producers ({names}) has finished "
        "in this run: the agent starts without it"
    )
    return make_diagnostic("WF505", file, reference.span, message, reference=reference.text)


@rule("WF506", "scenario-step-changed", "warning", "simulation")
def scenario_step_changed(file: str, span: Span, key: str, message: str) -> Diagnostic:
    """What it does:
    Reports a scenario key (a step id such as `phase-3/branch-d`) whose step in the document is
    no longer the one the scenario was written for: the title or agent recorded beside the key
    (`title:`, `agent:`) differs from the step now at that id. It names the step that now
    matches by title and agent, if any.

    Why it matters:
    Step ids are positions. When a branch is replaced, or a step inserted before another, the
    old script (a duration, a failure) lands on a different step and the rehearsal quietly
    measures something else.

    Example:
    `phase-3/branch-d: {duration: 8m, title: Security & Data Integrity Check}` after Branch D
    was replaced by "Dependency Audit" and the security check moved to Branch E. Run
    `drillbook scenario update payments.scenario.yaml --in-place` to move the key to
    `phase-3/branch-e`, or edit the script for the new step.
    """
    return make_diagnostic("WF506", file, span, message, reference=key)
