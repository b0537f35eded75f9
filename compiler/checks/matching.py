"""Which producers a reference names (DESIGN §4), before asking whether they run in time.

Stages, first hit wins: a pointer written in prose ("from step 2", "previous phase");
the exact normalised item name; token containment; a container title (`[Branch A
results]`, `[impact assessment]`); an aggregate (`[all investigation results]`); the loose
"every word is among one step's outputs" match; inputs, variables and files by their own
rules. What matches nothing may still come with a "did you mean" hint from a near miss.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Literal, NamedTuple

from compiler.checks.index import Container, Produced, WorkflowIndex
from compiler.checks.names import (
    FUZZY_RATIO,
    content_tokens,
    has_aggregate_marker,
    normalise,
    quote,
    similarity_from,
    title_tokens,
    words,
)
from compiler.checks.pointers import PointerMatching
from compiler.graph import ControlGraph
from compiler.model import Reference
from compiler.regex import LazyPattern

Confidence = Literal["exact", "tokens", "title", "aggregate", "input", "file", "fuzzy"]

_LABELLED = LazyPattern(
    r"\b(?P<kind>branch|path|option|route|track|stream|lane)\s+(?P<label>[a-z0-9]{1,2})\b",
    re.IGNORECASE,
)
_ALL_UPSTREAM = LazyPattern(
    r"^\s*(?:all|every|combined|selected|chosen)\s+(?:\w+\s+)?"
    r"(?:outputs?|results?|findings|reports?)\b",
    re.IGNORECASE,
)
_VARIABLE = LazyPattern(r"\$(?P<name>[A-Z][A-Z0-9_]{1,40})\b")
_TEMPLATE_PHASE = LazyPattern(r"^(?:phase|stage|step)[-_]?(?P<n>\d+)$", re.IGNORECASE)


class Match(NamedTuple):
    """What a reference names. `producers` are step ids in document order; `external` means
    it names something from outside the workflow (an input, a file no step writes)."""

    confidence: Confidence | None
    producers: tuple[str, ...] = ()
    items: tuple[Produced, ...] = ()
    external: bool = False
    ambiguous: bool = False
    hint: str | None = None
    pointer: bool = False  # named by position in prose ("from step 2")
    #: the text a "did you mean" proposes instead of the reference's (an item name, a path)
    suggestion: str | None = None


class Matcher(PointerMatching):
    def __init__(self, index: WorkflowIndex, graph: ControlGraph) -> None:
        self.index = index
        self.graph = graph
        self.inputs = {ref.text.lstrip("$").upper() for ref in index.workflow.inputs}
        self.inputs.add("ARGUMENTS")
        self._step_bags: list[tuple[str, list[Produced], frozenset[str]]] | None = None

    # --- entry point -------------------------------------------------------------------

    def match(self, consumer: str, reference: Reference) -> Match:
        if reference.kind == "variable":
            return self._variable(consumer, reference.text)
        if reference.kind == "file":
            return self._file(consumer, reference.text)
        if reference.kind == "template":
            return self._template(consumer, reference.text)
        return self._name(consumer, reference.text)

    # --- names ---------------------------------------------------------------------------

    def _name(self, consumer: str, text: str) -> Match:
        pointed = self._pointer(consumer, text)
        if pointed is not None:
            if not pointed.steps:
                return Match(None, hint=pointed.hint)
            named = self._steps("title", list(pointed.steps))
            return Match(named.confidence, named.producers, named.items, pointer=True)
        candidates = [p for p in self.index.produced if p.step_id != consumer]
        key = normalise(text)
        exact = [p for p in candidates if p.key == key]
        if exact:
            return self._found("exact", exact)
        tokens = content_tokens(text)
        if tokens:
            contained = self._contained(tokens, candidates)
            if contained:
                return contained
        titled = self._titled(consumer, text)
        if titled is not None:
            return titled
        if _ALL_UPSTREAM.match(text) or not tokens:
            # "[all results]", "[previous output]" with nothing more specific: everything
            # that ran before.
            return self._steps("aggregate", self._upstream(consumer))
        variable = _VARIABLE.search(text)
        if variable:
            return self._variable(consumer, variable.group(0))
        loose = self._loose(consumer, tokens)
        if loose is not None:
            return loose
        return self._near_miss(consumer, text)

    def _contained(self, tokens: frozenset[str], candidates: list[Produced]) -> Match | None:
        scored: list[tuple[float, Produced]] = []
        for produced in candidates:
            if not produced.tokens:
                continue
            if tokens <= produced.tokens or (
                len(produced.tokens) >= 2 and produced.tokens <= tokens
            ):
                overlap = len(tokens & produced.tokens) / len(tokens | produced.tokens)
                scored.append((overlap, produced))
        if not scored:
            return None
        best = max(score for score, _ in scored)
        chosen = [produced for score, produced in scored if score == best]
        match = self._found("tokens", chosen)
        if self._unrelated(chosen):
            names = ", ".join(
                f"{quote(p.item.name)} ({p.step_id}, line {p.item.span.line})" for p in chosen
            )
            return Match(
                "tokens",
                match.producers,
                match.items,
                ambiguous=True,
                hint=f"matches {names} equally well; name the one you mean",
            )
        return match

    def _unrelated(self, chosen: list[Produced]) -> bool:
        """Several different items from steps that are not alternatives of one decision."""
        if len({p.key for p in chosen}) < 2:
            return False
        steps = sorted({p.step_id for p in chosen}, key=lambda s: self.index.steps[s].order)
        if len(steps) < 2:
            return True
        first = steps[0]
        return not all(self.index.exclusive_path(first, other) for other in steps[1:])

    def _titled(self, consumer: str, text: str) -> Match | None:
        own = set(self.index.steps[consumer].containers)
        labelled = self._labelled(consumer, text)
        if labelled:
            return self._steps("title", labelled)
        tokens = title_tokens(text)
        if not tokens:
            return self._structural(consumer, text)
        scored: list[tuple[float, list[str]]] = []
        for container in self.index.containers.values():
            if container.id in own or not container.step_ids:
                continue
            if tokens <= container.tokens:
                scored.append((len(tokens) / len(container.tokens), container.step_ids))
        for step_id, info in self.index.steps.items():
            step_tokens = title_tokens(info.step.title)
            if step_id != consumer and step_tokens and tokens <= step_tokens:
                scored.append((len(tokens) / len(step_tokens), [step_id]))
        if not scored:
            return self._structural(consumer, text)
        if has_aggregate_marker(text):
            chosen = [step for _, steps in scored for step in steps]
        else:
            best = max(score for score, _ in scored)
            chosen = [step for score, steps in scored if score == best for step in steps]
        chosen = [step for step in chosen if step != consumer]
        if not chosen:
            return None
        multiple = len(set(chosen)) > 1 or has_aggregate_marker(text)
        return self._steps("aggregate" if multiple else "title", chosen)

    def _labelled(self, consumer: str, text: str) -> list[str]:
        """`[Branch A results]`, `[Path B output]`: the nearest container with that label."""
        found: list[str] = []
        for match in _LABELLED.finditer(text):
            kind = "branch" if match.group("kind").lower() != "path" else "path"
            label = match.group("label").lower()
            options = [
                c
                for c in self.index.containers.values()
                if c.kind in (kind, "branch" if kind == "path" else "path")
                and (c.label or "").lower() == label
                and c.step_ids
            ]
            chosen = self._nearest(consumer, options)
            if chosen is not None:
                found.extend(chosen.step_ids)
        return found

    def _structural(self, consumer: str, text: str) -> Match | None:
        """`[selected path results]`, `[branch outputs]`: the nearest decision or parallel
        block before the consumer."""
        said = set(words(text))
        if said & {"path", "paths", "option", "options", "route", "routes"}:
            kind = "decision"
        elif said & {"branch", "branches", "parallel"}:
            kind = "parallel"
        else:
            return None
        own = set(self.index.steps[consumer].containers)
        options = [
            c
            for c in self.index.containers.values()
            if c.kind == kind and c.step_ids and c.id not in own
        ]
        chosen = self._nearest(consumer, options)
        if chosen is None:
            return None
        return self._steps("aggregate", list(chosen.step_ids))

    def _nearest(self, consumer: str, options: list[Container]) -> Container | None:
        if not options:
            return None
        order = self.index.steps[consumer].order
        before = [c for c in options if self.index.steps[c.step_ids[0]].order < order]
        if before:
            return max(before, key=lambda c: self.index.steps[c.step_ids[0]].order)
        return options[0]

    def _loose(self, consumer: str, tokens: frozenset[str]) -> Match | None:
        """Every word of the reference is among one step's outputs and title: the author
        names that step's work in their own words (low confidence)."""
        if len(tokens) < 2:
            return None
        chosen: list[Produced] = []
        for step_id, items, bag in self._bags():
            if step_id != consumer and items and tokens <= bag:
                chosen.extend(p for p in items if p.tokens & tokens)
        if not chosen:
            return None
        match = self._found("fuzzy", chosen)
        names = ", ".join(quote(p.item.name) for p in chosen[:4])
        return Match("fuzzy", match.producers, match.items, hint=f"read loosely as {names}")

    def _bags(self) -> list[tuple[str, list[Produced], frozenset[str]]]:
        """Per step: its items, and every word of its title and items. The same for every
        reference `_loose` reads, so worked out on the first (it walked every step's items
        for each reference)."""
        if self._step_bags is None:
            items: dict[str, list[Produced]] = {step_id: [] for step_id in self.index.steps}
            for produced in self.index.produced:
                items.setdefault(produced.step_id, []).append(produced)
            self._step_bags = [
                (
                    step_id,
                    items[step_id],
                    title_tokens(info.step.title).union(*(p.tokens for p in items[step_id])),
                )
                for step_id, info in self.index.steps.items()
            ]
        return self._step_bags

    def _near_miss(self, consumer: str, text: str) -> Match:
        """Nothing matched: a near miss to propose, the closest item to mention, or neither."""
        best: tuple[float, str, str] | None = None
        for produced in self.index.produced:
            if produced.step_id == consumer:
                continue
            # a pair that cannot reach FUZZY_RATIO scores 0: below the cutoff, which of
            # them scores best makes no difference
            ratio = similarity_from(text, produced.item.name, FUZZY_RATIO)
            if best is None or ratio > best[0]:
                best = (ratio, produced.item.name, produced.step_id)
        if best is not None and best[0] >= FUZZY_RATIO:
            return Match(
                None, hint=f"did you mean {quote(best[1])} ({best[2]})?", suggestion=best[1]
            )
        tokens = content_tokens(text)
        closest: tuple[float, int, Produced] | None = None
        for produced in self.index.produced:
            if produced.step_id == consumer or not tokens or not produced.tokens:
                continue
            overlap = len(tokens & produced.tokens) / len(tokens | produced.tokens)
            candidate = (overlap, -produced.order, produced)
            if overlap >= 0.5 and (closest is None or candidate[:2] > closest[:2]):
                closest = candidate
        if closest is not None:
            item = closest[2]
            return Match(
                None, hint=f"closest produced item: {quote(item.item.name)} ({item.step_id})"
            )
        return Match(None)

    # --- variables, files, templates ---------------------------------------------------

    def _variable(self, consumer: str, text: str) -> Match:
        name = text.strip().lstrip("$").upper()
        if name in self.inputs:
            return Match("input", external=True)
        produced = [
            p
            for p in self.index.produced
            if p.step_id != consumer and normalise(p.item.name) == normalise(name)
        ]
        if produced:
            return self._found("exact", produced)
        # A variable the prose never defines is most often set by the coordinator or the
        # environment; it is reported only when it is a near miss of one that is defined.
        for known in sorted(self.inputs):
            if similarity_from(name, known, FUZZY_RATIO) >= FUZZY_RATIO:
                return Match(None, hint=f"did you mean ${known}?")
        return Match(None, external=True)

    def _file(self, consumer: str, text: str) -> Match:
        path = _clean_path(text)
        saved = [p for p in self.index.produced if p.item.kind == "file" and p.step_id != consumer]
        same = [p for p in saved if _same_file(_clean_path(p.item.name), path)]
        if same:
            return self._found("file", same)
        loaded = self.index.workflow.loaded_files
        if any(_same_file(_clean_path(ref.text), path) for ref in loaded):
            return Match("file", external=True)  # the coordinator loads it before any step
        near = sorted(
            {
                _clean_path(p.item.name)
                for p in saved
                if similarity_from(path, p.item.name, 0.9) >= 0.9
                and _extension(p.item.name) == _extension(path)
            }
        )
        if near:
            return Match(None, hint=f"did you mean `{near[0]}`?", suggestion=near[0])
        folder = _folder(path)
        own = sorted({_folder(_clean_path(p.item.name)) for p in saved} - {""})
        written = {_clean_path(ref.text) for ref in self.index.workflow.written_files}
        # a step that writes "ROADMAP.md", no folder said, may well write this one
        written |= {name for name in (_clean_path(p.item.name) for p in saved) if "/" not in name}
        if (
            folder
            and folder in own
            and path not in written
            and path.rsplit("/", 1)[-1] not in written
            and not _PLACEHOLDER.search(path)
        ):
            # The workflow's own working folder: its files are what its steps write.
            return Match(
                None,
                hint=f"steps save their work in `{folder}/`, but none writes this file: save "
                "it in an earlier step, or read one that is written",
            )
        # Files no step writes come from the repository, the user or the coordinator.
        return Match("file", external=True)

    def _template(self, consumer: str, text: str) -> Match:
        """`{phase1.output}`, `{phase2.python-pro.output}`."""
        parts = text.strip("{}").split(".")
        numbered = _TEMPLATE_PHASE.match(parts[0])
        if not numbered:
            return Match(None, external=True)
        phase = self._phase_numbered(numbered.group("n"))
        if phase is None:
            return Match(None, hint=f"the workflow has no phase {numbered.group('n')}")
        steps = list(phase.step_ids)
        if len(parts) > 2:
            agent = parts[1].lower()
            by_agent = [s for s in steps if _agent_matches(self.index.steps[s].step.agent, agent)]
            if not by_agent:
                return Match(None, hint=f"no step of {phase.id} runs agent '{parts[1]}'")
            steps = by_agent
        return self._steps("aggregate" if len(steps) > 1 else "title", steps)

    # --- building matches ----------------------------------------------------------------

    def _found(self, confidence: Confidence, produced: list[Produced]) -> Match:
        ordered = sorted(produced, key=lambda p: (p.order, p.item.span.line, p.item.span.column))
        producers = tuple(dict.fromkeys(p.step_id for p in ordered))
        return Match(confidence, producers, tuple(ordered))

    def _steps(self, confidence: Confidence, step_ids: list[str]) -> Match:
        named = set(step_ids)
        unique = sorted(named, key=lambda s: self.index.steps[s].order)
        items = [p for p in self.index.produced if p.step_id in named]
        return Match(confidence, tuple(unique), tuple(items))


_PLACEHOLDER = LazyPattern(r"[{}<>\[\]*$]")


def _same_file(written: str, read: str) -> bool:
    """The same path, or paths equal once their placeholders (`{id}`, `<name>`, `[NN]`,
    `$VAR`, `*`) stand for any text: `.agents/{date}-judge-1.md` is `.agents/*-judge-1.md`."""
    if written == read:
        return True
    if not (_PLACEHOLDER.search(written) or _PLACEHOLDER.search(read)):
        return False
    left, right = _as_glob(written), _as_glob(read)
    return fnmatch.fnmatchcase(read, left) or fnmatch.fnmatchcase(written, right)


def _as_glob(path: str) -> str:
    glob = re.sub(r"\{[^{}]*\}|<[^<>]*>|\[[^\[\]]*\]|\$\{?\w+\}?", "*", path)
    return re.sub(r"\*+", "*", glob)


def _extension(path: str) -> str:
    return path.rsplit(".", 1)[-1].lower() if "." in path else ""


def _folder(path: str) -> str:
    """The folder of a path (`.dir/01-x.md` → `.dir`), "" for a bare file name."""
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _clean_path(text: str) -> str:
    path = text.strip().strip("`'\"")
    while path.startswith("./"):
        path = path[2:]
    return path


def _agent_matches(agent: str | None, wanted: str) -> bool:
    if agent is None:
        return False
    name = agent.lower()
    return name == wanted or re.split(r"::?", name)[-1] == wanted or name.endswith(wanted)
