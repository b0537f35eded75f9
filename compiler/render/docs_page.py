"""Markdown for docs sites (`render --format md`): the document's front matter kept as it was
read (so Docusaurus `sidebar_position` and MkDocs metadata survive), a ```` ```mermaid ````
block, a step table and the diagnostics. Renders on GitHub, Docusaurus (MDX) and MkDocs
Material.

Document text is escaped for all three at once: HTML-significant characters and Markdown
punctuation become character references (`&#42;`), which CommonMark, MDX and Python-Markdown
all decode, so no title can open a tag, a JSX expression (`{…}`), emphasis or a table cell.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from compiler.diagnostics import SEVERITY_RANK, Diagnostic, sorted_diagnostics
from compiler.durations import format_duration
from compiler.model import (
    Block,
    Checkpoint,
    DecisionBlock,
    Document,
    LoopBlock,
    ParallelBlock,
    Phase,
    Step,
)
from compiler.render import labels
from compiler.render.mermaid import render_mermaid
from compiler.render.text import clean

# Characters with an inline meaning in Markdown, MDX or HTML, written as numeric references:
# escapes, code, emphasis, links and images, tags, entities, table cells, JSX expressions,
# strikethrough, math, headings.
_SPECIAL = set("\\`*_[]<>&|{}~$#")
# At the start of a line these open a block (list, quote, heading, thematic break).
_LINE_START = set("-+=>0123456789")


def md_text(text: str | None, *, line_start: bool = False) -> Any:
    """One line of document text, safe in a table cell, or (with `line_start`) at the start
    of a line, where `-`, `>` or `1.` would open a block (returns Markup)."""
    from markupsafe import Markup

    out = []
    for index, char in enumerate(clean(text)):
        special = char in _SPECIAL or (line_start and index == 0 and char in _LINE_START)
        out.append(f"&#{ord(char)};" if special else char)
    return Markup("".join(out))


@dataclass(frozen=True)
class StepRow:
    phase: Any
    step: Any
    agent: Any
    when: Any
    produces: Any
    reads: Any


@dataclass(frozen=True)
class FindingRow:
    line: int
    severity: str
    code: str
    rule: str
    message: Any


@dataclass(frozen=True)
class PageView:
    front_matter: Any  # Markup: YAML text, or "" when the document had none
    title: Any
    intent: tuple[Any, ...]
    requirements: tuple[tuple[Any, Any], ...]
    mermaid: Any
    fence: str
    steps: tuple[StepRow, ...]
    checked: bool
    findings: tuple[FindingRow, ...]
    path: Any


def render_docs_page(document: Document, diagnostics: Sequence[Diagnostic] | None) -> str:
    from compiler.templating import render_template

    return render_template("markdown-page.md.j2", view=page_view(document, diagnostics))


def page_view(document: Document, diagnostics: Sequence[Diagnostic] | None) -> PageView:
    from markupsafe import Markup

    mermaid = render_mermaid(document)
    fence = "```"
    while fence in mermaid:
        fence += "`"
    title = clean(document.title) or next(
        (clean(w.title) for w in document.workflows if w.title), "Workflow"
    )
    rows = tuple(
        row
        for workflow in document.workflows
        for phase in workflow.phases
        for row in _rows(phase, phase.blocks, "")
    )
    ordered = sorted(
        sorted_diagnostics(list(diagnostics or ())),
        key=lambda d: (d.line, d.column, SEVERITY_RANK.get(d.severity, 3), d.code),
    )
    return PageView(
        front_matter=Markup(_front_matter(document.front_matter)),
        title=md_text(title, line_start=True),
        intent=tuple(md_text(w.intent, line_start=True) for w in document.workflows if w.intent),
        requirements=tuple(
            (md_text(r.name), md_text(_requirement(r.text, r.kind, r.seconds)))
            for r in document.requirements
        ),
        mermaid=Markup(mermaid.rstrip("\n")),
        fence=fence,
        steps=rows,
        checked=diagnostics is not None,
        findings=tuple(
            FindingRow(d.line, d.severity, d.code, d.rule, md_text(d.message)) for d in ordered
        ),
        path=md_text(document.path),
    )


def _front_matter(data: dict[str, Any]) -> str:
    if not data:
        return ""
    import yaml

    text = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000
    )
    return f"---\n{text}---\n"


def _requirement(text: str, kind: str, seconds: int | None) -> str:
    if seconds and kind == "cadence":
        return f"{clean(text)} (every {format_duration(seconds)})"
    if seconds and kind == "duration":
        return f"{clean(text)} (within {format_duration(seconds)})"
    return clean(text)


def _rows(phase: Phase, blocks: tuple[Block, ...], context: str) -> Iterator[StepRow]:
    caption = md_text(labels.phase_caption(phase))
    for block in blocks:
        if isinstance(block, Step):
            when = "; ".join(part for part in (context, labels.step_note(block)) if part)
            yield StepRow(
                caption,
                md_text(block.title or block.id),
                md_text(labels.agent_text(block) or "—"),
                md_text(when or "in order"),
                md_text(", ".join(_unique(i.name for i in block.produces)) or "—"),
                md_text(", ".join(_unique(r.text for r in block.consumes)) or "—"),
            )
        elif isinstance(block, ParallelBlock):
            for branch in block.branches:
                where = f"in parallel: branch {clean(branch.label)}"
                yield from _rows(phase, branch.blocks, _join(context, where))
        elif isinstance(block, DecisionBlock):
            for path in block.paths:
                where = labels.path_caption(path)
                if path.is_default:
                    where += ", otherwise"
                elif path.condition:
                    where += f", when {clean(path.condition)}"
                yield from _rows(phase, path.blocks, _join(context, where))
        elif isinstance(block, Checkpoint):
            yield StepRow(
                caption,
                md_text(f"Gate: {clean(block.title)}"),
                md_text("(a person)"),
                md_text(_join(context, labels.gate_text(block))),
                md_text("—"),
                md_text("—"),
            )
        elif isinstance(block, LoopBlock):
            question = labels.loop_question(block)[0]
            where = f"loop, repeated while: {question}" if block.repeat_when else "loop"
            if block.until:
                where = f"loop, until {clean(block.until)}"
            if block.max_iterations:
                where += f" (at most {block.max_iterations} runs)"
            yield from _rows(phase, block.body, _join(context, where))


def _join(context: str, more: str) -> str:
    return f"{context}; {more}" if context else more


def _unique(names: Iterator[str] | Any) -> list[str]:
    kept: list[str] = []
    seen: set[str] = set()
    for name in names:
        text = clean(name)
        if text and text.lower() not in seen:
            seen.add(text.lower())
            kept.append(text)
    return kept
