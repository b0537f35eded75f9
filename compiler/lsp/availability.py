"""Which produced items a step could name, judged the way lint would judge the reference.

Completion offers items before they are written; each candidate is resolved as if the
step already named it exactly, with the checks' own matcher and judge, so an item offered
as "available on every path" is one lint will not flag.
"""

from __future__ import annotations

from dataclasses import dataclass

from compiler.checks.facts import WorkflowFacts
from compiler.checks.index import Produced
from compiler.checks.matching import Matcher

# The judge is the resolver's own verdict logic (DESIGN §4); completion must agree with it
# exactly, so it is reused rather than re-derived.
from compiler.checks.resolve import Status, _Judge
from compiler.model import Reference

#: Verdicts worth offering, best first: everywhere, then on some runs only.
OFFERED: dict[Status, int] = {"resolved": 0, "ambiguous": 0, "maybe": 1}


@dataclass(frozen=True)
class Candidate:
    produced: Produced
    status: Status
    witness: str | None
    rank: int  # 0: available on every path; 1: only on some runs


def available_items(wf: WorkflowFacts, consumer: str) -> list[Candidate]:
    """Items produced upstream of `consumer` that an exact reference would reach, every
    path first, then document order; one candidate per item name."""
    matcher = Matcher(wf.index, wf.forward)
    judge = _Judge(wf.index, wf.forward)
    seen: set[str] = set()
    found: list[Candidate] = []
    for produced in wf.index.produced:
        if produced.step_id == consumer or produced.key in seen or not produced.key:
            continue
        seen.add(produced.key)
        reference = Reference(text=produced.item.name, kind="input", span=produced.item.span)
        match = matcher.match(consumer, reference)
        resolution = judge.judge(consumer, reference, match)
        if resolution.status not in OFFERED:
            continue
        rank = OFFERED[resolution.status]
        found.append(Candidate(produced, resolution.status, resolution.witness, rank))
    return sorted(found, key=lambda c: (c.rank, c.produced.order, c.produced.item.span.line))
