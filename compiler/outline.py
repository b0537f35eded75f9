"""A readable plain-text outline of a compiled document (`drillbook compile --format text`)."""

from __future__ import annotations

from compiler.durations import format_duration
from compiler.model import (
    Block,
    Checkpoint,
    DecisionBlock,
    Document,
    LoopBlock,
    ParallelBlock,
    Step,
    condition_phrase,
)

_WIDTH = 100


def outline(document: Document) -> str:
    lines: list[str] = []
    title = document.title or "(untitled)"
    dialects = ", ".join(sorted({w.dialect for w in document.workflows})) or "none"
    lines.append(f"{document.path} — {title}  [{dialects}]")
    for requirement in document.requirements:
        value = requirement.text
        if requirement.kind == "cadence" and requirement.seconds:
            value += f"  (every {format_duration(requirement.seconds)})"
        elif requirement.kind == "duration" and requirement.seconds:
            value += f"  ({format_duration(requirement.seconds)})"
        lines.append(f"  requirement  {requirement.name}: {value}")
    run = document.recorded_run
    if run is not None:
        total = sum(phase.duration_s or 0 for phase in run.phases)
        decisions = [phase.decision for phase in run.phases if phase.decision]
        summary = f"{len(run.phases)} phases, {format_duration(total)} in all"
        if decisions:
            summary += ", decision " + ", ".join(decisions)
        lines.append(f"  recorded run  {summary} (line {run.span.line})")
    for workflow in document.workflows:
        if not workflow.phases:
            lines.append("  (no workflow found: no phases or agent steps)")
            continue
        if workflow.title and workflow.title != document.title:
            lines.append(f"  workflow  {workflow.title}")
        if workflow.inputs:
            lines.append("  inputs  " + ", ".join(ref.text for ref in workflow.inputs))
        for phase in workflow.phases:
            lines.append("")
            name = (
                phase.title
                if phase.implicit
                else f"Phase {phase.label or phase.number}: {phase.title}"
            )
            lines.append(f"{name}  [{phase.id}]  (line {phase.span.line})")
            _blocks(lines, phase.blocks, "  ")
    return "\n".join(lines) + "\n"


def _blocks(lines: list[str], blocks: tuple[Block, ...], indent: str) -> None:
    for block in blocks:
        if isinstance(block, Step):
            _step(lines, block, indent)
        elif isinstance(block, ParallelBlock):
            lines.append(f"{indent}parallel  [{block.id}]  {_how_many(block)}")
            for branch in block.branches:
                lines.append(f"{indent}  ‖ {branch.label}: {branch.title}  [{branch.id}]")
                _blocks(lines, branch.blocks, indent + "    ")
        elif isinstance(block, DecisionBlock):
            question = block.question or "(decision)"
            lines.append(f"{indent}decision  [{block.id}]  {question}")
            for path in block.paths:
                when = f"when {path.condition}" if path.condition else "no condition"
                if path.is_default:
                    when = "otherwise" if not path.condition else f"{when}; the default"
                lines.append(f"{indent}  ◇ {path.label}: {path.title}  ({when})  [{path.id}]")
                _blocks(lines, path.blocks, indent + "    ")
        elif isinstance(block, Checkpoint):
            lines.append(f"{indent}checkpoint  [{block.id}]  {block.title}  ({block.gate})")
        elif isinstance(block, LoopBlock):
            limit = f", at most {block.max_iterations} runs" if block.max_iterations else ""
            until = f" until {block.until}" if block.until else ""
            if block.repeat_when:
                until = f" while {block.repeat_when}"
            lines.append(f"{indent}loop  [{block.id}]  repeat{until}{limit}")
            _blocks(lines, block.body, indent + "  ↻ ")


def _step(lines: list[str], step: Step, indent: str) -> None:
    flags = []
    if step.optional:
        flags.append(condition_phrase(step.condition) if step.condition else "optional")
    if step.background:
        flags.append("background")
    agent = step.agent or "(no agent)"
    model = f" ({step.model})" if step.model else ""
    flag_text = f"  [{'; '.join(flags)}]" if flags else ""
    lines.append(f"{indent}• {step.title}  [{step.id}]  line {step.span.line}{flag_text}")
    lines.append(f"{indent}    agent: {agent}{model}")
    if step.produces:
        lines.append(_wrap(f"{indent}    produces: ", [item.name for item in step.produces]))
    if step.consumes:
        lines.append(_wrap(f"{indent}    consumes: ", [ref.text for ref in step.consumes]))


def _wrap(prefix: str, values: list[str]) -> str:
    text = prefix + ", ".join(values)
    if len(text) <= _WIDTH:
        return text
    out: list[str] = []
    line = prefix
    pad = " " * len(prefix)
    for index, value in enumerate(values):
        piece = value + ("," if index < len(values) - 1 else "")
        if len(line) + len(piece) + 1 > _WIDTH and line.strip():
            out.append(line.rstrip())
            line = pad
        line += piece + " "
    out.append(line.rstrip())
    return "\n".join(out)


def _how_many(block: ParallelBlock) -> str:
    """How many branches ("3 branches", "1 branch"); a fan-out's one branch stands for its
    copies, run at once."""
    if block.fan_out:
        return "fan-out: copies of one branch at once"
    count = len(block.branches)
    return f"{count} branch" if count == 1 else f"{count} branches"
