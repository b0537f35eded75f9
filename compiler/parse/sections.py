"""Headings: phases, checkpoints, parallel branches, decisions and their paths, step
headings. Each heading pops the sections it closes and opens its own."""

from __future__ import annotations

import re

from compiler.model import Provenance, Span
from compiler.parse import patterns as p
from compiler.parse.agent_names import GENERIC_NAME, ordinary
from compiler.parse.builder import (
    BranchDraft,
    CheckpointDraft,
    ContainerDraft,
    DecisionDraft,
    ParallelDraft,
    PathDraft,
    PhaseDraft,
    StepDraft,
    extend,
)
from compiler.parse.elements import Element, TextLine
from compiler.parse.invocations import agent_mentions
from compiler.parse.misspellings import heading_keyword, misspelt_keyword
from compiler.parse.state import PathRole, RecogniserState, Section
from compiler.regex import LazyPattern

#: `If Condition: …` / `Elif Condition: …` (the docs-site dialect's own keyword).
_CONDITION_KEYWORD = LazyPattern(r"^(?:if|elif|else\s+if)\s+condition\b", re.IGNORECASE)


#: A heading about launching agents ("Spawn All Agents in Parallel", "Parallel Reviewers").
_LAUNCHES = LazyPattern(
    r"\b(?:spawn|launch|dispatch|activate|run|delegate|agents?|sub-?agents?|reviewers?|"
    r"teammates?|workers?)\b|激活|启动|智能体|エージェント|에이전트",
    re.IGNORECASE,
)


class HeadingRecognition(RecogniserState):
    def on_heading(self, element: Element) -> None:
        line = element.lines[0]
        text = p.strip_markup(line.text)
        level = element.level
        lead = self.lead_text  # what the heading follows, before it becomes the lead itself
        classified = p.classify_heading(text)
        typo = heading_keyword(text) if classified is None else None
        if typo is not None:
            # "## Phsae 2: Deploy": read as the phase it means, and say so (WF111).
            written, intended = typo
            classified = p.classify_heading(intended.capitalize() + text[len(written) :])
            if classified is not None:
                start = line.text.find(written)
                self.out.diagnostics.append(
                    misspelt_keyword(
                        written,
                        intended.capitalize(),
                        line.span(start, start + len(written)),
                        "heading",
                    )
                )
        role, groups = classified if classified else (None, {})
        promoted = False
        if role == "step" and level == self.numbered_phase_level and p.NUMBERED_HEADING.match(text):
            role, promoted = "phase", True
        if role == "phase" and self.phase_level and level != self.phase_level:
            role = None  # "Phase 2" at another level than the phases talks about one
        while self.stack and self.stack[-1].level >= level:
            self.pop_section()
        if self.batch_region is not None and level <= self.batch_region[0]:
            self.batch_region = None
        if p.parallel_cue(text) and (role == "step" or _LAUNCHES.search(text)) and level > 1:
            # "### Step 2 — Trigger Reviews in Parallel": the agents under it run together
            self.batch_region = (level, self.next_batch())
        if self.out.title is None and level == 1 and not self.stack:
            self.out.title = text
            self.out.title_span = line.span()
            return
        if self.skipping():
            return
        self.lead_text = text
        span = line.span()
        if role == "phase":
            self.start_phase(level, groups, text, span, "inferred" if promoted else "explicit")
        elif role == "checkpoint":
            self.close_step()
            phase = self.current_phase(span, text)
            label = groups.get("num")
            title = groups.get("title") or text
            phase.blocks.append(CheckpointDraft(span=span, title=title.strip(" —–-"), label=label))
            self.stack.append(Section(level, "checkpoint", text))
        elif role in ("notes", "results", "requirements") and level <= max(self.phase_level, 2):
            self.close_step()
            self.stack.append(Section(level, "skip" if role == "results" else "notes", text))
        elif role == "example":
            # "### Example: …", "## Anti-patterns": calls shown there are not run.
            self.close_step()
            self.stack.append(Section(level, "skip", text))
        elif role == "branch":
            self.start_branch(level, groups, text, span)
            self.branch_agent(level, groups, text, line)
        elif role == "decision":
            self.close_step()
            container = self.container(span, text)
            decision = DecisionDraft(
                span=span, question=groups.get("q") or text, provenance="explicit"
            )
            container.blocks.append(decision)
            self.stack.append(Section(level, "decision", text, decision))
        elif role == "path" or role == "if" or role == "elif" or role == "else":
            self.start_path(level, role, groups, line)
        elif (launch := self.launch_above(text, level, lead, line)) is not None:
            self.start_member_heading(level, text, line, launch, lead)
        elif role == "step" or agent_mentions(line.passage):
            self.start_heading_step(level, groups, text, line)
            self.agent_in_heading(line)
            if self.step is not None and self.step.agent is None:
                named = self.named_agent(line)  # "### 2. Build → agent `block-expert`"
                if named is not None:
                    self.heading_agent(named, line, groups.get("title") or text)
        elif (named := self.named_agent(line)) is not None:
            self.start_heading_step(level, groups, text, line)
            self.heading_agent(named, line, text)
        else:
            self.stack.append(Section(level, "generic", text, line=line.line))

    def named_agent(self, line: TextLine) -> re.Match[str] | None:
        named = _NAMED_AGENT.search(line.text) or _ARROWED_AGENT.search(line.text)
        return named if named is not None and not ordinary(named["name"]) else None

    def heading_agent(self, named: re.Match[str], line: TextLine, text: str) -> None:
        """`### Code Analysis (explore agent)`: the heading names who runs the step it opens
        (inferred: a name in a parenthesis, not a form made for agents)."""
        step = self.step
        if step is None:
            return
        step.agent, step.agent_span = named["name"], line.span(*named.span("name"))
        step.provenance = "inferred"
        if self.batch_region is not None:
            step.batch, step.background = self.batch_region[1], True
        # the title ends where the agent is named: at the arrow, or at the parenthesis
        arrow = _ARROW_TO_AGENT.search(text)
        cut = arrow.start() if arrow is not None else text.rfind("(")
        step.title = (text[:cut] if cut >= 0 else text).strip() or text

    def branch_agent(self, level: int, groups: dict[str, str], text: str, line: TextLine) -> None:
        """`### Track 1: External Research (librarian agent)`: the branch's one step, run by
        the agent its heading names."""
        named = self.named_agent(line)
        if named is None:
            return
        title = groups.get("title") or text
        self.start_heading_step(level + 1, {}, title, line)
        self.heading_agent(named, line, title)
        step = self.step
        if step is not None:  # a branch already runs beside its siblings
            step.batch, step.background = None, False

    def agent_in_heading(self, line: TextLine) -> None:
        """`### Research Agent A — Code Analysis (subagent_type: Explore)`: the heading
        names the agent of the step it opens."""
        step = self.step
        mentions = agent_mentions(line.passage)
        if step is None or not mentions:
            return
        agent, span, _start, _end = mentions[0]
        step.agent, step.agent_span = agent, span
        step.provenance, step.agent_stated, step.fields_open = "explicit", True, True
        if self.batch_region is not None:
            step.batch, step.background = self.batch_region[1], True
        cut = re.sub(r"\s*[(（][^()（）]*subagent_type[^()（）]*[)）]\s*$", "", step.title)
        step.title = cut.strip() or step.title

    def pop_section(self) -> None:
        section = self.stack.pop()
        if (
            section.role in ("step", "generic")
            and (self.step is not None and (section.obj is self.step or section.step is self.step))
        ) or section.role in ("phase", "branch", "path", "decision"):
            self.close_step()
        elif _launched_under(self.step, section):
            # "### Spawn Parallel Research Tasks" and its agents, then "### Present Findings":
            # the agents launched together under it end with their section
            self.close_step()

    def start_phase(
        self, level: int, groups: dict[str, str], text: str, span: Span, provenance: Provenance
    ) -> None:
        self.close_step()
        label = groups.get("num", "")
        number_match = re.match(r"\d+", label)
        title = (groups.get("title") or "").strip() or text
        title, hint = _strip_parallel_hint(title)
        phase = PhaseDraft(
            span=span,
            title=title,
            number=int(number_match.group(0)) if number_match else None,
            label=label or None,
            parallel_hint=hint,
            parallel_provenance="explicit",
            provenance=provenance,
        )
        self.out.phases.append(phase)
        self.stack.append(Section(level, "phase", text, phase))

    def start_branch(self, level: int, groups: dict[str, str], text: str, span: Span) -> None:
        self.close_step()
        container = self.container(span, text)
        last = container.blocks[-1] if container.blocks else None
        if isinstance(last, ParallelDraft) and last.heading_level == level:
            parallel = last
        else:
            parallel = ParallelDraft(span=span, heading_level=level)
            container.blocks.append(parallel)
        branch = BranchDraft(
            span=span, label=groups.get("num", ""), title=groups.get("title", text)
        )
        parallel.branches.append(branch)
        parallel.span = extend(parallel.span, span)
        self.stack.append(Section(level, "branch", text, branch))

    def start_path(
        self, level: int, role: PathRole, groups: dict[str, str], line: TextLine
    ) -> None:
        self.close_step()
        span = line.span()
        decision = self.open_decision()
        if decision is None or role == "if":
            container = self.container(span, line.text)
            last = container.blocks[-1] if container.blocks else None
            if role != "if" and isinstance(last, DecisionDraft):
                decision = last
            else:
                decision = DecisionDraft(span=span, question=None)
                container.blocks.append(decision)
        condition = groups.get("cond")
        condition_span = None
        if condition:
            found = line.text.find(condition)
            condition_span = line.span(found, found + len(condition)) if found >= 0 else span
        title = groups.get("title") or (condition or "")
        if role == "else" and not title:
            title = "Otherwise"
        # `#### Path A: … (Condition: …)`, `### If Condition: …` state a decision; an ordinary
        # heading that happens to start with "If" or "Option" is read as one (inferred).
        stated = bool(condition) and (
            role in ("path", "else") or bool(_CONDITION_KEYWORD.match(p.strip_markup(line.text)))
        )
        if stated or (role == "else" and decision.provenance == "explicit"):
            decision.provenance = "explicit"
        path = PathDraft(
            span=span,
            role=role,
            default=bool(
                re.search(r"\((?:the\s+)?default\)|\(fallback\)", line.text, re.IGNORECASE)
            ),
            label=groups.get("num", ""),
            title=title.strip(),
            condition=condition.strip() if condition else None,
            condition_span=condition_span,
            provenance="explicit" if stated or role in ("path", "else") else "inferred",
        )
        decision.paths.append(path)
        decision.span = extend(decision.span, span)
        self.stack.append(Section(level, "path", line.text, path))

    def open_decision(self) -> DecisionDraft | None:
        for section in reversed(self.stack):
            if section.role == "decision":
                return section.obj  # type: ignore[no-any-return]
            if section.role in ("phase", "branch", "path"):
                return None
        return None

    def start_heading_step(
        self, level: int, groups: dict[str, str], text: str, line: TextLine
    ) -> None:
        self.close_step()
        title = (groups.get("title") or "").strip() or text
        optional = p.title_marker(title)
        named = text.lower().startswith("step")
        in_phase = any(s.role == "phase" and s.obj.provenance == "explicit" for s in self.stack)
        step = StepDraft(
            title=title,
            span=line.span(),
            label=groups.get("num"),
            from_heading=True,
            named_step=named,
            provenance="explicit" if named or in_phase else "inferred",
        )
        if optional:
            step.title, step.condition = optional
            step.optional = True
        step.title, hint = _strip_parallel_hint(step.title)
        del hint
        container = self.container(step.span, text)
        container.blocks.append(step)
        self.step = step
        self.step_depth = 0
        self.stack.append(Section(level, "step", text, step))

    def launch_above(self, text: str, level: int, lead: str, line: TextLine) -> StepDraft | None:
        """The step launching several agents ("spawn both agents in a single message")
        before a heading that numbers one of them ("### Agent 1 (4 repos)")."""
        if not p.MEMBER_HEADING.match(text):
            return None
        if self.member_launch is not None and self.member_launch[1] == level:
            return self.member_launch[0]

        last = self.step
        if last is None:
            container = self.innermost_container()
            block = container.blocks[-1] if container is not None and container.blocks else None
            last = block if isinstance(block, StepDraft) else None
        if last is None:
            return self.heading_launch(level, line) or self.numbered_members(text, level, line)
        if last.agent is not None and (last.fan_out or _SEVERAL.search(lead)):
            return last
        if last.agent is None and _SEVERAL.search(lead) and p.parallel_cue(lead):
            # "## Step 1: Launch Reviews" / "Launch BOTH agents in a single message" with
            # each agent's Task block under its own "### Agent N" heading
            return last
        return self.numbered_members(text, level, line)

    def numbered_members(self, text: str, level: int, line: TextLine) -> StepDraft | None:
        """ "### Sub-agent 1: Application Structure" followed by "### Sub-agent 2: …" with
        no sentence launching them: headings that number agents in a row are each one
        agent the section runs (an unnamed one, unless its section names it)."""
        for element in self.elements[self.index_after(line.line) :]:
            if element.kind != "heading" or element.level > level:
                continue
            following = p.strip_markup(element.text)
            if element.level < level or not p.MEMBER_HEADING.match(following):
                return None
            if _member_number(following) != _member_number(text) + 1:
                return None
            return StepDraft(title=text, span=line.span(), agent=GENERIC_NAME)
        return None

    def heading_launch(self, level: int, line: TextLine) -> StepDraft | None:
        """ "## Parallel Agent Tasks" over "### Agent 1: Planning", "### Agent 2: …", no step
        launching them: the heading does, one unnamed agent each, together."""
        parent = next((s for s in reversed(self.stack) if s.level < level), None)
        if parent is None or not p.parallel_cue(parent.title) or not _AGENTS.search(parent.title):
            return None
        return StepDraft(title=p.strip_markup(parent.title), span=line.span(), agent=GENERIC_NAME)

    def start_member_heading(
        self, level: int, text: str, line: TextLine, launch: StepDraft, lead: str
    ) -> None:
        """One of the launched agents, a step of its own under its heading: the first one
        takes the launching step's place, and all of them run together when it said so."""
        if self.member_launch is None or self.member_launch[0] is not launch:
            self.drop_launch(launch)
            said = " ".join(
                e.text for e in self.elements if e.span.line <= launch.span.line <= e.span.end_line
            )
            parallel = launch.fan_out or launch.background or p.parallel_cue(f"{lead} {said}")
            launch.batch = self.next_batch() if parallel else None
            self.member_launch = (launch, level)
        self.start_heading_step(level, {}, text, line)
        step = self.step
        assert step is not None
        step.agent, step.agent_span = launch.agent, launch.agent_span
        step.agent_stated, step.provenance = launch.agent_stated, "inferred"
        # "spawn both agents" then "### Agent 1" naming `subagent_type: "x"`: x runs it
        step.agent_from_title = launch.agent == GENERIC_NAME
        step.batch, step.background = launch.batch, launch.batch is not None

    def drop_launch(self, launch: StepDraft) -> None:
        if self.step is launch:
            self.close_step()
        for section in self.stack:
            if isinstance(section.obj, ContainerDraft) and launch in section.obj.blocks:
                section.obj.blocks.remove(launch)
                return
        container = self.container(launch.span, launch.title)  # an implicit phase
        if launch in container.blocks:
            container.blocks.remove(launch)


#: A heading ending in the agent that runs it: "(librarian agent)", "(team-researcher agent,
#: haiku model)"; not "(inferred agent: go/frontend)".
_NAMED_AGENT = LazyPattern(
    r"[(（](?P<name>[A-Za-z][\w.-]*(?:[ -][A-Za-z][\w.-]*){0,2}?)\s+(?:sub-?)?agent"
    r"(?:\s*,[^()（）:]*)?[)）]\s*:?\s*$",
    re.IGNORECASE,
)

#: `## 2. Build (pixel-perfect) → agent `block-expert``: the heading hands its step to the
#: agent it names after an arrow (a condition in parentheses may follow).
_ARROW_TO_AGENT = LazyPattern(r"\s(?:→|->)\s*(?:sub-?)?agent\s", re.IGNORECASE)
_ARROWED_AGENT = LazyPattern(
    _ARROW_TO_AGENT.pattern
    + r"+(?P<mark>`|\*\*)(?P<name>[A-Za-z][\w.:-]*)(?P=mark)(?:\s*[(（][^()（）]*[)）])?\s*$",
    re.IGNORECASE,
)


def _member_number(heading: str) -> int:
    """The number of a heading `MEMBER_HEADING` matches ("Agent #2: …" → 2)."""
    found = re.search(r"\d+", heading)
    return int(found.group()) if found else 0


#: A heading about the agents it holds ("Parallel Agent Tasks", "Sub-agents in parallel").
_AGENTS = LazyPattern(r"\b(?:sub-?agents?|agents?|workers?)\b", re.IGNORECASE)

#: "spawn both agents", "Launch all three sub-agents below": one sentence, several agents.
_SEVERAL = LazyPattern(
    r"\b(?:both|all|two|three|four|five|\d|multiple|several)\s+(?:[\w-]+\s+)?"
    r"(?:sub-?agents|agents|reviewers|researchers|workers)\b",
    re.IGNORECASE,
)


def _strip_parallel_hint(title: str) -> tuple[str, bool]:
    """Phase titles like "Parallel Implementation" or "(in parallel)" mark a parallel body."""
    hint = bool(p.PARALLEL_TITLE.search(title) or p.parallel_cue(title, p.PARALLEL_PROSE))
    cleaned = re.sub(r"\s*\((?:steps?\s+[^)]*)\)\s*$", "", title, flags=re.IGNORECASE)
    return cleaned.strip() or title, hint


def _launched_under(step: StepDraft | None, section: Section) -> bool:
    """Is `step` one of the agents launched together under the heading of `section`?"""
    return (
        step is not None
        and step.batch is not None
        and section.role == "generic"
        and 0 < section.line < step.span.line
    )
