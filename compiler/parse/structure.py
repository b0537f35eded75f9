"""The structure prose describes, made typed before freezing: steps labelled 1A/1B, steps
"in parallel with Step N" and background calls become parallel blocks; routing alternatives
become a decision; "return to Step N … max 2 retries" becomes a loop."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from compiler.model import Provenance
from compiler.parse.agent_names import GENERIC_NAME
from compiler.parse.builder import (
    BlockDraft,
    BranchDraft,
    ContainerDraft,
    DecisionDraft,
    LoopBlockDraft,
    ParallelDraft,
    PathDraft,
    StepDraft,
    extend,
)
from compiler.parse.patterns import PARALLEL_TITLE
from compiler.regex import LazyPattern


def structure(container: ContainerDraft) -> list[BlockDraft]:
    """Turn prose structure (1A/1B labels, "in parallel with Step N", background calls,
    "return to Step N") into parallel groups and loops, in document order."""
    blocks = _group_parallel(container)
    return _group_loops(_group_routes(blocks))


@dataclass
class _AutoParallel:
    """A parallel group formed from steps (each step is its own branch). It is explicit when
    the document states it in a form made for it (letter labels 4a/4b on headings,
    `run_in_background` calls, a phase titled "Parallel …"), inferred from a sentence."""

    steps: list[StepDraft]
    title: str | None = None
    provenance: Provenance = "explicit"
    fan_out: bool = False


def _group_parallel(container: ContainerDraft) -> list[BlockDraft]:
    blocks: list[BlockDraft | _AutoParallel] = []
    container.blocks = _without_announcements(container.blocks)
    only_steps = all(isinstance(block, StepDraft) for block in container.blocks)
    agents = [b for b in container.blocks if isinstance(b, StepDraft) and not b.coordinator]
    # (not where the steps say which of them run together: "| Parallel Group | Agents |"
    # rows are groups one after another, under a title saying "parallel" all the same)
    batches = {step.batch for step in agents if step.batch is not None}
    if container.parallel_hint and only_steps and len(agents) >= 2 and len(batches) < 2:
        stated = container.parallel_provenance == "explicit" or _lettered(agents)
        explicit = stated and all(step.provenance == "explicit" for step in agents)
        group = _as_parallel_draft(
            _AutoParallel(agents, provenance="explicit" if explicit else "inferred")
        )
        # the coordinator's work before the agents start, and after they are all done
        first = agents[0].span.line
        own = [b for b in container.blocks if isinstance(b, StepDraft) and b.coordinator]
        return [
            *[b for b in own if b.span.line < first],
            group,
            *[b for b in own if b.span.line >= first],
        ]
    for block in container.blocks:
        previous = blocks[-1] if blocks else None
        if not isinstance(block, StepDraft):
            blocks.append(block)
            continue
        how = _join(container, previous, block)
        if how is None and block.fan_out:
            blocks.append(_AutoParallel([block], provenance="inferred", fan_out=True))
            continue
        if how is None:
            blocks.append(block)
            continue
        if isinstance(previous, _AutoParallel):
            if previous.fan_out:
                previous.fan_out = previous.steps[0].fan_out = False  # (see `_join`)
            previous.steps.append(block)
            if how == "inferred":
                previous.provenance = "inferred"
        elif isinstance(previous, StepDraft):
            blocks[-1] = _AutoParallel([previous, block], provenance=how)
    out: list[BlockDraft] = []
    for grouped in blocks:
        if isinstance(grouped, _AutoParallel):
            out.append(_as_parallel_draft(grouped))
        elif isinstance(grouped, StepDraft) and grouped.batch is not None:
            # a step launched "in parallel" on its own: a fan-out of copies of it
            lone = _AutoParallel([grouped], provenance="inferred", fan_out=True)
            out.append(_as_parallel_draft(lone))
        else:
            out.append(grouped)
    return out


def _without_announcements(blocks: list[BlockDraft]) -> list[BlockDraft]:
    """A count ("Launch **two agents simultaneously**"), then the two launched by name, in the
    same batch: the count announced them, it launches no unnamed copies of its own."""
    return [
        block
        for index, block in enumerate(blocks)
        if not (
            isinstance(block, StepDraft)
            and block.fan_out
            and block.agent == GENERIC_NAME
            and block.provenance == "inferred"
            and block.batch is not None
            and block.prompt is None
            and any(
                isinstance(later, StepDraft)
                and later.batch == block.batch
                and later.agent not in (None, GENERIC_NAME)
                for later in blocks[index + 1 :]
            )
        )
    ]


def _join(
    container: ContainerDraft, previous: BlockDraft | _AutoParallel | None, step: StepDraft
) -> Provenance | None:
    """Whether `step` runs alongside the step(s) just before it, and how the document says
    so: `run_in_background` calls side by side and letter-labelled step headings (4a, 4b) in
    a container that says "parallel" are stated; "in parallel with Step 2" is a sentence.
    Lower-case letter labels alone (2B.2a, 2B.2b, 3a–3d) are sub-steps in sequence."""
    if previous is None:
        return None
    if isinstance(previous, _AutoParallel) and previous.fan_out:
        # "Spawn 4 parallel mapper agents" then the calls of that agent, each in the
        # background: the calls are the copies the fan-out spoke of, one group
        lead = previous.steps[0]
        if not (
            step.background
            and not step.fan_out  # (a second "launch parallel subagents": the same fan-out)
            and lead.agent is not None
            and lead.agent == step.agent
        ):
            return None
        return "explicit" if step.provenance == lead.provenance == "explicit" else "inferred"
    members = previous.steps if isinstance(previous, _AutoParallel) else [previous]
    if not all(isinstance(member, StepDraft) for member in members):
        return None
    steps = [member for member in members if isinstance(member, StepDraft)]
    last = steps[-1]
    explicit = step.provenance == "explicit" and last.provenance == "explicit"
    if step.parallel_with and any(
        (member.label or "").lower() == step.parallel_with.lower() for member in steps
    ):
        return "inferred"
    if step.background and last.background and step.batch == last.batch:
        return "explicit" if explicit else "inferred"
    if _letter_pair(last.label, step.label):
        if any(_SEQUENTIAL_TITLE.search(member.title) for member in (last, step)):
            return None  # "3a. Sequential execution" / "3b. Parallel execution": two modes
        said = container.parallel_hint or any(
            PARALLEL_TITLE.search(member.title) for member in (last, step)
        )
        # `### Step 1A:` / `### Step 1B:` is the plugin dialect's parallel pair (DESIGN §2);
        # lower-case sub-steps with nothing saying "parallel" (3a, 3b, 2B.2a) run in sequence
        pair = last.named_step and step.named_step and (step.label or "")[-1:].isupper()
        if not (said or pair):
            return None
        stated = explicit and last.from_heading and step.from_heading
        return "explicit" if stated else "inferred"
    return None


#: A step titled as the one-at-a-time way of doing something ("Sequential execution").
_SEQUENTIAL_TITLE = LazyPattern(
    r"\b(?:sequential(?:ly)?|serial(?:ly)?|one\s+at\s+a\s+time)\b", re.IGNORECASE
)


def _lettered(steps: list[StepDraft]) -> bool:
    """Headings labelled 4a, 4b, 4c…: the document numbers the steps as one group."""
    return all(step.from_heading for step in steps) and all(
        _letter_pair(left.label, right.label) for left, right in itertools.pairwise(steps)
    )


def _letter_pair(left: str | None, right: str | None) -> bool:
    """Labels like 1A and 1B (or 4a…4d): the same number with different letters."""
    if not left or not right:
        return False
    a = re.fullmatch(r"(\d+(?:\.\d+)*)([a-z])", left.lower())
    b = re.fullmatch(r"(\d+(?:\.\d+)*)([a-z])", right.lower())
    return bool(a and b and a.group(1) == b.group(1) and a.group(2) != b.group(2))


def _as_parallel_draft(group: _AutoParallel) -> ParallelDraft:
    span = group.steps[0].span
    for step in group.steps[1:]:
        span = extend(span, step.span)
    branches = [
        BranchDraft(span=step.span, blocks=[step], label="", title=step.title)
        for step in group.steps
    ]
    return ParallelDraft(
        span=span,
        title=group.title,
        branches=branches,
        heading_level=-1,
        provenance=group.provenance,
        fan_out=group.fan_out and len(group.steps) == 1,
    )


def _group_routes(blocks: list[BlockDraft]) -> list[BlockDraft]:
    """Consecutive alternative steps ("Python issues → python-pro", "### For Code Errors")
    form one decision whose paths are the alternatives; a lone one is a conditional step."""
    out: list[BlockDraft] = []
    run: list[StepDraft] = []

    def flush() -> None:
        if len(run) == 1:
            run[0].optional = True
            run[0].condition = run[0].condition or run[0].route
            out.append(run[0])
        elif run:
            span = run[0].span
            for step in run[1:]:
                span = extend(span, step.span)
            paths = [
                PathDraft(
                    span=step.span,
                    blocks=[step],
                    role="path",
                    label=chr(ord("A") + index) if index < 26 else str(index + 1),
                    title=step.route or step.title,
                    condition=step.route,
                    provenance=step.provenance,
                )
                for index, step in enumerate(run)
            ]
            for step in run:
                step.route = None  # the path now carries the condition
            question = next((step.route_question for step in run if step.route_question), None)
            stated = all(step.provenance == "explicit" for step in run)
            out.append(
                DecisionDraft(
                    span=span,
                    question=question,
                    paths=paths,
                    provenance="explicit" if stated else "inferred",
                )
            )
        run.clear()

    for block in blocks:
        if isinstance(block, StepDraft) and block.route:
            run.append(block)
            continue
        flush()
        out.append(block)
    flush()
    return out


def _group_loops(blocks: list[BlockDraft]) -> list[BlockDraft]:
    out: list[BlockDraft] = []
    for block in blocks:
        out.append(block)
        closer = block if isinstance(block, StepDraft) else None
        if closer is not None and closer.loop_to is None and _one_at_a_time(closer):
            # "For each skill, run the Skill Assessor": the step again for every item
            closer.loop_until = f"each {closer.each} is done"
            out[-1] = LoopBlockDraft(body=[closer], closer=closer)
            continue
        if closer is None or closer.loop_to is None:
            continue
        target = closer.loop_to.lower()
        for index in range(len(out) - 1, -1, -1):
            candidate = out[index]
            if first_label(candidate) == target:
                body = out[index:]
                del out[index:]
                out.append(LoopBlockDraft(body=list(body), closer=closer))
                break
    return out


def _one_at_a_time(step: StepDraft) -> bool:
    """A step run for each item of a list, one after another (copies run together are a
    fan-out, not a loop)."""
    return step.each is not None and not (step.fan_out or step.background or step.batch)


def first_label(block: object) -> str | None:
    if isinstance(block, StepDraft):
        return (block.label or "").lower() or None
    if isinstance(block, ParallelDraft) and block.branches and block.branches[0].blocks:
        return first_label(block.branches[0].blocks[0])
    if isinstance(block, LoopBlockDraft) and block.body:
        return first_label(block.body[0])
    return None
