"""The recogniser: walks block elements in document order and fills workflow drafts.

It knows roles (phase, branch, path, step, field…) from `patterns`, never spellings. A
section stack follows the heading levels; content goes to the innermost open step, or to
the innermost container (phase / branch / path) as notes. Agent invocations without a
heading of their own start a step in the innermost container.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from compiler.model import Field_, Item, ItemKind, Note, ParseDiagnostic, Ref, Span
from compiler.parse import patterns as p
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
from compiler.parse.elements import Element, TextLine, lines_span
from compiler.parse.invocations import (
    Invocation,
    agent_mentions,
    find_calls,
    parse_task_block,
)
from compiler.parse.text import Passage, cut_line, trimmed
from compiler.parse.values import (
    file_reads,
    file_saves,
    items_of,
    prompt_references,
    references_of,
    unquote,
)

PathRole = Literal["path", "if", "elif", "else"]


@dataclass
class Section:
    level: int
    role: str  # phase, branch, path, decision, step, checkpoint, notes, skip, generic
    title: str
    obj: Any = None
    step: StepDraft | None = None  # a step adopted by a generic heading


@dataclass
class Recognised:
    title: str | None = None
    title_span: Span | None = None
    intent: str | None = None
    phases: list[PhaseDraft] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    inputs: list[Ref] = field(default_factory=list)
    diagnostics: list[ParseDiagnostic] = field(default_factory=list)


class Recogniser:
    def __init__(self, elements: list[Element]) -> None:
        self.elements = elements
        self.out = Recognised()
        self.stack: list[Section] = []
        self.step: StepDraft | None = None
        self.step_depth = 0  # list depth at which the current step's fields sit
        self.field_value: tuple[str, StepDraft, int] | None = None  # (role, step, depth)
        self.phase_level = _phase_level(elements)
        self.numbered_phase_level = _numbered_phase_level(elements, self.phase_level)
        self.parent_items: dict[int, Element] = {}
        self.pending_title: tuple[str, str | None] | None = None  # from a bold pseudo-heading
        self.chain: list[StepDraft] = []  # steps named together on one line
        self.prompt_item: tuple[StepDraft, int] | None = None  # list item holding the prompt
        self.prompt_fence: StepDraft | None = None  # invocation line ending in ":"
        self.routes: list[StepDraft] = []  # the alternatives of a routing list so far

    # --- driver -------------------------------------------------------------------------

    def run(self) -> Recognised:
        for element in self.elements:
            if element.kind == "heading":
                self.on_heading(element)
            elif element.kind == "front_matter" or self.skipping():
                continue
            else:
                self.on_content(element)
        self.close_step()
        return self.out

    def skipping(self) -> bool:
        return any(section.role == "skip" for section in self.stack)

    # --- headings -----------------------------------------------------------------------

    def on_heading(self, element: Element) -> None:
        line = element.lines[0]
        text = p.strip_markup(line.text)
        level = element.level
        classified = p.classify_heading(text)
        role, groups = classified if classified else (None, {})
        if role == "step" and level == self.numbered_phase_level and p.NUMBERED_HEADING.match(text):
            role = "phase"
        if role == "phase" and self.phase_level and level > self.phase_level + 1:
            role = None  # "Phase 2" deep inside a step is prose, not structure
        while self.stack and self.stack[-1].level >= level:
            self.pop_section()
        if self.out.title is None and level == 1 and not self.stack:
            self.out.title = text
            self.out.title_span = line.span()
            return
        if self.skipping():
            return
        span = line.span()
        if role == "phase":
            self.start_phase(level, groups, text, span)
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
        elif role == "branch":
            self.start_branch(level, groups, text, span)
        elif role == "decision":
            self.close_step()
            container = self.container(span, text)
            decision = DecisionDraft(span=span, question=groups.get("q") or text)
            container.blocks.append(decision)
            self.stack.append(Section(level, "decision", text, decision))
        elif role == "path" or role == "if" or role == "elif" or role == "else":
            self.start_path(level, role, groups, line)
        elif role == "step":
            self.start_heading_step(level, groups, text, line)
        else:
            self.stack.append(Section(level, "generic", text))

    def pop_section(self) -> None:
        section = self.stack.pop()
        if (
            section.role in ("step", "generic")
            and (self.step is not None and (section.obj is self.step or section.step is self.step))
        ) or section.role in ("phase", "branch", "path", "decision"):
            self.close_step()

    def start_phase(self, level: int, groups: dict[str, str], text: str, span: Span) -> None:
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
        optional = p.OPTIONAL_MARKER.search(title)
        step = StepDraft(
            title=title,
            span=line.span(),
            label=groups.get("num"),
            from_heading=True,
            named_step=text.lower().startswith("step"),
        )
        if optional:
            step.title = title[: optional.start()].strip()
            step.optional = True
            step.condition = optional["cond"].strip() if optional["cond"] else None
        step.title, hint = _strip_parallel_hint(step.title)
        del hint
        container = self.container(step.span, text)
        container.blocks.append(step)
        self.step = step
        self.step_depth = 0
        self.stack.append(Section(level, "step", text, step))

    # --- containers ---------------------------------------------------------------------

    def current_phase(self, span: Span, title: str) -> PhaseDraft:
        for section in reversed(self.stack):
            if section.role == "phase":
                return section.obj  # type: ignore[no-any-return]
        if self.out.phases and self.out.phases[-1].implicit is False and not self.in_notes():
            return self.out.phases[-1]
        phase = PhaseDraft(span=span, title=self.implicit_title(title), implicit=True)
        self.out.phases.append(phase)
        return phase

    def implicit_title(self, fallback: str) -> str:
        """An implicit phase is named after the top-level section it sits in."""
        top = self.top_generic()
        if top is not None:
            return p.strip_markup(top.title)
        return self.out.title or fallback

    def in_notes(self) -> bool:
        return any(section.role == "notes" for section in self.stack)

    def container(self, span: Span, title: str) -> ContainerDraft:
        for section in reversed(self.stack):
            if section.role in ("branch", "path", "phase"):
                return section.obj  # type: ignore[no-any-return]
        # Content outside any phase: an implicit phase collects it, one per top section.
        top = self.top_generic()
        last = self.out.phases[-1] if self.out.phases else None
        if last is not None and last.implicit and getattr(last, "_anchor", None) is top:
            return last
        phase = PhaseDraft(span=span, title=self.implicit_title(title), implicit=True)
        phase._anchor = top  # type: ignore[attr-defined]
        self.out.phases.append(phase)
        return phase

    def top_generic(self) -> Section | None:
        for section in self.stack:
            if section.role in ("generic", "notes", "checkpoint"):
                return section
        return None

    # --- content ------------------------------------------------------------------------

    def on_content(self, element: Element) -> None:
        self.collect_inputs(Passage.of(element.lines))
        if element.kind == "item" and element.first_in_item:
            self.parent_items = {d: e for d, e in self.parent_items.items() if d < element.depth}
            self.parent_items[element.depth] = element
        if element.kind == "paragraph" and len(element.lines) == 1:
            pseudo = p.PSEUDO_HEADING.match(element.lines[0].text.strip())
            if pseudo and self.innermost_container() is not None:
                ordinal = _ORDINALS.get((pseudo["ordinal"] or "").lower(), 0)
                if 0 < ordinal <= len(self.chain):
                    self.close_step()
                    self.step = self.chain[ordinal - 1]
                    self.step.title = pseudo["title"].strip()
                    self.step.grow(element.span)
                    return
                if self.step is not None and self.step.agent is not None:
                    self.close_step()
                self.pending_title = (pseudo["title"].strip(), pseudo["num"] or pseudo["num2"])
                return
        invocations = self.invocations(element)
        if invocations:
            self.on_invocations(element, invocations)
            return
        if self.step is not None:
            self.on_step_content(self.step, element)
            return
        self.on_loose_content(element)

    def invocations(self, element: Element) -> list[Invocation]:
        if element.kind in ("fence", "html"):
            blocks = _task_blocks(element)
            if blocks:
                return blocks
        passage = Passage.of(element.lines)
        calls = find_calls(passage)
        if calls:
            rest = _mentions_outside(passage, calls)
            return sorted(calls + rest, key=lambda inv: (inv.span.line, inv.span.column))
        found: list[Invocation] = []
        for agent, span, _start, _end in agent_mentions(passage):
            found.append(
                Invocation(
                    form="line", agent=agent, agent_span=span, span=span, first_line=span.line
                )
            )
        return found

    def on_invocations(self, element: Element, invocations: list[Invocation]) -> None:
        if element.kind == "fence" and invocations[0].form == "line":
            self.on_fence_lines(element)
            return
        created: list[StepDraft] = []
        for index, invocation in enumerate(invocations):
            step = self.step_for(element, invocation)
            self.apply_invocation(step, invocation)
            created.append(step)
            if element.kind in ("item", "paragraph") and index == len(invocations) - 1:
                self.scan_prose(step, Passage.of(element.lines), element, keep_note=False)
                self.maybe_routing(step, element, invocation)
            if not step.route:
                self.routes = []
        if element.kind in ("item", "paragraph") and element.text.rstrip().endswith(":"):
            # "Use Task tool with subagent_type=\"x\":" then a fence: the fence is the prompt.
            self.prompt_fence = created[-1]
        # "X followed by Y": later **First:** / **Second:** sub-headings describe each in turn.
        self.chain = created if len(created) > 1 and invocations[0].form == "line" else []

    def on_fence_lines(self, element: Element) -> None:
        """A code fence holding `Use Task tool with subagent_type=…` lines and `Prompt:` lines:
        each invocation line starts a step, the key lines after it are its fields; a `# comment`
        line just before an invocation titles it."""
        comment: str | None = None
        for line in element.lines:
            passage = Passage.of([line])
            mentions = agent_mentions(passage)
            if mentions:
                agent, span, _s, _e = mentions[0]
                invocation = Invocation(
                    form="line", agent=agent, agent_span=span, span=span, first_line=line.line
                )
                if comment:
                    self.pending_title = (comment, None)
                    comment = None
                step = self.step_for(element, invocation, single_line=line)
                self.apply_invocation(step, invocation)
                continue
            stripped = line.text.strip()
            if re.match(r"#\s", stripped):  # a shell/python comment, not "## Heading" or "#!"
                comment = stripped.lstrip("#").strip() or None
                continue
            if self.step is None or not line.text.strip():
                continue
            match = p.FIELD_LINE.match(line.text.strip())
            if match and p.field_role(match["key"]):
                self.apply_field_line(self.step, cut_line(line), 0)

    def step_for(
        self, element: Element, invocation: Invocation, single_line: TextLine | None = None
    ) -> StepDraft:
        """The step an invocation belongs to: the open heading step when it has no agent yet,
        else a new step in the innermost container."""
        current = self.step
        pending = self.pending_title
        self.pending_title = None
        if current is not None and pending is None and current.agent is None:
            current.grow(invocation.span)
            return current
        if (
            current is not None
            and pending is None
            and invocation.form in ("block", "call")
            and current.agent == invocation.agent
            and current.prompt is None
        ):
            # "Use the Task tool with subagent_type=X:" then a Task: block naming X: one step.
            current.grow(invocation.span)
            return current
        if current is not None and pending is not None and _empty_heading_step(current):
            # "### Step 5: Testing" holding **5a.**/**5b.** blocks: the blocks are the steps.
            self.drop_step(current)
        self.close_step(keep_routes=True)
        span = invocation.span if single_line is None else single_line.span()
        if element.kind != "fence":
            span = element.span
        if pending is not None:
            title, adopted = pending[0], None
        else:
            title, adopted = self.headless_title(element, invocation)
        step = StepDraft(title=title, span=span, titled_by_agent=not title)
        if pending is not None and pending[1]:
            step.label = pending[1]
        elif pending is None and adopted is None:
            step.label = self.parent_label(element)
            parent = self.parent_items.get(element.depth - 1) if element.kind == "item" else None
            if parent is not None and title == _title_from_item(parent.lines[0].text):
                step.grow(parent.span)  # the numbered item that titles the step
        if adopted is not None:
            route = p.ROUTE_HEADING.match(title)
            if route:
                step.route = route["cond"]
        if adopted is not None:
            adopted.step = step
            step.span = extend(step.span, span)
        container = self.container(span, title or (invocation.agent or "step"))
        container.blocks.append(step)
        container.grow(span)
        self.step = step
        self.step_depth = element.depth
        return step

    def parent_label(self, element: Element) -> str | None:
        """`3. **Security Review**` holding the invocation in a nested bullet: step 3."""
        if element.kind != "item" or element.depth < 2:
            return None
        if not self.stack or self.stack[-1].role not in ("phase", "branch", "path"):
            return None  # numbered sub-items inside "### Step 5" are not steps 1, 2, 3
        parent = self.parent_items.get(element.depth - 1)
        if parent is None:
            return None
        number = re.fullmatch(r"(\d+)[.)]", parent.marker)
        return number.group(1) if number else None

    def drop_step(self, step: StepDraft) -> None:
        for section in self.stack:
            obj = section.obj
            if isinstance(obj, ContainerDraft) and step in obj.blocks:
                obj.blocks.remove(step)
                return

    def headless_title(
        self, element: Element, invocation: Invocation
    ) -> tuple[str, Section | None]:
        """A title for a step that has no heading: its parent list item, an enclosing
        heading that has no step yet, the Task description, or the agent name."""
        if element.kind == "item" and element.depth > 1:
            parent = self.parent_items.get(element.depth - 1)
            if parent is not None and not agent_mentions(Passage.of(parent.lines)):
                title = _title_from_item(parent.lines[0].text)
                if title:
                    return title, None
        innermost = self.stack[-1] if self.stack else None
        if innermost is not None and innermost.role in ("generic",) and innermost.step is None:
            return p.strip_markup(innermost.title), innermost
        if (
            innermost is not None
            and innermost.role in ("branch", "path", "phase")
            and not any(isinstance(b, StepDraft) for b in innermost.obj.blocks)
        ):
            return _container_title(innermost.obj), None
        if invocation.description:
            return _first_sentence(invocation.description), None
        return invocation.agent or "Agent task", None

    def apply_invocation(self, step: StepDraft, invocation: Invocation) -> None:
        step.agent = invocation.agent
        step.agent_span = invocation.agent_span
        step.grow(invocation.span)
        if invocation.model:
            step.model = invocation.model.strip("\"' ")
        if invocation.description:
            step.description = invocation.description
            if step.titled_by_agent or not step.title:
                step.title = _first_sentence(invocation.description)
        if invocation.background:
            step.background = True
        if not step.title:
            step.title = invocation.agent or "Agent task"
        if invocation.prompt is not None and invocation.prompt.lines:
            self.set_prompt(step, invocation.prompt)
        for message, span in invocation.problems:
            self.out.diagnostics.append(ParseDiagnostic(code="WF109", message=message, span=span))

    def set_prompt(self, step: StepDraft, passage: Passage) -> None:
        lines = trimmed(passage.lines)
        if not lines:
            return
        if step.prompt is not None:
            # A continuation: only its end can carry the closing quote.
            lines = (*lines[:-1], unquote_last(lines[-1]))
        elif len(lines) == 1:
            lines = (unquote(lines[0]),)
        else:
            lines = (unquote_first(lines[0]), *lines[1:-1], unquote_last(lines[-1]))
        prompt = Passage.of(lines)
        step.prompt = prompt.text if step.prompt is None else step.prompt + "\n" + prompt.text
        span = lines_span(lines)
        step.prompt_span = span if step.prompt_span is None else extend(step.prompt_span, span)
        step.consumes.extend(prompt_references(prompt))
        step.grow(span)

    # --- step content -------------------------------------------------------------------

    def on_step_content(self, step: StepDraft, element: Element) -> None:
        step.grow(element.span)
        introduced = self.prompt_fence is step and step.prompt is None
        self.prompt_fence = None
        if introduced and element.kind == "fence" and element.lines:
            self.set_prompt(step, Passage.of(element.lines))
            return
        if self.continues_prompt(step, element):
            self.set_prompt(step, Passage.of(element.lines))
            return
        if element.kind == "item":
            self.on_step_item(step, element)
        elif element.kind == "paragraph":
            handled = False
            for line in element.lines:
                match = p.FIELD_LINE.match(line.text.strip())
                if match and p.field_role(match["key"]):
                    self.apply_field_line(step, cut_line(line), element.depth)
                    handled = True
            if not handled and self.field_value and self.field_value[0] == "prompt":
                self.set_prompt(step, Passage.of(element.lines))
            elif not handled:
                self.scan_prose(step, Passage.of(element.lines), element)
        elif element.kind == "fence":
            pending = self.field_value[0] if self.field_value else None
            if pending == "prompt":
                self.set_prompt(step, Passage.of(element.lines))
                self.field_value = None
            elif pending == "output":
                step.produces.extend(_fenced_outputs(step, element))
                self.field_value = None
            else:
                step.consumes.extend(file_reads(Passage.of(element.lines)))
        elif element.kind == "html":
            self.scan_prose(step, Passage.of(element.lines), element)

    def on_step_item(self, step: StepDraft, element: Element) -> None:
        pending = self.field_value
        if pending is not None and pending[1] is step and element.depth > pending[2]:
            self.apply_nested_value(step, pending[0], element)
            return
        self.field_value = None
        if element.first_in_item:
            first = cut_line(element.lines[0])
            match = p.FIELD_LINE.match(first.text)
            if match and _is_field_key(match["key"]):
                if not self.step_depth:
                    self.step_depth = element.depth
                if element.depth == self.step_depth or p.field_role(match["key"]):
                    for target in self.field_targets(step):
                        self.apply_field_line(target, first, element.depth, element.lines[1:])
                    return
        self.scan_prose(step, Passage.of(element.lines), element)

    def field_targets(self, step: StepDraft) -> list[StepDraft]:
        """After a routing list, the fields that follow (`Prompt:`, `Output:`) belong to
        every route, not just the last one."""
        if self.routes and self.routes[-1] is step:
            return list(self.routes)
        return [step]

    def apply_field_line(
        self,
        step: StepDraft,
        line: TextLine,
        depth: int,
        continuation: tuple[TextLine, ...] = (),
    ) -> None:
        match = p.FIELD_LINE.match(line.text)
        if not match:
            return
        key = match["key"].strip()
        role = p.field_role(key)
        value_first = cut_line(line, match.start("value"))
        value_lines = [value_first, *(cut_line(extra) for extra in continuation)]
        value_lines = [v for v in value_lines if v.text]
        key_span = line.span(match.start("key"), match.end("key"))
        value_span = lines_span(value_lines) if value_lines else key_span
        step.fields.append(
            Field_(
                key=key,
                value="\n".join(v.text for v in value_lines),
                known=role is not None,
                span=extend(key_span, value_span),
                key_span=key_span,
            )
        )
        if role is None:
            return
        if not value_lines:
            self.field_value = (role, step, depth)
            return
        self.apply_role(step, role, value_lines)
        if role == "prompt" and depth:
            self.prompt_item = (step, depth)

    def apply_role(self, step: StepDraft, role: str, value_lines: list[TextLine]) -> None:
        passage = Passage.of(value_lines)
        if role == "agent":
            agent = unquote(value_lines[0])
            if step.agent is None and agent.text:
                step.agent = agent.text
                step.agent_span = agent.span()
        elif role == "prompt":
            self.set_prompt(step, passage)
        elif role == "description":
            step.description = unquote(value_lines[0]).text
        elif role == "model":
            step.model = unquote(value_lines[0]).text
        elif role == "output":
            step.produces.extend(items_of(value_lines, "output"))
        elif role == "context_next":
            step.produces.extend(items_of(value_lines, "context"))
        elif role == "final_context":
            step.produces.extend(items_of(value_lines, "final"))
        elif role == "input":
            step.consumes.extend(references_of(value_lines, "input"))
        elif role == "context_in":
            step.consumes.extend(references_of(value_lines, "context"))
        elif role == "dependency":
            step.consumes.extend(references_of(value_lines, "dependency"))
        elif role == "applicability":
            step.applicability = passage.text
        elif role == "condition":
            step.condition = passage.text
            step.optional = True
        elif role == "gate":
            self.add_gate(step, passage)
        elif role == "store_as":
            step.produces.extend(_stored_items(value_lines[0]))
        self.scan_files(step, passage)

    def apply_nested_value(self, step: StepDraft, role: str, element: Element) -> None:
        """`- Output:` followed by nested bullets: each nested bullet is one value."""
        step.grow(element.span)
        lines = [cut_line(line) for line in element.lines]
        if role in ("output", "context_next", "final_context"):
            kind = {"output": "output", "context_next": "context", "final_context": "final"}[role]
            if element.first_in_item:
                step.produces.extend(items_of([lines[0]], kind))  # type: ignore[arg-type]
        elif role in ("input", "context_in", "dependency"):
            kind = {"input": "input", "context_in": "context", "dependency": "dependency"}[role]
            if element.first_in_item:
                step.consumes.extend(references_of([lines[0]], kind))  # type: ignore[arg-type]
        elif role == "prompt":
            self.set_prompt(step, Passage.of(lines))
        else:
            self.scan_prose(step, Passage.of(element.lines), element)

    def add_gate(self, step: StepDraft, passage: Passage) -> None:
        container = self.container(step.span, step.title)
        span = lines_span(passage.lines)
        container.blocks.append(CheckpointDraft(span=span, title=passage.text, gate="approval"))

    def scan_prose(
        self, step: StepDraft, passage: Passage, element: Element, keep_note: bool = True
    ) -> None:
        """Prose inside a step: files saved and read, loops, "in parallel with Step N"."""
        text = passage.text
        self.scan_files(step, passage)
        step.consumes.extend(
            ref for ref in prompt_references(passage) if ref.kind in ("file",) and "[" in text
        )
        loop = p.LOOP_RETURN.search(text)
        if loop and step.loop_to is None:
            step.loop_to = loop["num"]
            step.loop_text = text.strip()
            step.loop_span = element.span
            until = p.LOOP_UNTIL.search(text)
            if until:
                step.loop_until = until["cond"].strip()
            else:
                step.loop_when = _loop_condition(text, loop)
        limit = p.LOOP_MAX.search(text)
        if limit and (step.loop_to is not None or loop):
            # "max 2 retries" allows three runs in all; "max 3 iterations" allows three.
            extra = 1 if re.match(r"retr|re-?run|loop", limit["unit"], re.IGNORECASE) else 0
            step.loop_max = int(limit["n"]) + extra
        together = p.PARALLEL_WITH_STEP.search(text)
        if together:
            step.parallel_with = together["num"]
        if keep_note and not (loop or together):
            step.notes.append(Note(text=text.strip(), span=element.span))

    def scan_files(self, step: StepDraft, passage: Passage) -> None:
        saves = file_saves(passage)
        known = {item.name for item in step.produces if item.kind == "file"}
        step.produces.extend(item for item in saves if item.name not in known)
        reads = file_reads(passage)
        seen = {(ref.text, ref.span.line, ref.span.column) for ref in step.consumes}
        step.consumes.extend(
            ref for ref in reads if (ref.text, ref.span.line, ref.span.column) not in seen
        )

    def maybe_routing(self, step: StepDraft, element: Element, invocation: Invocation) -> None:
        """`- Python issues → subagent_type="python-pro"`: the step runs only on that route."""
        if element.kind != "item":
            return
        match = p.ROUTE_ITEM.match(element.lines[0].text)
        if match and invocation.form == "line":
            if step.from_heading:
                # "### 3. Pick an expert" + a routing list: the heading asks the question.
                step.route_question = step.title
                step.from_heading = False
                step.label = None
            step.route = p.strip_markup(match["cond"])
            step.title = f"{step.route} → {invocation.agent}"
            self.routes.append(step)

    # --- content outside steps ------------------------------------------------------------

    def on_loose_content(self, element: Element) -> None:
        passage = Passage.of(element.lines)
        text = passage.text.strip()
        if not text:
            return
        note = Note(text=text, span=element.span)
        innermost = self.innermost_container()
        if innermost is None or self.in_notes():
            if self.out.intent is None and text.lower().startswith("[extended thinking"):
                self.out.intent = _extended_thinking(text)
            else:
                self.out.notes.append(note)
            return
        if isinstance(innermost, PhaseDraft):
            innermost.notes.append(note)
        if not innermost.blocks and p.PARALLEL_PROSE.search(text):
            innermost.parallel_hint = True
        if p.WAIT_FOR_USER.search(text) and self.top_checkpoint() is None and innermost.blocks:
            last = innermost.blocks[-1]
            if not isinstance(last, CheckpointDraft):
                innermost.blocks.append(
                    CheckpointDraft(span=element.span, title=_first_sentence(text), gate="wait")
                )

    def top_checkpoint(self) -> Section | None:
        for section in reversed(self.stack):
            if section.role == "checkpoint":
                return section
        return None

    def innermost_container(self) -> ContainerDraft | None:
        for section in reversed(self.stack):
            if section.role in ("branch", "path", "phase"):
                return section.obj  # type: ignore[no-any-return]
            if section.role in ("notes",):
                return None
        return None

    def collect_inputs(self, passage: Passage) -> None:
        for match in p.VARIABLE_DEFINITION.finditer(passage.text):
            start, end = match.span("name")
            name = "$" + match["name"]
            if all(ref.text != name for ref in self.out.inputs):
                self.out.inputs.append(Ref(text=name, span=passage.span(start - 1, end)))

    def continues_prompt(self, step: StepDraft, element: Element) -> bool:
        """A `- Prompt: "…` item whose text goes on in later blocks of the same list item
        (a fenced example, another paragraph) before the next field."""
        if self.prompt_item is None or self.prompt_item[0] is not step:
            return False
        depth = self.prompt_item[1]
        if element.kind == "item" and element.first_in_item and element.depth <= depth:
            self.prompt_item = None
            return False
        if element.depth == depth and element.kind in ("fence", "item"):
            return True
        if element.depth > depth:
            return True  # sub-bullets of the `- Prompt:` bullet are prompt text
        if element.depth < depth:
            self.prompt_item = None
        return False

    def close_step(self, keep_routes: bool = False) -> None:
        if not keep_routes:
            self.routes = []
        self.step = None
        self.field_value = None
        self.step_depth = 0
        self.prompt_item = None


# --- helpers ----------------------------------------------------------------------------


def _phase_level(elements: list[Element]) -> int:
    """The heading level phases are written at (first `Phase N` heading), 0 if none."""
    for element in elements:
        if element.kind == "heading":
            classified = p.classify_heading(element.lines[0].text)
            if classified and classified[0] == "phase":
                return element.level
    return 0


def _numbered_phase_level(elements: list[Element], phase_level: int) -> int:
    """`## 1. Setup` headings are phases when step headings are nested below them."""
    if phase_level:
        return 0
    levels: dict[int, int] = {}
    for element in elements:
        if element.kind == "heading" and p.NUMBERED_HEADING.match(p.strip_markup(element.text)):
            levels[element.level] = levels.get(element.level, 0) + 1
    if len(levels) >= 2:
        top = min(levels)
        return top if levels[top] >= 2 else 0
    return 0


def _task_blocks(element: Element) -> list[Invocation]:
    """`Task:` blocks in a fence (several `Task #1:`… headers split it: they are launched
    together), a fence starting `subagent_type:`, or a `<Task>` element."""
    text = element.text
    if "subagent_type" not in text and not any(
        p.TASK_BLOCK_START.match(line.text) for line in element.lines
    ):
        return []
    if element.kind == "html":
        if not p.TASK_TAG_OPEN.match(element.lines[0].text):
            return []
        found = parse_task_block(element.lines)
        return [found] if found else []
    lines = element.lines
    first = next((line for line in lines if line.text.strip()), None)
    if first is None:
        return []
    if re.match(r"\s*subagent_type\s*:", first.text):
        found = parse_task_block(lines)
        return [found] if found else []
    starts = [i for i, line in enumerate(lines) if p.TASK_BLOCK_START.match(line.text)]
    blocks: list[Invocation] = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        found = parse_task_block(tuple(lines[start:end]))
        if found is not None:
            blocks.append(found)
    if len(blocks) > 1:
        for block in blocks:
            block.background = True  # several Task blocks in one fence are one batch
    return blocks


_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


def _fenced_outputs(step: StepDraft, element: Element) -> list[Item]:
    """`**Expected output:**` followed by a fence: its list lines are the items; a free-form
    template is one output named after the step."""
    items: list[Item] = []
    for line in element.lines:
        match = re.match(r"^\s*(?:[-*]|\d+[.)])\s+(?P<name>[^:\n]{2,60}?)\s*(?::|$)", line.text)
        if match:
            start, end = match.span("name")
            items.append(Item(name=match["name"], kind="output", span=line.span(start, end)))
    if items:
        return items
    first = next((line for line in element.lines if line.text.strip()), None)
    if first is None:
        return []
    return [Item(name=f"{step.title} output", kind="output", span=element.span)]


def _stored_items(value: TextLine) -> list[Item]:
    """`**Store output as**: `$STEP_2_OUTPUT``, `**Output file:** `.dir/01-x.md``."""
    match = re.search(r"`?(?P<name>\$[A-Z][A-Z0-9_a-z]*|" + p.FILE_PATH + r")`?", value.text)
    if not match:
        return []
    name = match["name"]
    kind: ItemKind = "variable" if name.startswith("$") else "file"
    start, end = match.span("name")
    return [Item(name=name, kind=kind, span=value.span(start, end))]


def _empty_heading_step(step: StepDraft) -> bool:
    return (
        step.from_heading
        and step.agent is None
        and step.prompt is None
        and not step.produces
        and not step.fields
    )


def _mentions_outside(passage: Passage, calls: list[Invocation]) -> list[Invocation]:
    """`subagent_type` mentions not inside one of `calls` (a line mixing both forms)."""
    found: list[Invocation] = []
    for agent, span, _start, _end in agent_mentions(passage):
        inside = any(
            (call.span.line, call.span.column) <= (span.line, span.column)
            and (span.end_line, span.end_column) <= (call.span.end_line, call.span.end_column)
            for call in calls
        )
        if not inside:
            found.append(
                Invocation(
                    form="line", agent=agent, agent_span=span, span=span, first_line=span.line
                )
            )
    return found


def _is_field_key(key: str) -> bool:
    words = key.strip(" *_`").split()
    return 0 < len(words) <= p.MAX_FIELD_KEY_WORDS and key.strip(" *_`")[:1].isalpha()


def _title_from_item(text: str) -> str:
    text = p.strip_markup(re.sub(r"^\d+[.)]\s*", "", text.strip()))
    text = text.rstrip(":").strip()
    if len(text) > 80 or not text:
        return ""
    return text


def _container_title(container: ContainerDraft) -> str:
    title = getattr(container, "title", "")
    return str(title) if title else ""


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    match = re.match(r"(.{1,80}?)(?:[.:!?](?:\s|$)|$)", text)
    title = match.group(1) if match else text[:80]
    return title.strip() or text[:80]


def _strip_parallel_hint(title: str) -> tuple[str, bool]:
    """Phase titles like "Parallel Implementation" or "(in parallel)" mark a parallel body."""
    hint = bool(p.PARALLEL_TITLE.search(title) or p.PARALLEL_PROSE.search(title))
    cleaned = re.sub(r"\s*\((?:steps?\s+[^)]*)\)\s*$", "", title, flags=re.IGNORECASE)
    return cleaned.strip() or title, hint


def _extended_thinking(text: str) -> str:
    body = re.sub(r"^\[\s*extended thinking\s*:\s*", "", text, flags=re.IGNORECASE)
    return body.rstrip().rstrip("]").strip()


def _loop_condition(text: str, match: re.Match[str]) -> str | None:
    before = text[: match.start()].strip()
    found = re.search(r"\b(?:if|when)\s+(?P<cond>[^,;→]+)", before, re.IGNORECASE)
    if found:
        return found["cond"].strip()
    arrow = re.match(r"^[-*\s]*`?(?P<cond>[^`→]+)`?\s*→", before)
    return arrow["cond"].strip() if arrow else None


def unquote_first(line: TextLine) -> TextLine:
    text = line.text
    if text[:1] in "\"'“":
        return TextLine(text[1:], line.line, line.column + 1)
    return line


def unquote_last(line: TextLine) -> TextLine:
    text = line.text.rstrip(".")
    if text[-1:] in "\"'”":
        return TextLine(text[:-1], line.line, line.column)
    return line
