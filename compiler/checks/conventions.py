"""A document's own conventions, read before any rule calls something missing (DESIGN §2):
does this workflow give its agents prompts, declare outputs, use which field keys? A rule
that reports "no prompt" in a document whose steps never carry one is reporting the
author's style, not a defect.

Only explicit steps count: a prose "use the x agent" line says nothing about whether the
author writes `Prompt:` fields.
"""

from __future__ import annotations

from typing import NamedTuple

from compiler.model import Step, Workflow, iter_steps
from compiler.parse.patterns import field_role, normalise_key


class Conventions(NamedTuple):
    agent_steps: int  # explicit steps that name an agent
    prompted: int  # … of which carry a prompt (field, Task block, call argument)
    declaring: int  # … of which declare something they produce
    field_keys: frozenset[str]  # known field keys written anywhere (normalised)
    declares_outputs: bool  # some step declares an Output/Context item

    @property
    def prompts(self) -> bool:
        """Steps here carry prompts: at least two explicit agent steps do, and at least half."""
        return self.prompted >= 2 and self.prompted * 2 >= self.agent_steps

    @property
    def outputs(self) -> bool:
        """Declaring outputs is the rule here: at least two agent steps in three do."""
        return self.agent_steps > 0 and self.declaring * 3 >= self.agent_steps * 2


def read_conventions(workflow: Workflow) -> Conventions:
    steps = [s for s in iter_steps(workflow) if s.provenance == "explicit" and s.agent]
    keys = frozenset(
        normalise_key(f.key)
        for step in iter_steps(workflow)
        for f in step.fields
        if f.known and field_role(f.key) is not None
    )
    return Conventions(
        agent_steps=len(steps),
        prompted=sum(1 for step in steps if _prompted(step)),
        declaring=sum(1 for step in steps if step.produces),
        field_keys=keys,
        declares_outputs=any(
            item.kind in ("output", "context", "final")
            for step in iter_steps(workflow)
            for item in step.produces
        ),
    )


def _prompted(step: Step) -> bool:
    return bool(step.prompt) or any(field_role(f.key) == "prompt" for f in step.fields)
