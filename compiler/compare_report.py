"""`drillbook diff` output: text for a terminal, Markdown for a pull-request comment, JSON for
tools. One `Comparison` (and, with a scenario, the rehearsal before and after) per pair of
versions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from compiler.compare import Comparison, StepChange, StepView
from compiler.diagnostics import Diagnostic
from compiler.durations import format_duration


@dataclass(frozen=True)
class Rehearsal:
    """One version rehearsed with the scenario: the run's total and objectives, and with
    `--runs` the share of runs that meet each objective. `problem`: it could not run."""

    total_s: float | None = None
    status: str | None = None
    slos: tuple[tuple[str, str, str], ...] = ()  # name, met|missed, detail
    chances: tuple[tuple[str, float], ...] = ()  # name, share of runs meeting it
    problem: str | None = None


@dataclass
class DiffResult:
    comparison: Comparison
    scenario: str | None = None
    before: Rehearsal | None = None
    after: Rehearsal | None = None
    notes: list[str] = field(default_factory=list)
    #: what the reader must check: a scenario key that could not be carried over with
    #: confidence, so the "after" rehearsal runs without its script
    warnings: list[str] = field(default_factory=list)


_SIGN = {"added": "+", "removed": "-", "renamed": "~", "moved": ">", "changed": "~"}


def _name(step: StepView) -> str:
    agent = f" ({step.agent})" if step.agent and step.agent != step.title else ""
    return f"{step.id} '{step.title}'{agent}"


def describe(change: StepChange) -> str:
    old, new = change.old, change.new
    if change.kind == "added" and new is not None:
        text = f"added {_name(new)} in {new.place}, line {new.line}"
    elif change.kind == "removed" and old is not None:
        text = f"removed {_name(old)} from {old.place}"
    elif old is not None and new is not None:
        if change.kind == "renamed":
            text = f"renamed {old.id} '{old.title}' → {new.id} '{new.title}'"
        elif change.kind == "moved":
            text = f"moved '{new.title}' from {old.place} ({old.id}) to {new.place} ({new.id})"
        else:
            text = f"changed {_name(new)}"
        if change.kind != "moved" and old.place != new.place:
            text += f", now in {new.place}"
    else:
        text = change.kind
    if change.details:
        text += ": " + "; ".join(change.details)
    if change.matched_by and change.kind != "changed":
        text += f" [matched by {change.matched_by}]"
    return text


def _finding(diagnostic: Diagnostic) -> str:
    return (
        f"{diagnostic.severity} {diagnostic.code} {diagnostic.rule} "
        f"(line {diagnostic.line}): {diagnostic.message}"
    )


def _rehearsal_line(label: str, rehearsal: Rehearsal | None) -> list[str]:
    if rehearsal is None:
        return []
    if rehearsal.problem is not None:
        return [f"  {label}: cannot run: {rehearsal.problem}"]
    total = format_duration(rehearsal.total_s) if rehearsal.total_s is not None else "-"
    lines = [f"  {label}: {rehearsal.status} at {total}"]
    chances = dict(rehearsal.chances)
    for name, status, detail in rehearsal.slos:
        chance = f"; P(met) {chances[name]:.1%}" if name in chances else ""
        lines.append(f"    {status.upper():6} {name}: {detail}{chance}")
    return lines


def format_text(results: list[DiffResult]) -> str:
    out: list[str] = []
    for result in results:
        c = result.comparison
        out.append(f"drillbook diff {c.old_path} → {c.new_path}")
        if c.unchanged and result.before is None:
            out.append("  no change to the workflow, its objectives or its findings")
        if c.steps:
            out.append("Steps")
            out.extend(f"  {_SIGN[s.kind]} {describe(s)}" for s in c.steps)
        if c.requirements:
            out.append("Objectives")
            out.extend(
                f"  ~ {r.name}: {r.old or '(none)'} → {r.new or '(none)'}" for r in c.requirements
            )
        if c.gained or c.lost:
            out.append("Findings")
            out.extend(f"  + new   {_finding(d)}" for d in c.gained)
            out.extend(f"  - gone  {_finding(d)}" for d in c.lost)
        if result.scenario is not None:
            out.append(f"Rehearsal with {result.scenario}")
            out.extend(_rehearsal_line("before", result.before))
            out.extend(_rehearsal_line("after ", result.after))
        out.extend(f"  warning: {warning}" for warning in result.warnings)
        out.extend(f"  note: {note}" for note in result.notes)
        errors = len(c.new_errors)
        if errors:
            out.append(f"FAILED: the new version has {errors} error{'s' if errors > 1 else ''} "
                       "the old one did not")  # fmt: skip
        out.append("")
    return "\n".join(out)


def _md(text: str) -> str:
    """Table-cell safe text: no pipes or line breaks, no raw HTML."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def format_markdown(results: list[DiffResult]) -> str:
    out: list[str] = []
    for result in results:
        c = result.comparison
        errors = len(c.new_errors)
        verdict = (
            f"❌ {errors} new error{'s' if errors != 1 else ''}" if errors else "✅ no new errors"
        )
        out.append(f"### drillbook diff: `{_md(c.new_path)}` — {verdict}")
        out.append("")
        if c.unchanged and result.before is None:
            out.append("No change to the workflow, its objectives or its findings.")
            out.append("")
        if c.steps:
            out.append("| | Step change |")
            out.append("|---|---|")
            out.extend(f"| {_SIGN[s.kind]} | {_md(describe(s))} |" for s in c.steps)
            out.append("")
        if c.requirements:
            out.append("| Objective | Before | After |")
            out.append("|---|---|---|")
            out.extend(
                f"| {_md(r.name)} | {_md(r.old or '—')} | {_md(r.new or '—')} |"
                for r in c.requirements
            )
            out.append("")
        if c.gained or c.lost:
            out.append("| | Finding | Rule | Line | Message |")
            out.append("|---|---|---|---|---|")
            for sign, found in (("new", c.gained), ("fixed", c.lost)):
                out.extend(
                    f"| {sign} | {d.severity} | {d.code} {d.rule} | {d.line} | {_md(d.message)} |"
                    for d in found
                )
            out.append("")
        if result.scenario is not None:
            out.append(f"**Rehearsal** with `{_md(result.scenario)}`")
            out.append("")
            out.append("```")
            out.extend(_rehearsal_line("before", result.before))
            out.extend(_rehearsal_line("after ", result.after))
            out.append("```")
            out.append("")
        for warning in result.warnings:
            out.extend([f"> **Warning:** {_md(warning)}", ""])
        out.extend(f"> {_md(note)}" for note in result.notes)
    return "\n".join(out).rstrip("\n") + "\n"


def _view(step: StepView | None) -> dict[str, Any] | None:
    if step is None:
        return None
    return {
        "id": step.id,
        "title": step.title,
        "agent": step.agent,
        "phase": step.phase,
        "within": step.within or None,
        "line": step.line,
    }


def _finding_json(diagnostic: Diagnostic) -> dict[str, Any]:
    """A finding as the diff reports it: where, what, no fix (the diff fixes nothing)."""
    data = diagnostic.as_json()
    del data["fix"]
    return data


def _rehearsal(rehearsal: Rehearsal | None) -> dict[str, Any] | None:
    if rehearsal is None:
        return None
    return {
        "problem": rehearsal.problem,
        "status": rehearsal.status,
        "total_s": rehearsal.total_s,
        "slos": [{"name": n, "status": s, "detail": d} for n, s, d in rehearsal.slos],
        "p_met": dict(rehearsal.chances),
    }


def format_json(results: list[DiffResult]) -> str:
    data = []
    for result in results:
        c = result.comparison
        data.append(
            {
                "old": c.old_path,
                "new": c.new_path,
                "steps": [
                    {
                        "change": s.kind,
                        "old": _view(s.old),
                        "new": _view(s.new),
                        "details": list(s.details),
                        "matched_by": s.matched_by,
                    }
                    for s in c.steps
                ],
                "objectives": [
                    {"name": r.name, "old": r.old, "new": r.new} for r in c.requirements
                ],
                "findings_new": [_finding_json(d) for d in c.gained],
                "findings_fixed": [_finding_json(d) for d in c.lost],
                "new_errors": len(c.new_errors),
                "scenario": result.scenario,
                "before": _rehearsal(result.before),
                "after": _rehearsal(result.after),
                "warnings": result.warnings,
                "notes": result.notes,
            }
        )
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
