"""The recogniser: walks block elements in document order and fills workflow drafts.

It knows roles (phase, branch, path, step, field…) from `patterns`, never spellings. A
section stack follows the heading levels; content goes to the innermost open step, or to
the innermost container (phase / branch / path) as notes. Agent invocations without a
heading of their own start a step in the innermost container.
"""

from __future__ import annotations

import re
from dataclasses import replace

from compiler.model import Note, ParseDiagnostic, Ref
from compiler.parse import patterns as p
from compiler.parse.agent_names import GENERIC_NAME, Found, unqualified
from compiler.parse.builder import (
    ContainerDraft,
    StepDraft,
    append_gate,
    extend,
)
from compiler.parse.cases import ProseDecisions
from compiler.parse.elements import Element, TextLine, lone_tag
from compiler.parse.forms import shown_wrong, stated_invocations
from compiler.parse.invocations import (
    Invocation,
    agent_mentions,
)
from compiler.parse.misspellings import misspelt_keyword
from compiler.parse.prose import ProseDelegation, numbers_a_member
from compiler.parse.sections import HeadingRecognition
from compiler.parse.state import Recognised, Section
from compiler.parse.step_fields import StepFields, question_to_user
from compiler.parse.text import Passage, cut_line
from compiler.regex import LazyPattern

__all__ = ["Recognised", "Recogniser"]


#: A verb that starts an agent working beside the coordinator (as opposed to running one and
#: waiting for it): "spawn a teammate", "launch a reviewer", "dispatch a worker".
_SPAWNED = LazyPattern(r"\b(?:spawn|launch|dispatch|deploy|start)s?\b", re.IGNORECASE)


class Recogniser(ProseDecisions, HeadingRecognition, StepFields, ProseDelegation):
    """Headings (`HeadingRecognition`) open and close sections; step content (`StepFields`)
    fills the open step; delegation in prose (`ProseDelegation`) makes inferred steps; this
    class drives the walk and turns agent invocations into steps."""

    def run(self) -> Recognised:
        self.init_prose()
        for element in self.elements:
            if element.kind == "heading":
                self.close_case()
                self.only_if = self.titled_if = None
                # "**Step 5c: Merge**" over a shell command launches nothing: its title
                # lapses with its section, or the next launch anywhere would take it
                self.pending_title = None
                self.on_heading(element)
            elif element.kind == "front_matter" or self.skipping():
                continue
            elif element.span.line in self.example_lines:
                continue  # inside `<example>` … `</example>`: a sample, not the workflow
            else:
                self.on_body(element)
        self.close_case()
        self.close_step()
        return self.out

    def on_body(self, element: Element) -> None:
        """A body element; a decision tree in a code block or a table of cases is read as
        the list of conditions it stands for."""
        rows = self.table_cases(element)
        if rows and (self.under_catalog() or self.agents_first(element)):
            # a table under "## Available Agents", or one listing agents first ("| Agent |
            # When to use |") under a lead that launches none, says when each is of use: a
            # roster, not a decision the run takes
            rows = None
        if rows:
            for row, lead in rows:
                self.on_case(row, lead)
                agents = self.row_agents(row)
                if agents:
                    self.on_invocations(row, agents)
                else:
                    self.on_content(row)
            self.close_case()
            return
        for part in self.pseudo_code_cases(element) or [element]:
            self.on_case(part)
            self.on_content(part)

    def on_content(self, element: Element) -> None:
        if self.members_led is not None and element.kind == "paragraph":
            self.end_members(element)
        if element is self.members_fence:
            self.members_fence = self.prompt_fence = None
            if self.step is not None:
                self.step.grow(element.span)
            return
        self.collect_inputs(element.passage)
        if element.kind == "item" and element.first_in_item:
            self.parent_items = {d: e for d, e in self.parent_items.items() if d < element.depth}
            self.parent_items[element.depth] = element
        if element.kind == "paragraph" and len(element.lines) == 1:
            self.titled_if = _title_condition(element.lines[0]) or self.titled_if
            pseudo = p.pseudo_heading(element.lines[0].text.strip())
            if pseudo and self.titled_delegation(element, pseudo):
                return
            if pseudo is None and self.titled_agent(element):
                return
            if pseudo and self.innermost_container() is not None:
                ordinal = _ORDINALS.get((pseudo.ordinal or "").lower(), 0)
                if 0 < ordinal <= len(self.chain):
                    self.close_step()
                    self.step = self.chain[ordinal - 1]
                    self.step.title = pseudo.title.strip()
                    self.step.grow(element.span)
                    return
                if self.step is not None and self.step.agent is not None:
                    self.close_step()
                self.pending_title = (pseudo.title.strip(), pseudo.label)
                return
        if element.kind == "html" and self.on_xml_steps(element):
            return
        invocations = self.invocations(element)
        if invocations:
            self.on_invocations(element, invocations)
            return
        if self.step is not None:
            self.on_step_content(self.step, element)
        else:
            self.on_loose_content(element)
        if element.kind == "paragraph":
            self.lead_text = element.text

    def end_members(self, element: Element) -> None:
        """The "Agent 1 - …", "Agent 2 - …" paragraphs of a lead-in run together; the first
        other paragraph after them ends the group ("If --sequential flag: run them in turn")."""
        if numbers_a_member(element):
            return
        if self.batch_region is not None and self.batch_region[1] == self.members_led:
            self.batch_region = None
        self.members_led = None

    def invocations(self, element: Element) -> list[Invocation]:
        if element.kind == "fence" and shown_wrong(self.fence_lead(element), element):
            return []  # "❌ Incorrect:" then a fence: an example of what not to write
        if element.kind == "paragraph" and _EXAMPLE_LEAD.match(element.text):
            return []  # "Example in Senior Developer:": a label for the sample below it
        agentless = self.step is not None and self.step.agent is None
        found, problems = stated_invocations(element, agentless)
        self.out.diagnostics.extend(problems)
        return found or self.prose_invocations(element)

    def on_xml_steps(self, element: Element) -> bool:
        """`<step n="1" goal="Gather requirements">` … `</step>` (XML-tagged workflows): each
        tagged step is a step titled by its goal, holding the agents its actions route to."""
        starts = [i for i, line in enumerate(element.lines) if _XML_STEP.search(line.text)]
        if not starts:
            return False
        if starts[0] > 0:
            self.on_content(replace(element, lines=element.lines[: starts[0]]))
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(element.lines)
            part = replace(element, lines=element.lines[start:end])
            tag = _XML_STEP.search(part.lines[0].text)
            assert tag is not None
            attributes = dict(_XML_ATTRIBUTE.findall(tag["attributes"]))
            found = self.invocations(part)
            if not found:
                if len(part.lines) > 1:
                    self.on_content(replace(part, lines=part.lines[1:]))
                continue
            number = attributes.get("n") or attributes.get("number") or attributes.get("id")
            title = attributes.get("goal") or attributes.get("name") or attributes.get("title")
            self.pending_title = (title or f"{tag['tag'].title()} {number or index + 1}", number)
            self.on_invocations(part, found)
        return True

    def titled_delegation(self, element: Element, pseudo: p.PseudoHeading) -> bool:
        """`**Step 1a — Activate Content Creator**`: a bold lead-in that names the agent
        opens its step; the fence or text after it is that agent's brief."""
        title = pseudo.title.strip()
        found = self.prose_invocations(element)
        if len(found) != 1:
            return False
        self.pending_title = (title, pseudo.label)
        self.on_invocations(element, found)
        if self.step is not None:
            self.prompt_fence = self.step
            if p.parallel_cue(title):
                self.join_parallel_pair(self.step)
            if self.step.agent == GENERIC_NAME:
                # "**Step 2: Spawn Agent with file-based instructions**" over the `Task(…)`
                # that states which: the call names the step's agent, as under a heading
                self.step.agent_from_title = True
        return True

    def titled_agent(self, element: Element) -> bool:
        """`**Phase 1: product-manager**` over the agent's brief, where the document knows
        that name as an agent (a roster table, a launch elsewhere): the bold line opens
        that agent's step, as a heading naming it would."""
        line = element.lines[0]
        if not line.text.startswith("**"):
            return False
        titled = _TITLED_AGENT.match(line.text)
        if titled is None or titled["name"].strip().lower() not in self.vocabulary:
            return False
        start, end = titled.span("name")
        found = Found(titled["name"], line.span(start, end), start, end)
        self.pending_title = (p.strip_markup(titled["title"]).strip(), None)
        self.on_invocations(element, [self.make(found, element, None)])
        if self.step is not None:
            self.prompt_fence = self.step
        return True

    def join_parallel_pair(self, step: StepDraft) -> None:
        """`**Step 1b — Activate UI Designer (parallel)**` after step 1a, `**Step 2 —
        Activate UX Researcher (in parallel)**` after step 1: the mark on the second of
        two steps numbered in a row says the two run together."""
        first = _label_before(step.label or "")
        container = self.container(step.span, step.title)  # where `step_for` put it
        if first is None or step not in container.blocks:
            return
        index = container.blocks.index(step)
        before = container.blocks[index - 1] if index > 0 else None
        if (
            not isinstance(before, StepDraft)
            or (before.label or "").lower() != first
            or before.agent is None
        ):
            return
        batch = before.batch or self.next_batch()
        for member in (before, step):
            member.batch, member.background, member.fan_out = batch, True, False

    def on_invocations(self, element: Element, invocations: list[Invocation]) -> None:
        if (
            element.kind == "fence"
            and invocations[0].form == "line"
            and invocations[0].provenance == "explicit"
        ):
            self.on_fence_lines(element)
            return
        calls = [inv for inv in invocations if inv.form == "call"]
        if (
            len(calls) > 1
            and element.kind == "fence"
            and all(inv.batch is None for inv in calls)
            and (p.parallel_cue(element.text) or p.parallel_cue(self.lead_text))
        ):
            # several calls in one code block that says they run together
            batch = self.next_batch()
            for inv in calls:
                inv.batch, inv.background = batch, True
        created: list[StepDraft] = []
        for index, invocation in enumerate(invocations):
            # (two launches of one agent in one block are two tasks: "├─ Explore: get the
            # diff", "└─ Explore: find related code")
            restated = self.restated(element, invocation) if self.step not in created else None
            if restated is not None:
                step = restated
                step.grow(element.span)
                self.container(step.span, step.title).grow(element.span)
            else:
                step = self.step_for(element, invocation)
                self.apply_invocation(step, invocation)
            created.append(step)
            if element.kind in ("item", "paragraph") and index == len(invocations) - 1:
                if _row_per_launch(element, invocations):
                    # a table launching an agent per row: each row is its own step's text
                    for made, launch in zip(created, invocations, strict=True):
                        row = [line for line in element.lines if line.line == launch.first_line]
                        self.scan_prose(made, Passage.of(row), element, keep_note=False)
                else:
                    prose = self.fields_beside(step, element, invocations)
                    self.scan_prose(step, prose, element, keep_note=False)
                self.maybe_routing(step, element, invocation)
                # "For each skill, run `Skill Assessor` …": the launch the element leads with
                each = p.FOR_EACH.match(element.text) if len(invocations) == 1 else None
                if each and _SPAWNED.search(element.text, each.end()):
                    # "For each hypothesis, spawn a teammate": the copies work side by side
                    step.fan_out = True
                elif each:
                    step.each = p.strip_markup(each["item"]).strip(" *_`")
                    step.loop_text, step.loop_span = element.text.strip(), element.span
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
            passage = line.passage
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
            match = p.field_line(line.text.strip())
            if match and p.field_role(match["key"]):
                self.apply_field_line(self.step, cut_line(line), 0)

    def restated(self, element: Element, invocation: Invocation) -> StepDraft | None:
        """The open step, when a sentence launches its stated agent again: "**Agent**:
        requirement-parser" then "1. **Launch requirement-parser agent** with the feature
        description" says one launch twice. Agents launched together, unnamed ones, or the
        same agent given work in two items of one list ("- Explore agent: get the diff",
        "- Explore agent: find related code") may well be several."""
        current = self.step
        if (
            current is None
            # a step its heading or a form made for it (`**Agent**:`, a call) opened; two
            # lines that each give an agent work ("→ Support Responder: …") are two tasks
            or not (current.from_heading or current.agent_stated)
            or (element.kind == "item" and element.depth == self.step_depth)
            or invocation.provenance != "inferred"
            or invocation.agent in (None, GENERIC_NAME)
            or current.agent in (None, GENERIC_NAME)
            or self.pending_title is not None
            or invocation.batch is not None
            or invocation.background
            or invocation.fan_out
            or current.batch is not None
            or current.fan_out
        ):
            return None
        prose_path = self.case_container()
        if prose_path is not None and current not in prose_path.blocks:
            return None
        assert current.agent is not None and invocation.agent is not None
        same = unqualified(current.agent).lower() == unqualified(invocation.agent).lower()
        return current if same else None

    def step_for(
        self, element: Element, invocation: Invocation, single_line: TextLine | None = None
    ) -> StepDraft:
        """The step an invocation belongs to: the open heading step when it has no agent yet,
        else a new step in the innermost container."""
        current = self.step
        pending = self.pending_title
        self.pending_title = None
        prose_path = self.case_container()
        if (
            current is not None
            and pending is None
            and (prose_path is None or current in prose_path.blocks)
            and (
                (current.agent is None and not self.spawning_together(invocation))
                or (current.agent_from_title and invocation.provenance == "explicit")
                or _stated_after_prose(current, invocation)
            )
        ):
            current.grow(invocation.span)
            current.agent_from_title = False
            return current
        if (
            current is not None
            and pending is None
            and invocation.form in ("block", "call")
            and current.agent == invocation.agent
            and current.prompt is None
            and invocation.batch is None  # (launches run together are several)
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
            if element.text.startswith("|") and invocation.agent_span is not None:
                # one row of a table of agents launched together: the row is the step
                row = invocation.agent_span.line
                span = next((ln.span() for ln in element.lines if ln.line == row), span)
        if pending is not None:
            title, adopted = pending[0], None
        else:
            title, adopted = self.headless_title(element, invocation)
        marked = p.title_marker(title) if adopted is not None else None
        if marked is not None:
            # "### Agent 7 — Stakes review (run if RUN_STAKES)" over the launch: the heading
            # that titles the step says when it runs
            title = marked[0]
        step = StepDraft(title=title, span=span, titled_by_agent=not title)
        if marked is not None:
            step.optional, step.condition = True, marked[1]
        if pending is not None and pending[1]:
            step.label = pending[1]
            step.label_provenance = "inferred"
        elif pending is None and adopted is None:
            step.label = self.parent_label(element)
            if step.label:
                step.label_provenance = "inferred"
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
        if self.only_if is not None and self.only_if[0] is self.section():
            step.optional, step.condition = True, self.only_if[1]
        self.only_if = None
        titled = self.title_condition(element, invocation)
        if titled is not None and not step.optional:
            step.optional, step.condition = True, titled[1]
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

    def spawning_together(self, invocation: Invocation) -> bool:
        """Is `invocation` one member of a list launched together ("Run these agents in
        parallel:" then one item per agent)? Each member is a branch of its own, so none is
        taken for the step of the heading above the list."""
        spawn_list = self.spawn_list
        return invocation.batch is not None and spawn_list is not None and spawn_list.parallel

    def title_condition(
        self, element: Element, invocation: Invocation
    ) -> tuple[int, str | None] | None:
        """The condition a bold title states for the launch written under it: the first
        line of the launch's own list item ("7. **Test Generation (if agent available)**"),
        or a bold line just above it (which titles this launch only: it is used up here)."""
        titled, self.titled_if = self.titled_if, None
        first = element.lines[0]
        if (
            element.kind == "paragraph" or (element.kind == "item" and element.first_in_item)
        ) and invocation.first_line > first.line:
            return _title_condition(first)
        if titled is not None and 0 < element.span.line - titled[0] <= 2:
            return titled
        return None

    def headless_title(
        self, element: Element, invocation: Invocation
    ) -> tuple[str, Section | None]:
        """A title for a step that has no heading: its parent list item, an enclosing
        heading that has no step yet, the Task description, or the agent name. A step read
        out of prose is titled by its own sentence."""
        if invocation.provenance == "inferred" and invocation.description:
            sentence = re.match(r"(.{1,80}?)(?:[.!?。](?:\s|$)|$)", invocation.description)
            return (sentence.group(1) if sentence else invocation.description[:80]), None
        if element.kind == "item" and element.depth > 1:
            parent = self.parent_items.get(element.depth - 1)
            if parent is not None and not agent_mentions(parent.passage):
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

    def in_path_of(self, condition: str) -> bool:
        """Is `condition` (or the start of it, cut at a colon) that of the case path open
        here? The line that opens a path may also launch its agent."""
        opened = self.case.path.condition if self.case is not None else None
        if not opened or not condition:
            return False
        said = " ".join(
            p.strip_markup(re.sub(r"^(?:if|when)\s+", "", condition, flags=re.I)).split()
        )
        return bool(said) and " ".join(opened.split()).lower().startswith(said.lower())

    def apply_invocation(self, step: StepDraft, invocation: Invocation) -> None:
        if invocation.provenance == "explicit":
            step.provenance = "explicit"
            step.agent_stated = True
        elif not step.agent_stated:
            step.provenance = "inferred"  # a step is as certain as what names its agent
        if invocation.provenance == "inferred" and invocation.description and not step.optional:
            # "use the **al-tester** agent (if needed)": a conditional step
            marked = p.CONDITION_NOTE.search(invocation.description) or p.CONDITION_LEAD.match(
                invocation.description
            )
            groups = marked.groupdict() if marked else {}
            said = (
                groups.get("cond") or groups.get("only") or groups.get("aside") or marked[0]
                if marked
                else ""
            ).strip("()（） ")
            # (not "- If `NEXT_ACTION: RETRY` → spawn …": the path it opens says when, once)
            if marked and not self.in_path_of(said):
                step.optional = True
                # "Optional:", "(conditional)", "(if applicable)": optional, no condition
                if not p.OPTIONAL_ONLY.match(said.strip(" :：,—–-")) and not re.match(
                    r"optional", said, re.IGNORECASE
                ):
                    step.condition = step.condition or re.sub(
                        r"^(?:if|when|as)\s+", "", said, flags=re.I
                    )
        if invocation.batch is not None:
            step.batch = invocation.batch
        elif self.batch_region is not None and step.batch is None:
            step.batch, step.background = self.batch_region[1], True
        step.fan_out = step.fan_out or invocation.fan_out
        step.fields_open = True
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
        for written, intended, span in invocation.misspelt:
            self.out.diagnostics.append(misspelt_keyword(written, intended, span, "argument"))

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

    def on_loose_content(self, element: Element) -> None:
        passage = element.passage
        text = passage.text.strip()
        if not text:
            return
        note = Note(text=text, span=element.span)
        only = p.only_if(text)
        if only:
            # "- **ONLY IF** tests are passing" then "- **USE A SUBAGENT** to commit": the
            # next step of this section runs only then
            self.only_if = (self.section(), only)
        innermost = self.innermost_container()
        notes = self.in_notes()
        prose = element.kind in ("paragraph", "item") and not text.startswith("|")
        if prose and not notes and (innermost is not None or self.stack):
            # "When mode is diff:" then "1. Generate a PR reference … If generation fails,
            # switch to audit mode": a gate on the path the section is on (a section's own
            # phase when it is in none: dropped if no step ever runs)
            self.prose_gates(element, passage, element.span, text)
        question = question_to_user(element) if element.kind == "fence" and not notes else None
        if question is not None and self.work_done():
            # "### Present Findings" then the message, ending "Which approach aligns best
            # with your vision?": the run waits for the answer
            title = self.stack[-1].title if self.stack else question
            home = self.case_container() or self.container(element.span, title)
            append_gate(home, element.span, question, "question")
        if lone_tag(element):
            return  # "</rules>": a section marker, nothing to note
        if innermost is None or notes:
            if self.out.intent is None and text.lower().startswith("[extended thinking"):
                self.out.intent = _extended_thinking(text)
            else:
                self.out.notes.append(note)
            return
        innermost.notes.append(note)
        if (
            not innermost.blocks
            and p.parallel_cue(text, p.PARALLEL_PROSE)
            and not innermost.parallel_hint
            and self.members_led is None  # (the lead-in of "Agent 1 - …" paragraphs: those)
        ):
            innermost.parallel_hint = True
            innermost.parallel_provenance = "inferred"
        if (
            p.stops_for_user(text)
            and not _CHECKLIST_ITEM.match(text)  # "[x] no AskUserQuestion flows": a criterion
            and self.top_checkpoint() is None
            and self.work_done()
        ):
            # on the path of a decision written in prose, when the wait is stated there
            home = self.case_container() or innermost
            append_gate(home, element.span, _first_sentence(text), "wait")

    def work_done(self) -> bool:
        """Whether the workflow has done anything a person could wait on: a wait before the
        first block asks for the input, it gates nothing ("wait for the user to paste …")."""
        return any(phase.blocks for phase in self.out.phases) or bool(
            (container := self.innermost_container()) and container.blocks
        )

    def collect_inputs(self, passage: Passage) -> None:
        if "$" not in passage.text:  # every definition names a `$VARIABLE`
            return
        for match in p.VARIABLE_DEFINITION.finditer(passage.text):
            start, end = match.span("name")
            name = "$" + match["name"]
            if all(ref.text != name for ref in self.out.inputs):
                self.out.inputs.append(Ref(text=name, span=passage.span(start - 1, end)))


_XML_STEP = LazyPattern(r"<(?P<tag>step|stage|task-step)\b(?P<attributes>[^>]*)>", re.IGNORECASE)
_XML_ATTRIBUTE = LazyPattern(r"(\w+)\s*=\s*[\"']([^\"']*)[\"']")


_CHECKLIST_ITEM = LazyPattern(r"\[[ xX]\]\s")

_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


def _row_per_launch(element: Element, invocations: list[Invocation]) -> bool:
    """Is `element` a table whose rows launch the agents, each row its own line?"""
    return element.text.startswith("|") and len({i.first_line for i in invocations}) > 1


def _empty_heading_step(step: StepDraft) -> bool:
    return (
        step.from_heading
        and step.agent is None
        and step.prompt is None
        and not step.produces
        and not step.fields
    )


def _title_condition(line: TextLine) -> tuple[int, str | None] | None:
    """(line, condition) when `line` is a bold title marked optional or conditional."""
    if "(" not in line.text and "（" not in line.text:
        return None  # the cheap test: no marker in parentheses
    bold = p.BOLD_TITLE_LINE.match(line.text.strip())
    marked = p.title_marker(bold["title"]) if bold else None
    return (line.line, marked[1]) if marked else None


def _stated_after_prose(step: StepDraft, invocation: Invocation) -> bool:
    """A sentence that announces the launch its fields then state ("Invoke task-decomposer
    using Agent tool:" then `` - `subagent_type`: "plugin:task-decomposer" ``): one step,
    named as stated."""
    return (
        invocation.provenance == "explicit"
        and not step.agent_stated
        and step.prompt is None
        and step.agent is not None
        and invocation.agent is not None
        and unqualified(step.agent) == unqualified(invocation.agent)
    )


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
    return p.strip_markup(title).strip() or text[:80]  # a title, shown without its markup


def _extended_thinking(text: str) -> str:
    body = re.sub(r"^\[\s*extended thinking\s*:\s*", "", text, flags=re.IGNORECASE)
    return body.rstrip().rstrip("]").strip()


def _label_before(label: str) -> str | None:
    """The label of the step just before one labelled `label` ("1b" → "1a", "2" → "1")."""
    lettered = re.fullmatch(r"(\d+)([b-h])", label)
    if lettered:
        return f"{lettered[1]}{chr(ord(lettered[2]) - 1)}"
    number = re.fullmatch(r"\d+", label)
    return str(int(label) - 1) if number and int(label) > 1 else None


#: `**Phase 1: product-manager**`, `**Step 4: db-entity-validator** [GATE]`: a numbered
#: bold line whose title is one name (the caller asks whether it is a known agent's).
_TITLED_AGENT = LazyPattern(
    r"^\*\*(?P<title>(?:phase|step|stage|fase|etapa|paso)\s+\d+(?:\.\d+)*[a-z]?\s*[:.\-–—]\s*"
    r"(?P<name>[A-Za-z][\w-]*(?: [A-Z][\w-]*){0,3}))\*\*(?:\s*\[[^\]\n]*\])*\s*$",
    re.IGNORECASE,
)
#: A one-line lead-in announcing an example ("Example in Senior Developer:", "For
#: example, with the reviewer agent:"): the names in it run nothing.
_EXAMPLE_LEAD = LazyPattern(r"^\W*(?:for\s+)?examples?\b[^\n]{0,80}[:：]\W*$", re.IGNORECASE)
