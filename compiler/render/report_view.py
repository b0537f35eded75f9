"""View-models of the HTML report's body: phases, branches, paths and steps, prepared in Python
so the template only prints fields (DESIGN §9: presentation lives beside the templates, the
model keeps meaning only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compiler.model import (
    Block,
    Checkpoint,
    DecisionBlock,
    Field_,
    LoopBlock,
    ParallelBlock,
    Phase,
    Step,
    Workflow,
    condition_phrase,
)
from compiler.render import labels
from compiler.render.svg import safe_id
from compiler.render.text import clean

#: Step fields already shown in their own place on a step card.
_SHOWN_FIELDS = {
    "prompt",
    "output",
    "outputs",
    "expected output",
    "context for next phase",
    "context for parallel phases",
    "context for completion",
    "final context",
    "input",
    "inputs",
    "context",
    "context from previous",
    "dependencies",
    "subagent_type",
    "description",
    "model",
    "applicability",
}
#: Prompts longer than this many lines are shown in a scrolling box.
_LONG_PROMPT_LINES = 14

STATUS_TEXT = {
    "resolved": "resolved",
    "maybe": "maybe unavailable",
    "parallel-race": "parallel race",
    "later": "produced later",
    "unresolved": "unresolved",
    "ambiguous": "ambiguous",
    "external": "external",
}


def anchor(node: str) -> str:
    """The page anchor of a step or block (`phase-3/branch-a` → `s-phase-3--branch-a`)."""
    return f"s-{safe_id(node)}"


def phase_anchor(phase_id: str) -> str:
    """Phases have their own anchors: a docs-site phase and its only step share an id."""
    return f"p-{safe_id(phase_id)}"


@dataclass(frozen=True)
class Badge:
    text: str
    tone: str  # neutral, info, warn, error, ok


@dataclass(frozen=True)
class RefView:
    text: str
    kind: str
    status: str  # a STATUS_TEXT key, or "" when no resolution is known
    status_text: str
    detail: str  # producers or hint, as a sentence
    producers: tuple[tuple[str, str], ...]  # (label, href)


@dataclass(frozen=True)
class FindingView:
    """A diagnostic as listed in the report."""

    severity: str
    code: str
    rule: str
    message: str
    location: str
    line: int
    href: str
    owner: str
    owner_href: str
    snippet: str  # the flagged line up to the span…
    marked: str  # …the span itself…
    after: str  # …and the rest
    related: tuple[str, ...]


@dataclass(frozen=True)
class StepView:
    kind: str
    anchor: str
    id: str
    title: str
    line: int
    agent: str
    model: str
    badges: tuple[Badge, ...]
    prompt: Any  # Markup
    prompt_long: bool
    prompt_size: str  # "312 words", for long prompts
    description: str
    produces: tuple[str, ...]
    consumes: tuple[RefView, ...]
    fields: tuple[tuple[str, str], ...]
    notes: tuple[Any, ...]
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class LaneView:
    """A parallel branch or a decision path."""

    anchor: str
    id: str
    caption: str
    condition: str
    is_default: bool
    blocks: tuple[Any, ...]


@dataclass(frozen=True)
class GroupView:
    """A parallel block or a decision: lanes side by side."""

    kind: str  # parallel | decision
    anchor: str
    id: str
    heading: str
    lanes: tuple[LaneView, ...]
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class GateView:
    kind: str
    anchor: str
    id: str
    title: str
    gate: str
    line: int
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class LoopView:
    kind: str
    anchor: str
    id: str
    caption: str
    condition: str
    text: str
    blocks: tuple[Any, ...]


@dataclass(frozen=True)
class PhaseView:
    anchor: str
    id: str
    kicker: str
    title: str
    line: int
    blocks: tuple[Any, ...]
    notes: tuple[Any, ...]
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class WorkflowView:
    title: str
    dialect: str
    intent: Any  # Markup or ""
    inputs: tuple[str, ...]
    phases: tuple[PhaseView, ...]
    notes: tuple[Any, ...]
    final_context: tuple[str, ...]
    #: prose written before the first phase (a call-style page's introduction): shown on top
    introduction: tuple[Any, ...] = ()


class BodyBuilder:
    """Builds the phase/step views of one workflow, attaching each finding to the innermost
    element it points into and each reference to its resolution."""

    def __init__(
        self,
        findings_by_owner: dict[str, list[FindingView]],
        resolutions: dict[tuple[str, int, int, str], Any],
        titles: dict[str, str],
    ) -> None:
        self.findings_by_owner = findings_by_owner
        self.resolutions = resolutions
        self.titles = titles

    def workflow(self, workflow: Workflow) -> WorkflowView:
        from compiler.templating import render_markdown

        intent = render_markdown(workflow.intent) if workflow.intent else ""
        first = workflow.phases[0].span.line if workflow.phases else None
        before = [n for n in workflow.notes if first is not None and n.span.line < first]
        after = [n for n in workflow.notes if n not in before]
        return WorkflowView(
            title=clean(workflow.title),
            dialect=workflow.dialect,
            intent=intent,
            inputs=tuple(clean(ref.text) for ref in workflow.inputs),
            phases=tuple(self.phase(phase) for phase in workflow.phases),
            notes=tuple(render_markdown(note.text) for note in after),
            final_context=_unique(item.name for item in workflow.final_context),
            introduction=tuple(render_markdown(note.text) for note in before),
        )

    def phase(self, phase: Phase) -> PhaseView:
        from compiler.templating import render_markdown

        return PhaseView(
            anchor=phase_anchor(phase.id),
            id=phase.id,
            kicker=labels.phase_kicker(phase),
            title=clean(phase.title) or "(untitled phase)",
            line=phase.span.line,
            blocks=self.blocks(phase.blocks),
            notes=tuple(render_markdown(note.text) for note in phase.notes),
            findings=tuple(self.findings_by_owner.get(f"phase:{phase.id}", ())),
        )

    def blocks(self, blocks: tuple[Block, ...]) -> tuple[Any, ...]:
        return tuple(self.block(block) for block in blocks)

    def block(self, block: Block) -> Any:
        if isinstance(block, Step):
            return self.step(block)
        if isinstance(block, ParallelBlock):
            lanes = tuple(
                LaneView(
                    anchor(branch.id + "/lane"),
                    branch.id,
                    f"Branch {clean(branch.label)}: {clean(branch.title)}".rstrip(": "),
                    "",
                    False,
                    self.blocks(branch.blocks),
                )
                for branch in block.branches
            )
            heading = f"In parallel: {len(lanes)} branch{'es' if len(lanes) != 1 else ''}"
            return GroupView(
                "parallel", anchor(block.id), block.id, heading, lanes, self._findings(block.id)
            )
        if isinstance(block, DecisionBlock):
            lanes = tuple(
                LaneView(
                    anchor(path.id + "/lane"),
                    path.id,
                    labels.path_caption(path),
                    clean(path.condition),
                    path.is_default,
                    self.blocks(path.blocks),
                )
                for path in block.paths
            )
            heading = f"Decision: {clean(block.question) or 'which path?'}"
            return GroupView(
                "decision", anchor(block.id), block.id, heading, lanes, self._findings(block.id)
            )
        if isinstance(block, Checkpoint):
            return GateView(
                "checkpoint",
                anchor(block.id),
                block.id,
                clean(block.title),
                labels.gate_text(block),
                block.span.line,
                self._findings(block.id),
            )
        assert isinstance(block, LoopBlock)
        question = labels.loop_question(block)[0]
        return LoopView(
            "loop",
            anchor(block.id),
            block.id,
            labels.loop_caption(block),
            ""
            if question == "repeat?"
            else f"Repeats while the answer to “{question}” is "
            f"{'yes' if block.repeat_when or not block.until else 'no'}",
            clean(block.text),
            self.blocks(block.body),
        )

    def _findings(self, owner: str) -> tuple[FindingView, ...]:
        return tuple(self.findings_by_owner.get(owner, ()))

    def step(self, step: Step) -> StepView:
        from compiler.templating import render_markdown

        badges = []
        if step.condition:
            badges.append(Badge(condition_phrase(clean(step.condition)), "info"))
        elif step.optional:
            badges.append(Badge("optional", "info"))
        if step.background:
            badges.append(Badge("in background", "neutral"))
        if step.applicability:
            badges.append(Badge(f"applies: {clean(step.applicability)}", "neutral"))
        prompt = step.prompt or ""
        return StepView(
            kind="step",
            anchor=anchor(step.id),
            id=step.id,
            title=clean(step.title) or step.id,
            line=step.span.line,
            agent=clean(step.agent),
            model=clean(step.model),
            badges=tuple(badges),
            prompt=render_markdown(prompt) if prompt.strip() else "",
            prompt_long=prompt.count("\n") + 1 > _LONG_PROMPT_LINES or len(prompt) > 1400,
            prompt_size=f"{len(prompt.split()):,} words",
            description=clean(step.description),
            produces=_unique(item.name for item in step.produces),
            consumes=self._consumes(step),
            fields=tuple(_other_fields(step.fields)),
            notes=tuple(render_markdown(note.text) for note in step.notes),
            findings=self._findings(step.id),
        )

    def _consumes(self, step: Step) -> tuple[RefView, ...]:
        views: list[RefView] = []
        seen: set[str] = set()
        for ref in step.consumes:
            key = clean(ref.text).lower()
            if key in seen:
                continue
            seen.add(key)
            found = self.resolutions.get((step.id, ref.span.line, ref.span.column, ref.text))
            if found is None:
                views.append(RefView(clean(ref.text), ref.kind, "", "", "", ()))
                continue
            producers = tuple(
                (f"{pid} · {self.titles.get(pid, pid)}", f"#{anchor(pid)}")
                for pid in found.producers
            )
            detail = clean(found.hint) if found.hint else ""
            if found.status == "maybe" and found.witness:
                detail = f"missing when {found.witness} runs" + (f"; {detail}" if detail else "")
            views.append(
                RefView(
                    clean(ref.text),
                    ref.kind,
                    found.status,
                    STATUS_TEXT.get(found.status, found.status),
                    detail,
                    producers,
                )
            )
        return tuple(views)


def _other_fields(fields: tuple[Field_, ...]) -> list[tuple[str, str]]:
    return [
        (clean(f.key), clean(f.value))
        for f in fields
        if clean(f.key).lower().strip("*") not in _SHOWN_FIELDS and clean(f.value)
    ]


def _unique(names: Any) -> tuple[str, ...]:
    """Names in first-seen order without case-insensitive repeats."""
    kept: list[str] = []
    seen: set[str] = set()
    for name in names:
        text = clean(name)
        if text and text.lower() not in seen:
            seen.add(text.lower())
            kept.append(text)
    return tuple(kept)
