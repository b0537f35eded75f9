"""The hand-offs a custom agent's front matter offers (VS Code Copilot's `handoffs:` key).

```yaml
handoffs:
  - label: "[1] Generate Spec"
    agent: Spec Generator
    prompt: Write the technical spec for the requested feature.
    send: true
```

Once the agent has answered, each hand-off is a button that passes the work on to another
agent with that prompt. The user picks one or none: read as a decision of the workflow's
last phase, a path per hand-off holding the step that agent runs, and a default path for
staying where the work is. The structure is stated (a key made for it), so the steps are
explicit; their prompts are the hand-offs' own words.
"""

from __future__ import annotations

from typing import Any

from compiler.model import Span
from compiler.parse.builder import DecisionDraft, PathDraft, PhaseDraft, StepDraft, extend
from compiler.parse.elements import Element, TextLine
from compiler.regex import LazyPattern

#: `handoffs:` opening the list, and an item's `agent:` line (either may be indented).
_HANDOFFS_KEY = LazyPattern(r"^handoffs[ \t]*:")
_AGENT_LINE = LazyPattern(r"^[ \t]*(?:-[ \t]+)?agent[ \t]*:")


def offered_handoffs(front_matter: dict[str, Any], element: Element | None) -> PhaseDraft | None:
    """The hand-offs `front_matter` offers, as a phase holding their decision; None when it
    offers none. `element` is the front matter block the values were read from (for spans)."""
    listed = front_matter.get("handoffs")
    if element is None or not isinstance(listed, list):
        return None
    offers = [
        offer for offer in listed if isinstance(offer, dict) and isinstance(offer.get("agent"), str)
    ]
    key = next((line for line in element.lines if _HANDOFFS_KEY.match(line.text)), None)
    if not offers or key is None:
        return None
    agent_lines = iter(_agent_lines(element, key.line))
    key_span = key.span()
    decision = DecisionDraft(span=key_span, question="Hand off to", provenance="explicit")
    for index, offer in enumerate(offers):
        agent = offer["agent"].strip()
        written = next(agent_lines, None)
        span = _agent_span(written, agent) if written is not None else key_span
        label = offer.get("label")
        title = label.strip() if isinstance(label, str) else ""
        title = title or f"Hand off to {agent}"
        prompt = offer.get("prompt")
        step = StepDraft(
            title=title,
            span=span,
            agent=agent,
            agent_span=span,
            prompt=prompt.strip() if isinstance(prompt, str) and prompt.strip() else None,
            prompt_span=span if isinstance(prompt, str) else None,
            provenance="explicit",
            agent_stated=True,
        )
        path = PathDraft(
            span=span,
            role="path",
            label=chr(ord("A") + index) if index < 26 else str(index + 1),
            title=title,
            condition=f"the user picks “{title}”",
            condition_span=span,
        )
        path.blocks.append(step)
        decision.paths.append(path)
        decision.span = extend(decision.span, span)
    stay = PathDraft(span=key_span, role="else", default=True, title="No hand-off")
    decision.paths.append(stay)
    phase = PhaseDraft(span=decision.span, title="Hand-offs", implicit=True, appended=True)
    phase.blocks.append(decision)
    return phase


def _agent_lines(element: Element, after: int) -> list[TextLine]:
    """The `agent:` lines of the hand-off list, in order (the list ends at the next key)."""
    found: list[TextLine] = []
    for line in element.lines:
        if line.line <= after:
            continue
        if line.text[:1].isalpha():
            break  # the next top-level key
        if _AGENT_LINE.match(line.text):
            found.append(line)
    return found


def _agent_span(line: TextLine, agent: str) -> Span:
    start = line.text.find(agent) if agent else -1
    if start < 0:
        return line.span()
    return line.span(start, start + len(agent))


__all__ = ["offered_handoffs"]
