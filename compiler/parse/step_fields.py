"""What is written inside a step: `- Key: value` fields, prompts (also continued over
several blocks), files saved and read, prose loops and "in parallel with Step N"."""

from __future__ import annotations

import re

from compiler.model import Field_, Item, ItemKind, Note, Span
from compiler.parse import patterns as p
from compiler.parse.builder import (
    CheckpointDraft,
    DecisionDraft,
    PathDraft,
    StepDraft,
    append_gate,
    extend,
)
from compiler.parse.elements import Element, TextLine, lines_span, lone_tag, prose_fence
from compiler.parse.forms import agent_field_value
from compiler.parse.invocations import Invocation
from compiler.parse.state import RecogniserState
from compiler.parse.text import Passage, cut_line, trimmed
from compiler.parse.values import (
    file_reads,
    file_saves,
    items_of,
    listed_files,
    prompt_references,
    references_of,
    unquote,
)
from compiler.regex import LazyPattern

#: A launch repeated per item ("For each skill, run …", "one subagent each").
_PER_ITEM = LazyPattern(r"\b(?:for\s+each|for\s+every|per|each)\b", re.IGNORECASE)
#: A `Trigger:`/`When:` value that says when in the order the step runs, not whether it
#: does: "Trigger: Automatic after implementation", "When: after Phase 0 is done".
_WHEN_IN_ORDER = LazyPattern(
    r"\W*(?:automatic(?:ally)?|always|immediately|invoked\s+after|after|once|following)\b",
    re.IGNORECASE,
)
#: A question put to the reader: "Does this phasing make sense?", "Which approach aligns best
#: with your vision?", "Would you like me to…?".
_ASKS_THE_USER = LazyPattern(
    r"\b(?:you|your|shall\s+I|should\s+I|do\s+we|should\s+we)\b|^(?:does|do|is|are|which|what|any)\b",
    re.IGNORECASE,
)


class StepFields(RecogniserState):
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
        # "Save output to `.dir/01-x.md`" inside the prompt: the agent writes that file.
        known = {item.name for item in step.produces if item.kind == "file"}
        saved = file_saves(prompt, brief=True)
        step.produces.extend(item for item in saved if item.name not in known)
        step.grow(span)

    def on_step_content(self, step: StepDraft, element: Element) -> None:
        step.grow(element.span)
        introduced = self.prompt_fence is step and step.prompt is None
        self.prompt_fence = None
        if introduced and element.kind == "fence" and element.lines:
            self.set_prompt(step, element.passage)
            return
        if self.continues_prompt(step, element):
            self.set_prompt(step, element.passage)
            return
        if element.kind == "item":
            self.on_step_item(step, element)
        elif element.kind == "paragraph":
            handled = noted = False
            for line in element.lines:
                match = p.field_line(line.text.strip())
                role = p.field_role(match["key"]) if match else None
                if role:
                    self.apply_field_line(step, cut_line(line), element.depth)
                    handled = True
                    noted = noted or role == "info"
            if noted:
                # "**IMPORTANT:** If the task has unmet dependencies, pause and ask": a note
                # that states a gate
                self.prose_gates(element, element.passage, step.span, step.title)
            if not handled and self.field_value and self.field_value[0] == "prompt":
                self.set_prompt(step, element.passage)
            elif not handled:
                step.fields_open = False
                self.scan_prose(step, element.passage, element)
        elif element.kind == "fence":
            pending = self.field_value[0] if self.field_value else None
            if pending == "prompt":
                self.set_prompt(step, element.passage)
                self.field_value = None
            elif pending == "output":
                step.produces.extend(_fenced_outputs(step, element))
                self.field_value = None
            else:
                step.fields_open = False
                step.consumes.extend(file_reads(element.passage))
                self.ask_after(step, element)
        elif element.kind == "html":
            step.fields_open = False
            self.scan_prose(step, element.passage, element)

    def fields_beside(
        self, step: StepDraft, element: Element, invocations: list[Invocation]
    ) -> Passage:
        """`**Agent**: Research` with `**Output**: Requirements, risks` on the next line of
        the same paragraph: the lines that state fields are that step's fields, as they would
        be in a paragraph of their own below it. The rest of the paragraph, its prose, is
        returned for reading as prose (all of it where the paragraph states no field).
        A `Task:` block's `subagent_type:`/`prompt: |` lines are that block's, read with it."""
        if (
            element.kind != "paragraph"
            or len(invocations) != 1
            or invocations[0].form != "line"
            or "subagent_type" in element.text
        ):
            return element.passage
        stated = invocations[0].first_line
        fields: list[TextLine] = []
        prose: list[TextLine] = []
        for line in element.lines:
            match = p.field_line(line.text.strip()) if line.line != stated else None
            role = p.field_role(match["key"]) if match else None
            (fields if role not in (None, "agent") else prose).append(line)
        for line in fields:
            self.apply_field_line(step, cut_line(line), element.depth)
        return Passage.of(prose) if fields else element.passage

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

    def on_step_item(self, step: StepDraft, element: Element) -> None:
        pending = self.field_value
        if pending is not None and pending[1] is step and element.depth > pending[2]:
            self.apply_nested_value(step, pending[0], element)
            return
        self.field_value = None
        if element.first_in_item:
            first = cut_line(element.lines[0])
            match = p.field_line(first.text)
            if match and _is_field_key(match["key"]):
                if not self.step_depth:
                    self.step_depth = element.depth
                if element.depth == self.step_depth or p.field_role(match["key"]):
                    for target in self.field_targets(step):
                        self.apply_field_line(target, first, element.depth, element.lines[1:])
                    said = p.field_role(match["key"]) in (None, "info")  # not Prompt: …
                    if said and p.waits_for_user(element.text):
                        # "- **CRITICAL**: Wait for explicit approval before proceeding"
                        self.wait_after(step, element, first.text[match.start("value") :])
                    return
        if element.first_in_item:
            step.fields_open = False  # a prose bullet ends the field block
        self.scan_prose(step, element.passage, element)

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
        match = p.field_line(line.text)
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
                attached=step.fields_open,
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
            named = agent_field_value(agent.text)
            if named is not None and named["note"]:
                # "task-enricher (haiku)": the name without the note beside it
                agent = cut_line(agent, named.start("name"), named.end("name"))
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
        elif role == "condition" and not _WHEN_IN_ORDER.match(passage.text):
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
            self.scan_prose(step, element.passage, element)

    def add_gate(self, step: StepDraft, passage: Passage) -> None:
        container = self.container(step.span, step.title)
        span = lines_span(passage.lines)
        container.blocks.append(CheckpointDraft(span=span, title=passage.text, gate="approval"))

    def wait_after(self, step: StepDraft, element: Element, text: str) -> None:
        """ "Show the user the plan. Get a 👍 before proceeding": the run waits for a person
        after this step (an inferred approval gate, one per step)."""
        # (a bullet that is all key, "**PAUSE** — Ask the user if they want to:", has no value)
        lines = text.strip().splitlines() or element.text.strip().splitlines()
        title = p.strip_markup(lines[0])[:120]
        append_gate(self.container(step.span, step.title), element.span, title, "approval")

    def runs_copies_together(self, step: StepDraft, text: str) -> bool:
        """ "For each skill, run `Skill Assessor` as a subagent" then "Skill assessments can
        run in parallel": the step's agent runs once per item, the copies at once."""
        if step.agent is None or step.batch is not None or step.fan_out:
            return False
        # the launch itself says it repeats; the later sentence only says how (asked
        # first: a step's description is short, and few say so, where the cue is looked
        # for in every block of prose in a step)
        if _PER_ITEM.search(step.description or "") is None:
            return False
        return p.parallel_cue(text) is not None

    def ask_after(self, step: StepDraft, element: Element) -> None:
        """A message shown to the user that ends by asking them ("Does this phasing make
        sense? Should I adjust the order?"): the run waits for the answer after this step."""
        if step.agent is not None:
            return  # an agent's brief asks the agent
        question = question_to_user(element)
        if question is not None:
            append_gate(self.container(step.span, step.title), element.span, question, "question")

    def prose_gates(
        self,
        element: Element,
        passage: Passage,
        span: Span,
        title: str,
        step: StepDraft | None = None,
    ) -> None:
        """Gates stated in the middle of a passage ("… If so, do not proceed.", "… If the
        retry also fails, exclude the skill."): after what came before, an inferred decision
        with one path, taken when the condition holds. `span` and `title` place it (the
        step it follows, or the section's content). An order that launches `step` itself
        ("Launch the perf-reviewer agent if the change touches hot paths") makes that step
        conditional instead."""
        text = passage.text
        if "f " not in text and "F " not in text and "hen " not in text:  # "if …", "when …"
            return
        taken: list[tuple[int, int]] = []
        for stop in p.STOP_IF.finditer(text):
            group = "cond" if stop["cond"] else "cond2"
            sentence = text[max(stop.start(group) - 3, 0) : stop.end()]
            self.gate(passage, stop.start(group), stop.end(group), sentence, span, title)
            taken.append(stop.span())
        opened = self.case_condition(element)  # "**Agent-Based (Recommended)**: If …, use it"
        for found in p.IF_SENTENCE.finditer(text):
            if any(start <= found.start() < end for start, end in taken):
                continue
            if opened and " ".join(p.strip_markup(found["cond"]).split()) == opened:
                continue  # the condition of the path this element opens, not a gate in it
            consequence = _consequence(found["then"])
            if consequence is None:
                continue  # "If you prefer, …": no act on the run
            sentence = f"If {found['cond']}, {consequence}"
            self.gate(passage, found.start("cond"), found.end("cond"), sentence, span, title)
            taken.append(found.span())
        for order in p.TRAILING_IF.finditer(text):
            if any(start <= order.start("cond") < end for start, end in taken):
                continue
            if _VACUOUS.fullmatch(order["cond"].strip(" *_`")):
                continue  # "Update the plan if needed": optional, no condition to test
            if step is not None and _launches(step, order, passage.span(*order.span("order"))):
                if step.condition is None:
                    step.optional = True
                    step.condition = " ".join(p.strip_markup(order["cond"]).split())
                continue
            sentence = text[order.start("order") : order.end("cond")]
            self.gate(passage, order.start("cond"), order.end("cond"), sentence, span, title)

    def gate(
        self, passage: Passage, start: int, end: int, sentence: str, span: Span, title: str
    ) -> None:
        """The decision of one gate whose condition is `passage.text[start:end]`."""
        condition = " ".join(p.strip_markup(passage.text[start:end]).split())
        if condition.lower() in ("so", "not"):
            # "check if the PR is closed … If so, do not proceed": the check says what
            head = passage.text[: start - 3].strip()
            # the sentence before, found with parentheses blanked ("(eg. an automated PR)")
            masked = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group(0)), head)
            ends = [m.end() for m in re.finditer(r"[.!?]\s", masked[:-1])]
            before = head[ends[-1] if ends else 0 :]
            checked = re.search(
                r"\b(?:if|whether|(?:validate|verify|check|ensure|confirm)\s+that)\s+(.+?)[.!?]?$",
                p.strip_markup(before),
                re.IGNORECASE,
            )
            if checked:
                said = checked.group(1).strip()
                condition = said if condition.lower() == "so" else f"not ({said})"
        where = passage.span(start, end)
        path = PathDraft(span=where, role="if", provenance="inferred", label="A")
        path.condition, path.condition_span, path.title = condition, where, condition
        said = " ".join(p.strip_markup(sentence).split())
        path.notes.append(Note(text=said, span=where))
        decision = DecisionDraft(span=where, question=None, provenance="inferred", paths=[path])
        self.container(span, title).blocks.append(decision)

    def scan_prose(
        self, step: StepDraft, passage: Passage, element: Element, keep_note: bool = True
    ) -> None:
        """Prose inside a step: files saved and read, loops, "in parallel with Step N"."""
        text = passage.text
        self.scan_files(step, passage)
        if "[" in text:  # a file a prose line inserts is written `[Insert contents of x.md]`
            step.consumes.extend(ref for ref in prompt_references(passage) if ref.kind == "file")
        if element.quoted and self.in_prompt(element):
            # the agent's brief, quoted under its heading: its loops, waits and ifs are the
            # agent's own to follow, not the coordinator's
            if keep_note:
                step.notes.append(Note(text=text.strip(), span=element.span))
            return
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
        again = p.REPEAT_UNTIL.search(text) if not loop and step.agent is not None else None
        if again and step.loop_to is None and step.label:
            # "Repeat until all tasks PASS QA" in a numbered step: it runs again until it
            # holds (a loop back to itself)
            step.loop_to = step.label
            step.loop_text, step.loop_span = text.strip(), element.span
            step.loop_until = p.strip_markup(again["cond"]).strip(" *_`")
            loop = again
        # (a limit is read only for a step that loops: most prose states none)
        limit = p.LOOP_MAX.search(text) if step.loop_to is not None or loop else None
        if limit:
            # "max 2 retries" allows three runs in all; "max 3 iterations" allows three.
            extra = 1 if re.match(r"retr|re-?run|loop", limit["unit"], re.IGNORECASE) else 0
            step.loop_max = int(limit["n"]) + extra
        together = p.PARALLEL_WITH_STEP.search(text)
        if together:
            step.parallel_with = together["num"]
        prose = element.kind in ("paragraph", "item") and not text.lstrip().startswith("|")
        if prose and not together and self.runs_copies_together(step, text):
            step.fan_out = True
        if prose and p.stops_for_user(text):
            self.wait_after(step, element, text)
        skip = p.SKIP_STEP_IF.search(text) if prose else None
        if skip and not step.condition:
            step.optional, step.condition = True, p.unless(skip["cond"])
        only = p.only_if(text) if prose else None
        if only and not step.condition:
            step.optional, step.condition = True, only
        if prose:
            self.prose_gates(element, passage, step.span, step.title, step)
        if keep_note and not (loop or together or lone_tag(element)):
            step.notes.append(Note(text=text.strip(), span=element.span))

    def scan_files(self, step: StepDraft, passage: Passage) -> None:
        text = passage.text
        if "<files_to_read>" in text:
            self.reading_files = True
        if self.reading_files:
            # `<files_to_read>` then one path a line (a list, in Markdown) until the close tag
            step.consumes.extend(listed_files(passage))
        if "</files_to_read>" in text:
            self.reading_files = False
        # (what the step already has is gathered only when there is something to add: most
        # prose names no file, and a step's list of what it reads grows with every block)
        saves = file_saves(passage)
        if saves:
            known = {item.name for item in step.produces if item.kind == "file"}
            step.produces.extend(item for item in saves if item.name not in known)
        reads = file_reads(passage)
        if reads:
            seen = {(ref.text, ref.span.line, ref.span.column) for ref in step.consumes}
            step.consumes.extend(
                ref for ref in reads if (ref.text, ref.span.line, ref.span.column) not in seen
            )


_VACUOUS = LazyPattern(
    r"(?:needed|necessary|applicable|required|relevant|appropriate|possible|desired|wanted"
    r"|any|so|not|useful|helpful)",
    re.IGNORECASE,
)
#: A consequence that opens with an order to the coordinator ("create it", "append a rule").
_IMPERATIVE = LazyPattern(
    r"\s*(?:then\s+)?(?:create|append|add|write|read|use|run|mark|include|note|flag|report|update"
    r"|set|remove|delete|apply|record|log|list|present|show|display|fix|merge|commit|push"
    r"|move|copy|generate|reuse|keep|leave|treat|default|assume|proceed|continue|tell|warn"
    r"|alert|load|check|verify|request|offer|suggest|recommend|prompt|inform|revise|rework|redo"
    # "send the failures back to the builder", "do the review yourself" (a fallback)
    r"|(?:send|hand|pass|give)\s+(?:[^.,;\n]{0,40}?\s)?back\s+to"
    r"|(?:do|perform|handle|complete)\s+(?:[^.,;\n]{0,30}?\s)?(?:yourself|inline|manually))\b",
    re.IGNORECASE,
)


def _consequence(then: str) -> str | None:
    """What a conditional sentence does, if it acts on the run or tells the coordinator
    what to do ("If the file doesn't exist, create it"): its own sentence (quoted text
    masked, so a message's full stop does not end it), or with the short sentence after it
    ("… display a status update. Stop the scan.")."""
    masked = re.sub(r'"[^"\n]*"|“[^”\n]*”|`[^`\n]*`', lambda m: " " * len(m[0]), then)
    end = re.search(r"[.!?](?:\s|$)", masked)
    first = then[: end.end()].strip() if end else then.strip()
    if p.GATE_ACTION.search(masked[: end.end()] if end else masked):
        return first
    if _IMPERATIVE.match(masked):
        return first
    following = re.match(r"\s*([^.!?\n]{2,40}[.!?])", then[end.end() :]) if end else None
    if following and p.GATE_ACTION.match(following.group(1)):
        return f"{first} {following.group(1)}"
    return None


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


def _is_field_key(key: str) -> bool:
    words = key.strip(" *_`").split()
    return 0 < len(words) <= p.MAX_FIELD_KEY_WORDS and key.strip(" *_`")[:1].isalpha()


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


def _launches(step: StepDraft, order: re.Match[str], where: Span) -> bool:
    """Is `order` (at `where`) the order launching `step`, its condition about that launch:
    the agent's name is in it, with no other clause between the name and the "if"
    ("Launch agents, merge results, update the table if approved" updates on approval)?"""
    agent = step.agent_span
    if agent is None or step.agent is None:
        return False
    start, end = (where.line, where.column), (where.end_line, where.end_column)
    if not start <= (agent.line, agent.column) < end:
        return False
    said = order["order"]
    named = said.lower().rfind(step.agent.lower())
    return named >= 0 and not _NEXT_CLAUSE.search(said, named + len(step.agent))


#: Where one clause of an order ends and another begins.
_NEXT_CLAUSE = LazyPattern(r"[,;]|\b(?:then|and\s+then)\b", re.IGNORECASE)


def question_to_user(fence: Element) -> str | None:
    """The question a message shown to the user ends with, if it asks them one (code asks
    nobody)."""
    if not prose_fence(fence):
        return None
    lines = [line.text.strip() for line in fence.lines if line.text.strip()]
    if lines and lines[-1].endswith("?") and _ASKS_THE_USER.search(lines[-1]):
        return lines[-1]
    return None
