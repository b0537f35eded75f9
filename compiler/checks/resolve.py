"""Reference resolution (DESIGN §4): which step produces what each step consumes, and
whether it has run by the time the consumer starts.

`matching` finds the producers a reference names; this module judges them on the control
graph, ignoring loop back edges:

- a producer runs before the consumer on every path → "resolved";
- only on some decision paths, or only when an optional step runs → "maybe", with a
  witness (the decision path, or the optional step, on which the item is missing);
- the only producers are sibling branches of the same parallel block → "parallel-race";
- the only producers come later → "later" (later in the same loop body → "maybe": the
  first pass misses it);
- nothing matches, or only a step on a mutually exclusive decision path → "unresolved";
- a workflow input, or a file no step writes → "resolved" (input) / "external".

Loose matches ("fuzzy") that are not available are reported as unresolved with a hint
rather than as a race or an ordering error: a guess is never presented as a fact.
"""

from __future__ import annotations

import itertools
from collections import deque
from typing import Literal, NamedTuple

from compiler.checks.index import WorkflowIndex, build_index
from compiler.checks.matching import Confidence, Match, Matcher
from compiler.checks.names import quote
from compiler.graph import START, ControlGraph, forward_graph
from compiler.model import Reference, Workflow

#: `Context:` items of the commands dialect are free prose ("Severity level from step 1");
#: so are `Dependencies:`/`Prerequisite:` lines; `Input:` items (docs-site) name produced
#: items and are exact.
PROSE_KINDS = frozenset({"context", "dependency"})

Status = Literal[
    "resolved", "maybe", "parallel-race", "later", "unresolved", "ambiguous", "external"
]


class Resolution(NamedTuple):
    consumer: str  # step id
    reference: Reference
    status: Status
    producers: tuple[str, ...]  # step ids, document order
    items: tuple[str, ...]  # produced item names (or file paths) it matched
    confidence: Confidence | None
    witness: str | None  # for "maybe": a decision path id (or optional step / loop id)
    hint: str | None  # "did you mean …" text


class Resolved(NamedTuple):
    """A resolution with the match behind it (the rules need item spans)."""

    resolution: Resolution
    match: Match


def resolve_workflow(workflow: Workflow) -> list[Resolution]:
    """Every consumed reference of every step, consumers in document order."""
    index = build_index(workflow)
    graph = forward_graph(workflow)
    return [entry.resolution for entry in resolve_indexed(index, graph)]


def resolve_indexed(index: WorkflowIndex, forward: ControlGraph) -> list[Resolved]:
    matcher = Matcher(index, forward)
    judge = _Judge(index, forward)
    resolved: list[Resolved] = []
    for step_id, info in index.steps.items():
        for reference in info.step.consumes:
            match = matcher.match(step_id, reference)
            resolved.append(Resolved(judge.judge(step_id, reference, match), match))
    return resolved


def _reach(edges: dict[str, list[str]], node: str) -> set[str]:
    """Every node reachable from `node` along `edges` (not `node` itself)."""
    seen: set[str] = set()
    stack = list(edges.get(node, ()))
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(edges[current])
    return seen


class _Verdict(NamedTuple):
    status: Status
    producers: tuple[str, ...] = ()
    witness: str | None = None
    hint: str | None = None


class _Judge:
    def __init__(self, index: WorkflowIndex, forward: ControlGraph) -> None:
        self.index = index
        self.forward = forward
        # Plain adjacency lists: every reference asks reachability questions, and walking
        # dicts of lists is cheaper than calling the graph's iterators each time.
        self.succ: dict[str, list[str]] = {n: list(forward.successors(n)) for n in forward}
        self.pred: dict[str, list[str]] = {n: list(forward.predecessors(n)) for n in forward}
        self._ancestors: dict[str, set[str]] = {}
        self._descendants: dict[str, set[str]] = {}

    def ancestors(self, node: str) -> set[str]:
        if node not in self._ancestors:
            self._ancestors[node] = _reach(self.pred, node)
        return self._ancestors[node]

    def descendants(self, node: str) -> set[str]:
        if node not in self._descendants:
            self._descendants[node] = _reach(self.succ, node)
        return self._descendants[node]

    def judge(self, consumer: str, reference: Reference, match: Match) -> Resolution:
        verdict = self._verdict(consumer, reference, match)
        keep = set(verdict.producers)
        items = tuple(dict.fromkeys(p.item.name for p in match.items if p.step_id in keep))
        if not items:
            items = tuple(dict.fromkeys(p.item.name for p in match.items))
        return Resolution(
            consumer,
            reference,
            verdict.status,
            verdict.producers,
            items,
            match.confidence,
            verdict.witness,
            verdict.hint,
        )

    def _verdict(self, consumer: str, reference: Reference, match: Match) -> _Verdict:
        if match.confidence is None:
            return _Verdict("external" if match.external else "unresolved", hint=match.hint)
        if not match.producers:
            external = match.external and match.confidence != "input"
            return _Verdict("external" if external else "resolved", hint=match.hint)
        ancestors = self.ancestors(consumer)
        before = tuple(p for p in match.producers if p in ancestors)
        prose = reference.kind in PROSE_KINDS and not match.pointer
        if before:
            return self._available(consumer, match, before, prose)
        return self._unavailable(consumer, match, prose)

    def _available(
        self, consumer: str, match: Match, before: tuple[str, ...], prose: bool
    ) -> _Verdict:
        route = self._route_avoiding(consumer, self._blocking(consumer, before))
        if route is None:
            required = tuple(p for p in before if not self.index.steps[p].step.optional)
            fine: Status = "ambiguous" if match.ambiguous and not prose else "resolved"
            if match.confidence == "fuzzy" or (
                required
                and self._route_avoiding(consumer, self._blocking(consumer, required)) is None
            ):
                return _Verdict(fine, before, hint=match.hint)
            optional = next(p for p in before if self.index.steps[p].step.optional)
            return _Verdict("maybe", before, witness=optional, hint=match.hint)
        if match.confidence == "fuzzy":
            return _Verdict("unresolved", hint=match.hint)
        return _Verdict("maybe", before, witness=self._witness(route, before), hint=match.hint)

    def _unavailable(self, consumer: str, match: Match, prose: bool) -> _Verdict:
        producers = match.producers
        siblings = tuple(p for p in producers if self.index.sibling_branch(consumer, p))
        later = tuple(p for p in producers if p in self.descendants(consumer))
        looped = tuple(p for p in later if self.index.shared_loop(consumer, p))
        exclusive = tuple(p for p in producers if self.index.exclusive_path(consumer, p))
        if siblings and match.confidence == "exact":
            # `Context: monitoring analysis` naming a sibling branch's output exactly is as
            # much a race as a bracketed reference: the item is still being written.
            return _Verdict("parallel-race", siblings, hint=match.hint)
        if match.confidence == "fuzzy" or prose:
            # A loose match, or prose naming something only a later or concurrent step
            # produces (`Context: monitoring dashboards` — the team's, not step 8's): a
            # guess, so it is never presented as an ordering error.
            why = (
                "runs in parallel with this step"
                if siblings
                else "runs later"
                if later
                else "never runs on the same path"
            )
            names = ", ".join(quote(n) for n in dict.fromkeys(p.item.name for p in match.items))
            where = ", ".join((siblings or later or producers)[:2])
            return _Verdict("unresolved", hint=f"the closest match, {names} ({where}), {why}")
        if siblings:
            return _Verdict("parallel-race", siblings, hint=match.hint)
        if looped and len(looped) == len(later):
            loop = self.index.shared_loop(consumer, looped[0])
            return _Verdict("maybe", looped, witness=loop, hint=match.hint)
        if later:
            return _Verdict("later", later, hint=match.hint)
        if exclusive:
            decision = self.index.exclusive_path(consumer, exclusive[0])
            paths = sorted(
                {
                    m.member or ""
                    for p in exclusive
                    for m in self.index.steps[p].memberships
                    if m.block == decision
                }
            )
            hint = f"only produced on {', '.join(paths)}, which never runs with this step's path"
            return _Verdict("unresolved", exclusive, hint=hint)
        return _Verdict("unresolved", producers, hint=match.hint)

    def _blocking(self, consumer: str, producers: tuple[str, ...]) -> set[str]:
        """The nodes that, when passed, guarantee a producer ran. Every branch of a parallel
        block runs, so a producer in a branch the consumer is outside of counts as the
        block's join (unless it sits on a decision path or is optional within the branch)."""
        inside = {m.block for m in self.index.steps[consumer].memberships}
        blocking: set[str] = set()
        for producer in producers:
            node = producer
            for membership in reversed(self.index.steps[producer].memberships):
                if membership.kind == "decision" or membership.block in inside:
                    break
                if membership.kind == "parallel":
                    node = f"{membership.block}/join"
            blocking.add(node)
        return blocking

    def _route_avoiding(self, consumer: str, blocked: set[str]) -> list[str] | None:
        """A path start → consumer that passes through no blocked node (None when every
        path is blocked, i.e. the blocked producers dominate the consumer)."""
        if consumer not in self.forward:
            return None
        parents: dict[str, str | None] = {START: None}
        queue = deque([START])
        while queue:
            node = queue.popleft()
            if node == consumer:
                route = [node]
                while parents[route[-1]] is not None:
                    route.append(parents[route[-1]])  # type: ignore[arg-type]
                return list(reversed(route))
            for successor in self.succ[node]:
                if successor not in parents and successor not in blocked:
                    parents[successor] = node
                    queue.append(successor)
        return None

    def _witness(self, route: list[str], producers: tuple[str, ...]) -> str | None:
        """The decision path along `route` on which the item is missing: preferably one of
        a decision whose other paths do produce it."""
        producing = {
            m.block
            for p in producers
            for m in self.index.steps[p].memberships
            if m.kind == "decision"
        }
        taken: list[tuple[str, str]] = []
        for source, target in itertools.pairwise(route):
            path = self.forward.edge(source, target).get("path")
            if path:
                taken.append((source, path))
        for decision, path in taken:
            if decision in producing:
                return path
        return taken[-1][1] if taken else None
