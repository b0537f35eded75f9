"""The context-flow table of the report: each produced item, the step that produces it and the
steps that read it; references nothing provides are listed after, marked.

Built from the lint engineer's reference resolution (`compiler.checks.resolve`), so the report
says exactly what `drillbook lint` concludes about each reference.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from compiler.model import Workflow, iter_steps
from compiler.render.report_view import STATUS_TEXT, anchor
from compiler.render.text import clean

#: Statuses that mean "the consumer may not get this item".
_TROUBLE = ("maybe", "parallel-race", "later", "unresolved", "ambiguous")


@dataclass(frozen=True)
class Link:
    text: str
    href: str
    via: str  # the reference text when it differs from the item name
    status: str
    status_text: str


@dataclass(frozen=True)
class FlowRow:
    item: str
    producer: Link | None  # None: nothing produces it
    consumers: tuple[Link, ...]
    status: str  # "", "unused", or a trouble status of an unproduced reference
    status_text: str
    rowspan: int = 1  # rows the producer cell spans (0: covered by the row above)


def _norm(text: str) -> str:
    return " ".join(clean(text).lower().split())


def context_flow(workflow: Workflow, resolutions: Iterable[Any]) -> list[FlowRow]:
    """Rows in document order: produced items first, then references nothing provides."""
    titles = {step.id: clean(step.title) or step.id for step in iter_steps(workflow)}
    final = {_norm(item.name) for item in workflow.final_context}
    # Per (producer, item): consumer id → link (one link per consumer, a direct read wins
    # over an aggregate one such as "all investigation results").
    rows: dict[tuple[str, str], dict[str, Link]] = {}
    names: dict[tuple[str, str], str] = {}
    for step in iter_steps(workflow):
        for item in step.produces:
            key = (step.id, _norm(item.name))
            if item.kind == "final":
                final.add(key[1])
            if key not in rows:
                rows[key] = {}
                names[key] = clean(item.name)
    orphans: list[FlowRow] = []
    inputs: dict[str, dict[str, Link]] = {}  # workflow inputs ($ARGUMENTS) → their readers
    for resolution in resolutions:
        consumer = resolution.consumer
        link_text = f"{consumer} · {titles.get(consumer, consumer)}"
        ref_text = clean(resolution.reference.text)
        status = str(resolution.status)
        matched = False
        wanted = {_norm(name) for name in resolution.items}
        for producer in resolution.producers:
            for key in rows:
                if key[0] == producer and key[1] in wanted:
                    via = "" if _norm(ref_text) == key[1] else ref_text
                    link = Link(link_text, f"#{anchor(consumer)}", via, status, _label(status))
                    known = rows[key].get(consumer)
                    if known is None or (known.via and not via):
                        rows[key][consumer] = link
                    matched = True
        if not matched and status == "resolved" and not resolution.producers:
            # A workflow input ($ARGUMENTS): provided by whoever runs the workflow.
            link = Link(link_text, f"#{anchor(consumer)}", "", status, _label(status))
            inputs.setdefault(ref_text, {}).setdefault(consumer, link)
            continue
        if not matched and status in _TROUBLE:
            hint = clean(resolution.hint) if resolution.hint else ""
            orphans.append(
                FlowRow(
                    ref_text,
                    None,
                    (Link(link_text, f"#{anchor(consumer)}", hint, status, _label(status)),),
                    status,
                    _label(status),
                )
            )
    produced: list[FlowRow] = []
    spans: dict[str, int] = {}
    for producer_id, _ in rows:
        spans[producer_id] = spans.get(producer_id, 0) + 1
    for key, consumers in rows.items():
        producer = Link(
            f"{key[0]} · {titles.get(key[0], key[0])}", f"#{anchor(key[0])}", "", "", ""
        )
        unused = not consumers and key[1] not in final
        produced.append(
            FlowRow(
                names[key],
                producer,
                tuple(consumers.values()),
                "unused" if unused else "",
                "unused" if unused else "",
                spans.pop(key[0], 0),
            )
        )
    given = [
        FlowRow(name, Link("workflow input", "", "", "", ""), tuple(readers.values()), "", "")
        for name, readers in inputs.items()
    ]
    return given + produced + orphans


def _label(status: str) -> str:
    return STATUS_TEXT.get(status, status)
