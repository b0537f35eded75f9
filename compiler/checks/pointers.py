"""Prose that names its producer by position: "from step 2", "Phase 1 results",
"phases 1-3", "previous step", "previous phase". Shared by the matcher as a mixin."""

from __future__ import annotations

import re
from typing import NamedTuple

from compiler.checks.index import Container, WorkflowIndex
from compiler.graph import ControlGraph
from compiler.regex import LazyPattern

_RANGE = r"(?:\s*(?:-|–|to|through|and|&|,)\s*(?P<last>\d+))?"
_STEP_NUMBER = LazyPattern(r"\bsteps?\s+(?P<first>\d+(?:\.\d+)*[a-z]?)\b" + _RANGE, re.I)
_PHASE_NUMBER = LazyPattern(r"\b(?:phases?|stages?)\s+(?P<first>\d+)\b" + _RANGE, re.I)
_PREVIOUS = LazyPattern(
    r"\b(?:previous|prior|preceding|last|above|earlier)\s+(?P<what>steps?|phases?|stages?|"
    r"agents?|outputs?|results?|findings|analysis|analyses|work|responses?|reports?)\b",
    re.IGNORECASE,
)


def is_pointer(text: str) -> bool:
    """Does the text name its producer by position ("from step 2", "previous phase")?"""
    return bool(_STEP_NUMBER.search(text) or _PHASE_NUMBER.search(text) or _PREVIOUS.search(text))


class Pointed(NamedTuple):
    """The steps a positional phrase names (empty, with a hint, when it names none)."""

    steps: tuple[str, ...]
    hint: str | None


class PointerMatching:
    """Finding the steps a positional phrase points at (mixed into `Matcher`)."""

    index: WorkflowIndex
    graph: ControlGraph

    def _pointer(self, consumer: str, text: str) -> Pointed | None:
        """The steps `text` names by position, None when it names none that way."""
        steps: list[str] = []
        missing: list[str] = []
        for match in _STEP_NUMBER.finditer(text):
            for label in _expand(match.group("first"), match.group("last")):
                found = self._step_labelled(consumer, label)
                if found is None:
                    missing.append(f"step {label}")
                else:
                    steps.extend(self._alternatives(found))
        for match in _PHASE_NUMBER.finditer(text):
            for label in _expand(match.group("first"), match.group("last")):
                phase = self._phase_numbered(label)
                if phase is None:
                    missing.append(f"phase {label}")
                else:
                    steps.extend(phase.step_ids)
        previous = _PREVIOUS.search(text)
        if previous:
            what = previous.group("what").lower()
            if what.startswith(("phase", "stage")):
                steps.extend(self._previous_phase(consumer))
            else:
                steps.extend(self._upstream(consumer, nearest=True))
        if missing and not steps:
            return Pointed((), f"the workflow has no {', '.join(missing)}")
        if not steps and not previous:
            return None
        if not steps:
            return Pointed((), "no step runs before this one")
        return Pointed(tuple(s for s in steps if s != consumer), None)

    def _step_labelled(self, consumer: str, label: str) -> str | None:
        wanted = label.lower()
        order = self.index.steps[consumer].order
        phase = self.index.steps[consumer].phase.id
        matching = [
            info for info in self.index.steps.values() if (info.step.label or "").lower() == wanted
        ]
        if not matching:
            # Steps the document does not number (items of a numbered list carry no label)
            # are counted: "step 2" is then the second step of a list, or of the whole
            # workflow. A count is only drillbook's reading of the document, so it names
            # a step that runs before this one, never one beside it or after it ("[stack
            # question from step 4]" in the first of four researchers launched together is
            # the coordinator's own step 4, not the fourth researcher).
            upstream = set(self._upstream(consumer))
            matching = [
                info
                for info in self.index.steps.values()
                if info.step.id.rsplit("/", 1)[-1] == f"step-{wanted}" and info.step.id in upstream
            ]
            unlabelled = not any((i.step.label or "").isdigit() for i in self.index.steps.values())
            if not matching and wanted.isdigit() and unlabelled:
                ordered = list(self.index.steps.values())
                position = int(wanted)
                counted = ordered[position - 1].step.id if 0 < position <= len(ordered) else None
                return counted if counted in upstream else None
        if not matching:
            return None
        same_phase = [i for i in matching if i.phase.id == phase and i.order < order]
        before = [i for i in matching if i.order < order]
        chosen = (same_phase or before or matching)[-1 if (same_phase or before) else 0]
        return chosen.step.id

    def _alternatives(self, step_id: str) -> list[str]:
        """A numbered step on a decision path stands for the whole decision: "Step 3" is
        whichever alternative ran (backend or frontend executor, …)."""
        for membership in reversed(self.index.steps[step_id].memberships):
            if membership.kind == "decision":
                return list(self.index.containers[membership.block].step_ids)
        return [step_id]

    def _phase_numbered(self, label: str) -> Container | None:
        for container in self.index.containers.values():
            if container.kind == "phase" and (
                str(container.number) == label or (container.label or "").lower() == label
            ):
                return container
        return None

    def _previous_phase(self, consumer: str) -> list[str]:
        mine = self.index.steps[consumer].phase.id
        phases = [c for c in self.index.containers.values() if c.kind == "phase"]
        ids = [c.id for c in phases]
        position = ids.index(mine)
        for container in reversed(phases[:position]):
            if container.step_ids:
                return list(container.step_ids)
        return []

    def _upstream(self, consumer: str, nearest: bool = False) -> list[str]:
        """Steps that run before `consumer` (all of them, or only the nearest ones)."""
        if consumer not in self.graph:
            return []
        if not nearest:
            ancestors = self.graph.ancestors(consumer)
            return [s for s in self.index.steps if s in ancestors]
        found: list[str] = []
        frontier = list(self.graph.predecessors(consumer))
        seen: set[str] = set()
        while frontier:
            node = frontier.pop()
            if node in seen:
                continue
            seen.add(node)
            if node in self.index.steps:
                found.append(node)
            else:
                frontier.extend(self.graph.predecessors(node))
        return sorted(found, key=lambda s: self.index.steps[s].order)


def _expand(first: str, last: str | None) -> list[str]:
    if last is None or not first.isdigit():
        return [first.lower()]
    start, end = int(first), int(last)
    if end < start or end - start > 20:
        return [first]
    return [str(n) for n in range(start, end + 1)]
