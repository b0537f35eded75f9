"""Hover text (Markdown): what a reference resolves to, who reads an item, what an agent
is, what a decision's paths are. Everything shown is what lint judged, in its words."""

from __future__ import annotations

from compiler.checks.facts import WorkflowFacts
from compiler.checks.index import Produced
from compiler.checks.resolve import Resolved, Status
from compiler.checks.rules.decisions import is_default
from compiler.diagnostics import Diagnostic
from compiler.lsp.analysis import Analysis, Point, contains
from compiler.lsp.catalog import find_agent, is_builtin
from compiler.lsp.navigation import readers
from compiler.model import DecisionBlock, Reference, Step, iter_blocks
from compiler.rules import find_rule

VERDICT: dict[Status, str] = {
    "resolved": "resolved: available on every path to this step",
    "ambiguous": "ambiguous: several unrelated producers match equally well",
    "maybe": "maybe unavailable: missing on some runs",
    "parallel-race": "race: produced by a parallel sibling branch that runs at the same time",
    "later": "used before produced: its producers run after this step",
    "unresolved": "unresolved: nothing upstream produces it",
    "external": "from outside the workflow (a file or variable no step writes)",
}

MATCHED_BY = {
    "exact": "its exact name",
    "tokens": "its words",
    "title": "a step, branch, path or phase title",
    "aggregate": "an aggregate of several steps' outputs",
    "input": "a workflow input",
    "file": "a file path",
    "fuzzy": "a loose match",
}


def hover_text(analysis: Analysis, point: Point) -> str | None:
    """Markdown for the element under the cursor, or None."""
    hit = analysis.reference_at(point)
    if hit is not None:
        return _reference(analysis, *hit)
    produced = analysis.item_at(point)
    if produced is not None:
        return _item(analysis, *produced)
    step = analysis.agent_at(point)
    if step is not None:
        return _agent(analysis, step)
    decision = _decision_at(analysis, point)
    if decision is not None:
        return _decision(analysis, *decision)
    return None


def written(reference: Reference) -> str:
    """The reference as the author wrote it."""
    if reference.kind == "bracket":
        return f"[{reference.text}]"
    if reference.kind == "input":
        return f"Input: {reference.text}"
    if reference.kind in ("context", "dependency"):
        return f"{reference.kind.capitalize()}: {reference.text}"
    return reference.text


def _reference(analysis: Analysis, wf: WorkflowFacts, entry: Resolved) -> str:
    resolution = entry.resolution
    reference = resolution.reference
    lines = [f"**`{written(reference)}`** in `{resolution.consumer}`", ""]
    verdict = VERDICT[resolution.status]
    if resolution.status == "maybe" and resolution.witness:
        verdict = f"maybe unavailable: missing when `{resolution.witness}` is taken"
    lines.append(f"**Verdict:** {verdict}")
    if resolution.confidence is not None:
        lines.append(f"(matched by {MATCHED_BY.get(resolution.confidence, resolution.confidence)})")
    producers = resolution.producers
    if producers:
        lines += ["", "**Produced by:**"]
        for step_id in producers:
            step = wf.index.steps[step_id].step
            items = [p for p in entry.match.items if p.step_id == step_id]
            named = ", ".join(f"*{p.item.name}* (line {p.item.span.line})" for p in items[:4])
            more = f" and {len(items) - 4} more" if len(items) > 4 else ""
            what = f": {named}{more}" if named else f" (line {step.span.line})"
            lines.append(f"- `{step_id}` {step.title}{what}")
    if resolution.hint:
        lines += ["", f"**Hint:** {resolution.hint}"]
    lines += _findings(analysis, [d for d in analysis.diagnostics if _on(d, reference)])
    return "\n".join(lines)


def _item(analysis: Analysis, wf: WorkflowFacts, produced: Produced) -> str:
    step = wf.index.steps[produced.step_id].step
    kind = {"output": "Output", "context": "Context for next", "final": "Final context"}.get(
        produced.item.kind, produced.item.kind.capitalize()
    )
    lines = [f"**{produced.item.name}**: {kind} of `{step.id}` {step.title}", ""]
    entries = readers(wf, produced)
    if not entries:
        lines.append("Read by no step.")
    else:
        lines.append("**Read by:**")
        for entry in entries:
            resolution = entry.resolution
            reference = resolution.reference
            status = VERDICT[resolution.status].split(":")[0]
            lines.append(
                f"- `{resolution.consumer}` line {reference.span.line}: "
                f"`{written(reference)}` ({status})"
            )
    return "\n".join(lines)


def _agent(analysis: Analysis, step: Step) -> str:
    name = step.agent or ""
    lines = [f"**Agent `{name}`**", ""]
    folder = analysis.config.agents
    entry = find_agent(folder, name)
    if entry is not None:
        if entry.description:
            lines += [entry.description, ""]
        if entry.model:
            lines.append(f"- model: `{entry.model}`")
        if entry.tools:
            lines.append(f"- tools: {entry.tools}")
        lines.append(f"- defined in `{entry.path}`")
    elif is_builtin(name):
        lines.append("A built-in agent (no definition file needed).")
    elif folder is not None:
        lines.append(f"Not in the agent catalog `{folder}`.")
    else:
        lines.append("No agent catalog configured (`agents =` in `[tool.drillbook]`).")
    users = [s.id for s in _steps(analysis) if (s.agent or "").lower() == name.lower()]
    lines += ["", f"Runs in: {', '.join(f'`{s}`' for s in users)}"]
    return "\n".join(lines)


def _decision_at(analysis: Analysis, point: Point) -> tuple[WorkflowFacts, DecisionBlock] | None:
    """A decision whose heading, or one of whose path headings, is under the cursor."""
    for wf in analysis.workflows:
        for phase in wf.workflow.phases:
            for block in iter_blocks(phase.blocks):
                if not isinstance(block, DecisionBlock):
                    continue
                heads = {block.span.line, *(path.span.line for path in block.paths)}
                if point.line in heads:
                    return wf, block
    return None


def _decision(analysis: Analysis, wf: WorkflowFacts, decision: DecisionBlock) -> str:
    question = decision.question or "decision"
    lines = [f"**Decision `{decision.id}`**: {question}", ""]
    for path in decision.paths:
        condition = "default" if is_default(path) else (path.condition or "no condition")
        steps = [s for s in wf.index.steps.values() if path.id in s.containers]
        items = [p.item.name for s in steps for p in wf.index.items_of(s.step.id)]
        produced = f"; produces {', '.join(items[:4])}" if items else ""
        more = "…" if len(items) > 4 else ""
        lines.append(f"- `{path.id}` {path.title} (when: {condition}){produced}{more}")
    if not any(is_default(p) for p in decision.paths):
        lines += ["", "No default path: when no condition holds the run has nowhere to go."]
    findings = [d for d in analysis.diagnostics if d.line == decision.span.line]
    lines += _findings(analysis, findings)
    return "\n".join(lines)


def _findings(analysis: Analysis, diagnostics: list[Diagnostic]) -> list[str]:
    lines: list[str] = []
    for diagnostic in diagnostics:
        info = find_rule(diagnostic.code)
        summary = f" {info.summary}" if info is not None else ""
        lines += [
            "",
            f"**{diagnostic.code} {diagnostic.rule}** ({diagnostic.severity}): "
            f"{diagnostic.message}",
            f"_{summary.strip()} More: `drillbook explain {diagnostic.code}`_",
        ]
    return lines


def _on(diagnostic: Diagnostic, reference: Reference) -> bool:
    span = reference.span
    return diagnostic.line == span.line and contains(
        span, Point(diagnostic.line, diagnostic.column)
    )


def _steps(analysis: Analysis) -> list[Step]:
    return [info.step for _, info in analysis.steps()]
