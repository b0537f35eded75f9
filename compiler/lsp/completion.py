"""Completion: inside `[` of a prompt and in an `Input:`/`Context:` item, the items the step
can name (available on every path first, then those missing on some runs); after
`subagent_type=`, the agents of the catalog (or, without one, those the document uses)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from compiler.lsp.analysis import Analysis, Point
from compiler.lsp.availability import available_items
from compiler.lsp.catalog import catalog_names
from compiler.parse.patterns import field_role

_AGENT = re.compile(
    r"subagent_type[`*]{0,2}\s*[=:]\s*[`*]{0,2}[\"'`]?(?P<prefix>[A-Za-z0-9_.:/@+-]*)$"
)
_FIELD = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])?\s*(?P<key>[*_`]{0,2}[^:：\[\]\"]{1,50}?[*_`]{0,2})\s*[:：]"
    r"(?P<value>[^\"]*)$"
)
#: Field roles whose items name produced work (`Input:`, `Context:`, `Dependencies:`).
CONSUMING = frozenset({"input", "context_in", "dependency"})


@dataclass(frozen=True)
class Suggestion:
    label: str
    insert: str
    detail: str
    documentation: str
    sort: str
    kind: Literal["item", "agent"]
    start: int  # 1-based column where the replaced prefix starts (on the cursor's line)


def complete(analysis: Analysis, point: Point) -> list[Suggestion]:
    before = analysis.line(point.line)[: point.column - 1]
    agent = _AGENT.search(before)
    if agent is not None:
        return _agents(analysis, point.column - len(agent.group("prefix")))
    start = _item_prefix_start(before)
    if start is None:
        return []
    return _items(analysis, point, start)


def _item_prefix_start(before: str) -> int | None:
    """The 1-based column where the item being typed starts, when the cursor is inside an
    open `[` or in the value of a consuming field; None elsewhere."""
    bracket = before.rfind("[")
    if bracket > before.rfind("]"):
        inside = before[bracket + 1 :]
        return bracket + 2 + _after_separator(inside)
    field = _FIELD.match(before)
    if field is not None and field_role(field.group("key")) in CONSUMING:
        offset = field.start("value")
        return offset + 1 + _after_separator(field.group("value"))
    return None


def _after_separator(text: str) -> int:
    """Offset in `text` of the item being typed: after the last comma and spaces."""
    cut = max(text.rfind(","), text.rfind(";")) + 1
    while cut < len(text) and text[cut] == " ":
        cut += 1
    return cut


def _items(analysis: Analysis, point: Point, start: int) -> list[Suggestion]:
    around = analysis.step_around(point.line)
    if around is None:
        return []
    wf, info = around
    found: list[Suggestion] = []
    for position, candidate in enumerate(available_items(wf, info.step.id)):
        produced = candidate.produced
        name = produced.item.name
        if candidate.rank == 0:
            detail = f"{produced.step_id} · every path"
        else:
            detail = f"{produced.step_id} · missing when {candidate.witness} is taken"
        documentation = (
            f"{produced.item.kind.capitalize()} of `{produced.step_id}` "
            f"{wf.index.steps[produced.step_id].step.title} (line {produced.item.span.line})"
        )
        found.append(
            Suggestion(
                name,
                _as_reference(name),
                detail,
                documentation,
                f"{candidate.rank}{position:04d}",
                "item",
                start,
            )
        )
    return found


def _as_reference(name: str) -> str:
    """Items are named in prose case (`[monitoring analysis]` for "Monitoring analysis");
    an acronym (`API latency`) keeps its capitals."""
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


def _agents(analysis: Analysis, start: int) -> list[Suggestion]:
    catalog = catalog_names(analysis.config.agents)
    used = sorted({info.step.agent for _, info in analysis.steps() if info.step.agent})
    names = catalog or used
    source = "agent catalog" if catalog else "used in this document"
    return [
        Suggestion(name, name, source, "", f"{position:04d}", "agent", start)
        for position, name in enumerate(names)
    ]
