"""`drillbook scenario update`: move a scenario's step keys to where their steps are now.

Each step key whose recorded `title`/`agent` no longer fits the step at that id is moved to
the step that matches by title and agent (`compiler.simulate.step_keys`), and its recorded
title and agent are brought up to date. The file is edited as text at the positions the
loader recorded, so comments, order and layout stay as the author wrote them. A key that no
step matches, or that would land on a key the file already has, is left alone and reported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from compiler.diagnostics import Diagnostic
from compiler.model import Span, Workflow
from compiler.simulate.index import WorkflowIndex, index_workflow
from compiler.simulate.loader import LocatedData, Path, Position
from compiler.simulate.rules import scenario_step_changed
from compiler.simulate.scenario import parse_scenario
from compiler.simulate.step_keys import (
    KeyReview,
    describe,
    identity_fields,
    review_key,
    review_message,
)
from compiler.simulate.yaml_text import flow
from compiler.step_matching import StepIdentity

IDENTITY_KEYS = ("title", "agent")


@dataclass
class ScenarioUpdate:
    text: str
    changes: list[str] = field(default_factory=list)  # `file:line:col: what changed`
    left: list[Diagnostic] = field(default_factory=list)  # keys that could not be moved


def update_scenario(text: str, file: str, workflow: Workflow) -> ScenarioUpdate:
    """`text` (a scenario for `workflow`) with its step keys moved; ScenarioError when the
    file is not a valid scenario."""
    loaded = parse_scenario(text, file)
    index = index_workflow(workflow)
    source = loaded.source
    reviews = [
        review
        for key, script in loaded.scenario.steps.items()
        if (review := review_key(key, script, index)) is not None
    ]
    result = ScenarioUpdate(text)
    final = {key: key for key in loaded.scenario.steps}
    for review in reviews:
        if review.target is not None:
            final[review.key] = review.target
    landing = Counter(final.values())
    edits: list[tuple[Position, str]] = []
    for review in reviews:
        where = _span(source.positions[("steps", review.key)])
        if review.target is None:
            result.left.append(
                scenario_step_changed(file, where, review.key, review_message(review))
            )
            continue
        if landing[review.target] > 1:
            message = (
                f"{review_message(review)}; but the scenario already has a script for "
                f"{review.target}: merge the two by hand"
            )
            result.left.append(scenario_step_changed(file, where, review.key, message))
            continue
        edits.extend(_edits(source, review, index))
        result.changes.append(_change(file, where, review, index))
    result.text = _apply(text, edits)
    if edits:
        parse_scenario(result.text, file)  # the edit must leave a valid scenario
    return result


def _change(file: str, where: Span, review: KeyReview, index: WorkflowIndex) -> str:
    assert review.target is not None
    step = index.steps[review.target]
    now = describe(StepIdentity(step.id, step.title, step.agent))
    if review.target == review.key:
        what = f"steps.{review.key}: recorded step updated to {now}"
    else:
        what = f"steps.{review.key} → {review.target} {now}"
    return f"{file}:{where.line}:{where.column}: {what}"


def _edits(
    source: LocatedData, review: KeyReview, index: WorkflowIndex
) -> list[tuple[Position, str]]:
    assert review.target is not None
    path: Path = ("steps", review.key)
    fields = identity_fields(index.steps[review.target])
    edits = []
    if review.target != review.key:
        edits.append((source.positions[path], flow(review.target)))
    value = source.values[path]
    script: dict[str, Any] = source.value["steps"][review.key]
    if value.line == value.end_line:
        # a one-line mapping (what drillbook writes): write it again with the new fields
        updated = {k: v for k, v in script.items() if k not in IDENTITY_KEYS} | fields
        edits.append((value, flow(updated)))
        return edits
    # a block mapping: rewrite the recorded values where they are; a missing one goes on a
    # new line below the other (title and agent stay together), else above the first key
    recorded = [source.positions[(*path, name)] for name in IDENTITY_KEYS if name in script]
    children = [source.positions[(*path, key)] for key in script]
    anchor = min(children, key=lambda p: (p.line, p.column))
    line = recorded[0].line + 1 if recorded else anchor.line
    indent = " " * (anchor.column - 1)
    for name in IDENTITY_KEYS:
        new = fields.get(name)
        if name in script:
            edits.append((source.values[(*path, name)], flow(new)))
        elif new is not None:
            edits.append((Position(line, 1, line, 1), f"{indent}{name}: {flow(new)}\n"))
    return edits


def _apply(text: str, edits: list[tuple[Position, str]]) -> str:
    """`text` with each (position, replacement) applied, from the end backwards so that
    earlier positions stay valid."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    ordered = sorted(edits, key=lambda e: (e[0].line, e[0].column), reverse=True)
    for position, replacement in ordered:
        begin = offset(position.line, position.column)
        end = offset(position.end_line, position.end_column)
        text = text[:begin] + replacement + text[end:]
    return text


def _span(position: Position) -> Span:
    return Span(
        line=position.line,
        column=position.column,
        end_line=position.end_line,
        end_column=position.end_column,
    )
