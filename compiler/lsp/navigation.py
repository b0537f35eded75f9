"""Where things are: a reference's producers (go to definition), an item's readers (find
references), and the outline of phases, branches, paths and steps (document symbols)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from compiler.checks.facts import WorkflowFacts
from compiler.checks.index import Produced
from compiler.checks.resolve import Resolved
from compiler.lsp.analysis import Analysis, Point
from compiler.model import (
    Block,
    Checkpoint,
    DecisionBlock,
    LoopBlock,
    ParallelBlock,
    Span,
    Step,
)


def producer_spans(wf: WorkflowFacts, entry: Resolved) -> list[Span]:
    """The Output/Context lines a reference resolves to: the matched items of the
    producers lint judged (or every matched item when it judged none), else the
    producing steps themselves (a step named by its title may produce nothing)."""
    producers = set(entry.resolution.producers)
    items = [p for p in entry.match.items if not producers or p.step_id in producers]
    spans = [p.item.span for p in items]
    if not spans:
        spans = [wf.index.steps[s].step.span for s in entry.resolution.producers]
    return list(dict.fromkeys(spans))


def reads(entry: Resolved, produced: Produced) -> bool:
    """Does the reference of `entry` read `produced` (in lint's judgement)?"""
    if produced.step_id not in entry.resolution.producers:
        return False
    return any(
        p.step_id == produced.step_id and p.item.span == produced.item.span
        for p in entry.match.items
    )


def readers(wf: WorkflowFacts, produced: Produced) -> list[Resolved]:
    """Every reference, in document order, that reads `produced`."""
    return [entry for entry in wf.resolved if reads(entry, produced)]


def references_at(analysis: Analysis, point: Point, include_declaration: bool) -> list[Span]:
    """Find references: on an item, every reference that reads it; on a reference, every
    reference that reads what it reads."""
    targets: list[tuple[WorkflowFacts, Produced]] = []
    found = analysis.item_at(point)
    if found is not None:
        targets.append(found)
    else:
        hit = analysis.reference_at(point)
        if hit is None:
            return []
        wf, entry = hit
        producers = set(entry.resolution.producers)
        targets.extend((wf, p) for p in entry.match.items if p.step_id in producers)
    spans: list[Span] = []
    for wf, produced in targets:
        if include_declaration:
            spans.append(produced.item.span)
        spans.extend(entry.resolution.reference.span for entry in readers(wf, produced))
    return list(dict.fromkeys(spans))


# --- outline ------------------------------------------------------------------------------

SymbolKind = Literal[
    "phase", "parallel", "branch", "decision", "path", "step", "checkpoint", "loop"
]


@dataclass
class Symbol:
    name: str
    kind: SymbolKind
    detail: str
    range: Span  # the whole element, children included
    selection: Span  # its heading or first line
    children: list[Symbol] = field(default_factory=list)


def outline(analysis: Analysis) -> list[Symbol]:
    """Phases → parallel blocks / decisions → branches / paths → steps, in document order.
    A branch, path or phase that is one step (the docs-site dialect: the step is the
    branch) is shown once, with the step's agent as its detail."""
    symbols: list[Symbol] = []
    for wf in analysis.workflows:
        for phase in wf.workflow.phases:
            name = f"Phase {phase.number}: {phase.title}" if phase.number else phase.title
            symbols.append(_container(name, "phase", phase.id, phase.span, phase.blocks))
    return symbols


def _container(
    name: str, kind: SymbolKind, element_id: str, span: Span, blocks: tuple[Block, ...]
) -> Symbol:
    if len(blocks) == 1 and isinstance(blocks[0], Step) and blocks[0].id == element_id:
        only = blocks[0]
        detail = f"{element_id} · {only.agent}" if only.agent else element_id
        return Symbol(name, kind, detail, _union(span, only.span), _first_line(span))
    children = _children(blocks)
    whole = _union(span, *(c.range for c in children))
    return Symbol(name, kind, element_id, whole, _first_line(span), children)


def _children(blocks: tuple[Block, ...]) -> list[Symbol]:
    """The symbols of a sequence of blocks; an untitled parallel block adds no level of
    its own (its branches stand directly under the phase, as the document shows them)."""
    symbols: list[Symbol] = []
    for block in blocks:
        symbol = _block(block)
        if isinstance(block, ParallelBlock) and not block.title:
            symbols.extend(symbol.children)
        else:
            symbols.append(symbol)
    return symbols


def _block(block: Block) -> Symbol:
    if isinstance(block, Step):
        detail = f"{block.id} · {block.agent}" if block.agent else block.id
        return Symbol(block.title or block.id, "step", detail, block.span, _first_line(block.span))
    if isinstance(block, ParallelBlock):
        branches = [
            _container(f"Branch {b.label}: {b.title}", "branch", b.id, b.span, b.blocks)
            for b in block.branches
        ]
        name = block.title or "Parallel"
        return _holder(name, "parallel", block.id, block.span, branches)
    if isinstance(block, DecisionBlock):
        paths = [
            _container(_path_name(p.role, p.label, p.title), "path", p.id, p.span, p.blocks)
            for p in block.paths
        ]
        name = f"Decision: {block.question}" if block.question else "Decision"
        return _holder(name, "decision", block.id, block.span, paths)
    if isinstance(block, LoopBlock):
        body = _children(block.body)
        return _holder("Loop", "loop", block.id, block.span, body)
    assert isinstance(block, Checkpoint)
    return Symbol(block.title, "checkpoint", block.id, block.span, _first_line(block.span))


def _holder(
    name: str, kind: SymbolKind, element_id: str, span: Span, children: list[Symbol]
) -> Symbol:
    whole = _union(span, *(c.range for c in children))
    return Symbol(name, kind, element_id, whole, _first_line(span), children)


def _path_name(role: str, label: str, title: str) -> str:
    if role == "path":
        return f"Path {label}: {title}"
    return f"{role.capitalize()}: {title}" if title else role.capitalize()


def _first_line(span: Span) -> Span:
    if span.end_line == span.line:
        return span
    return Span(line=span.line, column=span.column, end_line=span.line, end_column=span.column)


def _union(first: Span, *others: Span) -> Span:
    spans = (first, *others)
    start = min((s.line, s.column) for s in spans)
    end = max((s.end_line, s.end_column) for s in spans)
    return Span(line=start[0], column=start[1], end_line=end[0], end_column=end[1])
