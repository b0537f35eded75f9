"""Checking a scenario's step keys against the steps they were written for.

Generated scenarios record beside each step id the step's `title` and `agent`. When the
document's step at that id is no longer that step (a branch replaced, a step moved or
renamed), the key gets a WF506 warning naming the step that now matches by title and agent
(`compiler.step_matching`), and `drillbook scenario update` can move the key there.
"""

from __future__ import annotations

from dataclasses import dataclass

from compiler.diagnostics import Diagnostic
from compiler.model import Span, Step
from compiler.simulate.index import WorkflowIndex
from compiler.simulate.rules import scenario_step_changed
from compiler.simulate.scenario import LoadedScenario, StepScript
from compiler.step_matching import StepIdentity, StepMatch, find_step, same_step, step_identities


@dataclass(frozen=True)
class KeyReview:
    """One step key whose recorded step is not the step at that id now."""

    key: str
    written_for: StepIdentity
    now_at_key: StepIdentity | None  # None: the id no longer exists
    match: StepMatch | None  # the step that now matches by title/agent

    @property
    def target(self) -> str | None:
        """The id the key should have now (None: no step matches)."""
        return self.match.step.id if self.match else None


def identity_fields(step: Step) -> dict[str, str]:
    """The fields a generated scenario writes beside a step's script to record which step it
    was written for (`title`, and `agent` when the step has one)."""
    fields = {"title": step.title}
    if step.agent:
        fields["agent"] = step.agent
    return fields


def describe(step: StepIdentity) -> str:
    return f"{step.title!r} ({step.agent or 'no agent'})"


def review_key(key: str, script: StepScript, index: WorkflowIndex) -> KeyReview | None:
    """A review of `key` when its recorded title/agent do not fit the step at `key`."""
    if script.title is None and script.agent is None:
        return None  # written before steps were recorded: nothing to check against
    steps = step_identities(index.workflow)
    by_id = {step.id: step for step in steps}
    current = by_id.get(key)
    written_for = StepIdentity(
        key,
        script.title if script.title is not None else (current.title if current else ""),
        script.agent,
        index.step_order.get(key),
    )
    if current is not None and same_step(written_for, current):
        return None
    return KeyReview(key, written_for, current, find_step(written_for, steps))


def review_message(review: KeyReview) -> str:
    """What WF506 (or the unknown-key error) says about a review."""
    written = f"written for {describe(review.written_for)}"
    if review.now_at_key is None:
        now = f"{review.key} no longer exists"
    else:
        now = f"{review.key} is now {describe(review.now_at_key)}"
    if review.match is None:
        return (
            f"{written}, but {now} and no step matches by title or agent; check the script "
            "against the new step, or remove the key"
        )
    found = review.match.step
    if found.id == review.key:
        return (
            f"{written}, but {now} (same step by {review.match.how}); "
            "`drillbook scenario update` records its new title and agent"
        )
    applies = " (the script still applies to it)" if review.now_at_key is not None else ""
    return (
        f"{written}, but {now}{applies}; the step that matches by {review.match.how} is "
        f"{found.id}: `drillbook scenario update` moves the key there"
    )


def changed_step_warnings(
    loaded: LoadedScenario | None, index: WorkflowIndex, span_of: dict[str, Span]
) -> list[Diagnostic]:
    """WF506 for every step key (present in the document) whose step changed."""
    if loaded is None:
        return []
    warnings = []
    for key, script in loaded.scenario.steps.items():
        if key not in index.steps:
            continue  # an unknown id is an error, reported by the binder
        review = review_key(key, script, index)
        if review is not None:
            warnings.append(
                scenario_step_changed(loaded.file, span_of[key], key, review_message(review))
            )
    return warnings
