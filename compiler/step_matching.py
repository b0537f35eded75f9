"""Which step of a workflow is "the same step" as one known from elsewhere (a scenario written
for an older version of the document, the other side of `drillbook diff`).

Ids are positions (`phase-3/branch-d`): a step moved, inserted before or replaced keeps no id.
What a person recognises a step by is its title and its agent, so a step is found again by
those, in this order: same title and agent; same title; same agent with a similar title; the
only step of that agent; a clearly similar title. Among equally good candidates the one
nearest the old position wins; a match that several steps share equally is no match.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from compiler.model import Step, Workflow, iter_blocks

#: Similar enough to be the same step renamed ("Log Analysis" → "Log & Error Analysis").
SIMILAR_WITH_AGENT = 0.6
SIMILAR_ALONE = 0.8

How = Literal["title and agent", "title", "agent and similar title", "agent", "similar title"]


@dataclass(frozen=True)
class StepIdentity:
    """What a step is known by: where it is (`id`), what it is called and who runs it."""

    id: str
    title: str
    agent: str | None = None
    position: int | None = None  # its place in document order, when known


@dataclass(frozen=True)
class StepMatch:
    step: StepIdentity
    how: How


def step_identities(workflow: Workflow) -> list[StepIdentity]:
    """Every step of `workflow`, in document order (a step that occurs twice counts once)."""
    found: dict[str, StepIdentity] = {}
    for phase in workflow.phases:
        for block in iter_blocks(phase.blocks):
            if isinstance(block, Step) and block.id not in found:
                found[block.id] = StepIdentity(block.id, block.title, block.agent, len(found))
    return list(found.values())


def same_step(known: StepIdentity, step: StepIdentity) -> bool:
    """Is `step` still the step `known` describes? Its title and (when both name one) agent."""
    agents_agree = known.agent is None or step.agent is None or known.agent == step.agent
    return _words(known.title) == _words(step.title) and agents_agree


def find_step(known: StepIdentity, steps: Iterable[StepIdentity]) -> StepMatch | None:
    """The step of `steps` that is `known`, by title and agent (see the module docstring)."""
    candidates = list(steps)
    title = _words(known.title)
    tiers: list[tuple[How, list[StepIdentity]]] = [
        (
            "title and agent",
            [s for s in candidates if _words(s.title) == title and _agent_is(known, s)],
        ),
        ("title", [s for s in candidates if _words(s.title) == title]),
        (
            "agent and similar title",
            [
                s
                for s in candidates
                if _agent_is(known, s) and _similarity(title, s.title) >= SIMILAR_WITH_AGENT
            ],
        ),
        ("agent", [s for s in candidates if _agent_is(known, s)]),
        ("similar title", [s for s in candidates if _similarity(title, s.title) >= SIMILAR_ALONE]),
    ]
    for how, found in tiers:
        if how == "agent" and len(found) != 1:
            continue  # an agent that runs several steps does not say which one
        best = _nearest(known, found)
        if best is not None:
            return StepMatch(best, how)
    return None


def _agent_is(known: StepIdentity, step: StepIdentity) -> bool:
    return known.agent is not None and known.agent == step.agent


def _nearest(known: StepIdentity, found: list[StepIdentity]) -> StepIdentity | None:
    """The candidate nearest `known`'s old position; None when two are equally near."""
    if len(found) <= 1:
        return found[0] if found else None
    if known.position is None:
        return None

    def distance(step: StepIdentity) -> int:
        return abs((step.position or 0) - (known.position or 0))

    ranked = sorted(found, key=distance)
    return ranked[0] if distance(ranked[0]) < distance(ranked[1]) else None


def _similarity(words: str, title: str) -> float:
    return difflib.SequenceMatcher(None, words, _words(title)).ratio()


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))
