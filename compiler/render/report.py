"""The HTML report: one self-contained page (inline CSS and SVG, no script, no remote asset)
with the diagram, requirements, phases and steps, the context flow, diagnostics linked to
their lines, the recorded run and the source."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from compiler import __version__
from compiler.diagnostics import SEVERITY_RANK, Diagnostic, sorted_diagnostics
from compiler.durations import format_duration
from compiler.model import (
    Checkpoint,
    DecisionBlock,
    Document,
    LoopBlock,
    ParallelBlock,
    Span,
    Step,
    iter_blocks,
    iter_steps,
)
from compiler.render.flow import FlowRow, context_flow
from compiler.render.report_view import (
    BodyBuilder,
    FindingView,
    WorkflowView,
    anchor,
    phase_anchor,
)
from compiler.render.svg import num, render_svg_sized
from compiler.render.text import clean

_SNIPPET = 240


@dataclass(frozen=True)
class Stat:
    label: str
    value: str


@dataclass(frozen=True)
class RequirementView:
    name: str
    text: str
    measure: str
    line: int


@dataclass(frozen=True)
class RunPhaseView:
    number: str
    title: str
    duration: str
    decision: str
    agents: tuple[str, ...]
    findings: tuple[str, ...]


@dataclass(frozen=True)
class RunView:
    line: int
    total: str
    phases: tuple[RunPhaseView, ...]


@dataclass(frozen=True)
class SourceLine:
    number: int
    text: str
    flagged: str  # the codes reported on this line ("" when none)


@dataclass(frozen=True)
class CountView:
    severity: str
    count: int
    text: str


@dataclass(frozen=True)
class ReportView:
    title: str
    path: str
    generator: str
    lead: str
    stats: tuple[Stat, ...]
    counts: tuple[CountView, ...]
    requirements: tuple[RequirementView, ...]
    diagram: Any  # Markup: the inline SVG
    diagram_width: str  # its natural width in px
    workflows: tuple[WorkflowView, ...]
    flow: tuple[FlowRow, ...]
    flow_produced: tuple[FlowRow, ...]
    flow_missing: tuple[FlowRow, ...]
    flow_known: bool
    findings: tuple[FindingView, ...]
    checked: bool
    run: RunView | None
    source: tuple[SourceLine, ...]


def render_report(
    document: Document,
    diagnostics: Sequence[Diagnostic] | None = None,
    *,
    resolutions: Iterable[Any] | None = None,
    source: str | None = None,
    site: Any = None,
) -> str:
    """The report page. `diagnostics` None means "not checked" (the page says so, rather than
    claiming a clean bill); `resolutions` (from `compiler.checks.resolve`) fill the
    context-flow table; `source` (the file's text) adds a numbered listing the diagnostics
    link to. `site` (from `compiler.site`: `nav` markup and `rules_href`) places the page in
    a site: breadcrumbs on top, rule codes linked to the rules page."""
    from compiler.templating import render_template

    return render_template(
        "report.html.j2", view=report_view(document, diagnostics, resolutions, source), site=site
    )


_TROUBLE = frozenset({"maybe", "parallel-race", "later", "unresolved", "ambiguous"})


def _as_linted(resolved: list[Any], diagnostics: Sequence[Diagnostic] | None) -> list[Any]:
    """When the page shows lint's findings, a reference is marked as a problem only where lint
    reports one: lint reads prose `Context:` items and placeholder brackets leniently, and the
    page must not contradict its own diagnostics list. Those read as coming from outside."""
    if diagnostics is None:
        return resolved
    reported = {(d.line, d.column) for d in diagnostics if d.reference is not None}
    return [
        r._replace(status="external")  # a Resolution (NamedTuple)
        if r.status in _TROUBLE and (r.reference.span.line, r.reference.span.column) not in reported
        else r
        for r in resolved
    ]


def report_view(
    document: Document,
    diagnostics: Sequence[Diagnostic] | None,
    resolutions: Iterable[Any] | None,
    source: str | None,
) -> ReportView:
    from markupsafe import Markup

    lines = source.splitlines() if source is not None else []
    findings = _findings(document, list(diagnostics or ()), lines)
    by_owner: dict[str, list[FindingView]] = {}
    for finding in findings:
        by_owner.setdefault(finding.owner_key, []).append(finding.view)
    resolved = _as_linted(list(resolutions or ()), diagnostics)
    by_ref = {
        (r.consumer, r.reference.span.line, r.reference.span.column, r.reference.text): r
        for r in resolved
    }
    titles = {step.id: clean(step.title) or step.id for step in iter_steps(document)}
    body = BodyBuilder(by_owner, by_ref, titles)
    workflows = tuple(body.workflow(w) for w in document.workflows if w.phases)
    anchors = {step.id: anchor(step.id) for step in iter_steps(document)}
    for workflow in document.workflows:
        for phase in workflow.phases:
            for block in iter_blocks(phase.blocks):
                if isinstance(block, ParallelBlock | DecisionBlock | Checkpoint | LoopBlock):
                    anchors.setdefault(block.id, anchor(block.id))
    svg, natural_width = render_svg_sized(document, anchors=anchors)
    diagram = Markup(svg)
    flow: list[FlowRow] = []
    if resolutions is not None:
        for workflow in document.workflows:
            ids = {step.id for step in iter_steps(workflow)}
            mine = [r for r in resolved if r.consumer in ids]
            flow.extend(context_flow(workflow, mine))
    flagged: dict[int, list[str]] = {}
    for finding in findings:
        flagged.setdefault(finding.view.line, []).append(finding.view.code)
    return ReportView(
        title=_title(document),
        path=document.path,
        generator=f"drillbook {__version__}",
        lead=_lead(document),
        stats=_stats(document),
        counts=_counts([f.view for f in findings]),
        requirements=tuple(
            RequirementView(
                clean(r.name),
                clean(r.text),
                _measure(r.kind, r.seconds),
                r.span.line,
            )
            for r in document.requirements
        ),
        diagram=diagram,
        diagram_width=num(natural_width),
        workflows=workflows,
        flow=tuple(flow),
        flow_produced=tuple(row for row in flow if row.producer is not None),
        flow_missing=tuple(row for row in flow if row.producer is None),
        flow_known=resolutions is not None,
        findings=tuple(f.view for f in findings),
        checked=diagnostics is not None,
        run=_run(document),
        source=tuple(
            SourceLine(number, text, " ".join(sorted(set(flagged.get(number, [])))))
            for number, text in enumerate(lines, start=1)
        ),
    )


def _title(document: Document) -> str:
    title = clean(document.title)
    if not title:
        title = next((clean(w.title) for w in document.workflows if w.title), "")
    return title or PurePath(document.path).name or "Workflow"


def _lead(document: Document) -> str:
    description = document.front_matter.get("description")
    return clean(description) if isinstance(description, str) else ""


def _singular(label: str) -> str:
    """`1 parallel block`, `1 decision`, `1 phase`: drop the plural s of the last word."""
    return label[:-1] if label.endswith("s") else label


def _stats(document: Document) -> tuple[Stat, ...]:
    steps = list(iter_steps(document))
    blocks = [b for w in document.workflows for p in w.phases for b in iter_blocks(p.blocks)]
    agents = {step.agent for step in steps if step.agent}
    counts = [
        ("phases", sum(len(w.phases) for w in document.workflows)),
        ("steps", len(steps)),
        ("agents", len(agents)),
        ("parallel blocks", sum(isinstance(b, ParallelBlock) for b in blocks)),
        ("decisions", sum(isinstance(b, DecisionBlock) for b in blocks)),
        ("gates", sum(isinstance(b, Checkpoint) for b in blocks)),
        ("loops", sum(isinstance(b, LoopBlock) for b in blocks)),
    ]
    dialects = sorted({w.dialect for w in document.workflows if w.phases})
    stats = [
        Stat(label if value != 1 else _singular(label), str(value))
        for label, value in counts
        if value or label == "steps"
    ]
    if dialects:
        stats.append(Stat("dialect", ", ".join(dialects)))
    return tuple(stats)


def _measure(kind: str, seconds: int | None) -> str:
    if seconds is None:
        return ""
    if kind == "cadence":
        return f"every {format_duration(seconds)}"
    if kind == "duration":
        return f"within {format_duration(seconds)}"
    return ""


def _counts(findings: list[FindingView]) -> tuple[CountView, ...]:
    result = []
    for severity in ("error", "warning", "info"):
        count = sum(f.severity == severity for f in findings)
        if count:
            noun = {"error": "error", "warning": "warning", "info": "note"}[severity]
            result.append(CountView(severity, count, f"{count} {noun}{'s' if count != 1 else ''}"))
    return tuple(result)


def _run(document: Document) -> RunView | None:
    run = document.recorded_run
    if run is None:
        return None
    phases = tuple(
        RunPhaseView(
            number=str(p.number) if p.number is not None else "",
            title=clean(p.title),
            duration=clean(p.duration_text)
            or (format_duration(p.duration_s) if p.duration_s else ""),
            decision=clean(p.decision_text or p.decision),
            agents=tuple(
                clean(a.name) + (f" ({clean(a.model)})" if a.model else "") for a in p.agents
            ),
            findings=tuple(clean(f) for f in p.findings),
        )
        for p in run.phases
    )
    total = sum(p.duration_s or 0 for p in run.phases)
    return RunView(run.span.line, format_duration(total) if total else "", phases)


# --- diagnostics --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Placed:
    owner_key: str
    view: FindingView


def _snippet(lines: list[str], diagnostic: Diagnostic) -> tuple[str, str, str]:
    """The flagged line as (before, marked, after), cut to a window around the mark."""
    if not 1 <= diagnostic.line <= len(lines):
        return "", "", ""
    text = lines[diagnostic.line - 1].rstrip()
    start = max(diagnostic.column - 1, 0)
    end = diagnostic.end_column - 1 if diagnostic.end_line == diagnostic.line else len(text)
    end = min(max(end, start), len(text))
    left = max(0, start - 80)
    right = min(len(text), max(end, start + 1) + _SNIPPET - 80)
    before = ("…" if left else "") + text[left:start].lstrip() if left else text[:start]
    after = text[end:right] + ("…" if right < len(text) else "")
    return before, text[start:end], after


def _owners(document: Document) -> list[tuple[Span, str, str, str]]:
    """(span, owner key, label, href) of every element a finding can belong to."""
    owners: list[tuple[Span, str, str, str]] = []
    for workflow in document.workflows:
        for phase in workflow.phases:
            label = phase.id
            owners.append((phase.span, f"phase:{phase.id}", label, f"#{phase_anchor(phase.id)}"))
            for block in iter_blocks(phase.blocks):
                title = clean(block.title) if isinstance(block, Step | Checkpoint) else ""
                text = f"{block.id} · {title}" if title else block.id
                owners.append((block.span, block.id, text, f"#{anchor(block.id)}"))
    return owners


def _findings(document: Document, diagnostics: list[Diagnostic], lines: list[str]) -> list[_Placed]:
    owners = _owners(document)
    placed: list[_Placed] = []
    ordered = sorted(
        sorted_diagnostics(diagnostics),
        key=lambda d: (d.line, d.column, SEVERITY_RANK.get(d.severity, 3), d.code),
    )
    for diagnostic in ordered:
        owner_key, owner, owner_href = "", "", ""
        best: int | None = None
        for span, key, label, href in owners:
            if span.line <= diagnostic.line <= span.end_line:
                size = span.end_line - span.line
                # Innermost wins; on a tie the later (deeper, document order) element.
                if best is None or size <= best:
                    best, owner_key, owner, owner_href = size, key, label, href
        snippet = _snippet(lines, diagnostic)
        href = f"#L{diagnostic.line}" if lines else owner_href
        view = FindingView(
            severity=diagnostic.severity,
            code=diagnostic.code,
            rule=diagnostic.rule,
            message=diagnostic.message,
            location=f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}",
            line=diagnostic.line,
            href=href,
            owner=owner,
            owner_href=owner_href,
            snippet=snippet[0],
            marked=snippet[1],
            after=snippet[2],
            related=tuple(f"line {r.line}: {r.message}" for r in diagnostic.related),
        )
        placed.append(_Placed(owner_key, view))
    return placed
