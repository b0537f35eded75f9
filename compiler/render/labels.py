"""The words every rendering puts on the same things (HTML, SVG, Mermaid, DOT, Markdown), so a
phase, a gate or a loop reads the same in each format."""

from __future__ import annotations

from compiler.model import (
    Branch,
    Checkpoint,
    DecisionPath,
    LoopBlock,
    Phase,
    Step,
    condition_phrase,
)
from compiler.render.text import clean

_GATE_WORDS = {"approval": "Approval gate", "question": "Question gate", "wait": "Wait gate"}


def phase_kicker(phase: Phase) -> str:
    """ "Phase 3" (or "" for an implicit phase, which has no number)."""
    if phase.implicit:
        return ""
    number = phase.label or (str(phase.number) if phase.number is not None else "")
    return f"Phase {number}".strip()


def phase_caption(phase: Phase) -> str:
    """ "Phase 3: Parallel Containment"."""
    kicker = phase_kicker(phase)
    title = clean(phase.title) or "(untitled phase)"
    return f"{kicker}: {title}" if kicker else title


def agent_text(step: Step) -> str:
    """ "agent · model hint", or "" when the step names no agent."""
    agent = clean(step.agent)
    model = clean(step.model)
    if agent and model:
        return f"{agent} · {model}"
    return agent or (f"model {model}" if model else "")


def step_note(step: Step) -> str:
    """What qualifies a step: its condition, or that it is optional / runs in background."""
    if step.condition:
        return condition_phrase(clean(step.condition))
    if step.optional:
        return "optional"
    if step.background:
        return "in background"
    return ""


def gate_text(checkpoint: Checkpoint) -> str:
    return _GATE_WORDS.get(checkpoint.gate, "Gate")


def loop_caption(loop: LoopBlock) -> str:
    limit = f" · at most {loop.max_iterations} runs" if loop.max_iterations else ""
    return f"↻ Loop{limit}"


def loop_question(loop: LoopBlock) -> tuple[str, str, str]:
    """(the question asked after each run, label of the repeat edge, label of the exit)."""
    if loop.repeat_when:
        return f"{clean(loop.repeat_when)}?", "yes, repeat", "no"
    if loop.until:
        return f"{clean(loop.until)}?", "no, repeat", "yes"
    return "repeat?", "yes", "no"


def path_condition(path: DecisionPath) -> str:
    """The condition written on a decision path's edge (as the graph stores it)."""
    if path.condition:
        return clean(path.condition)
    return "otherwise" if path.is_default else clean(path.title)


def path_caption(path: DecisionPath) -> str:
    """ "Path A: Gateway Fault" / "Else: Fraud Rules Misfire"."""
    label = clean(path.label)
    title = clean(path.title)
    lowered = label.lower()
    if lowered in ("else", "otherwise", "if") or lowered.startswith("elif"):
        word = "Else if" if lowered.startswith("elif") else lowered.capitalize()
        return f"{word}: {title}" if title else word
    return f"Path {label}: {title}" if title else f"Path {label}"


def branch_caption(branch: Branch) -> str:
    """ "A" when the branch is just its one step, else "A · Branch title"."""
    label = clean(branch.label)
    title = clean(branch.title)
    only = branch.blocks[0] if len(branch.blocks) == 1 else None
    if not title or (isinstance(only, Step) and clean(only.title) == title):
        return label
    return f"{label} · {title}" if label else title
