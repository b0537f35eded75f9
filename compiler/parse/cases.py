"""Decisions written in prose: consecutive "If …" / "Otherwise …" items or paragraphs, and
routing lists ("APPROVED → spawn the merge developer", "FAILED → Investigator"). Each
sibling that opens with a condition is one path of an inferred decision; what is nested
under it (sub-items, a fence, the paragraph's list) runs on that path.

Headings that start with "If" are handled with the other headings (`sections`); this module
covers the body text, where most real documents write their branching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from compiler.model import Note
from compiler.parse import patterns as p
from compiler.parse.agent_names import prohibited
from compiler.parse.builder import ContainerDraft, DecisionDraft, PathDraft, StepDraft, extend
from compiler.parse.calls import scan_calls
from compiler.parse.elements import Element, TextLine
from compiler.parse.languages import LANGUAGES, alternation, words
from compiler.parse.state import RecogniserState
from compiler.regex import LazyPattern

_LEAD = r"^(?:[\s>*+\-•]|\d+[.)]\s)*(?:\*\*|__)?"
#: The end of a condition word: a word boundary, or nothing in scripts without spaces.
_END = r"(?:\b|(?<=[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]))"
_IF = LazyPattern(
    _LEAD
    + r"(?P<kw>"
    + alternation("condition")
    + r"|in\s+case|unless)"
    + _END
    + r"\s*(?P<cond>.+)$",
    re.IGNORECASE,
)
#: `ELIF x:`, `ELSE IF x:`: a further branch of the decision its `IF` opened.
_ELIF = LazyPattern(
    _LEAD + r"(?P<kw>elif|else\s*if)\b\s*(?P<cond>.+)$",
    re.IGNORECASE,
)
_ELSE = LazyPattern(
    _LEAD + r"(?P<kw>" + alternation("otherwise") + r")" + _END + r"[\s,:：—–-]*(?P<rest>.*)$",
    re.IGNORECASE,
)
#: `STATUS → action`, `Frontend work → frontend-developer agent` (a routing line).
_ROUTE = LazyPattern(
    _LEAD + r"(?P<cond>[^\s→][^→\n]{0,60}?)(?:\*\*|__|`)?\s*(?:→|->|=>)\s*(?P<then>\S.*)$"
)
#: The end of a condition: a colon, "then", an arrow, a dash or a comma before the action.
#: A colon inside a word is no end (`#tool:runSubagent`, `https://…`, `10:30`).
_COND_END = LazyPattern(
    r"\s*(?::(?![\w/])|：|\bthen\b|→|->|=>|[—–](?=\s)"
    # (not a comma of a list the condition holds: "is not `audit`, `diff`, or `plan`,";
    # code spans are blanked to NULs by `_masked`)
    r"|,(?=\s)(?!\s+(?:(?:or|and)\s+)?\0))"
)


@dataclass
class Case:
    """An open case of a decision written in prose ("If …", "… → agent")."""

    decision: DecisionDraft
    path: PathDraft
    home: ContainerDraft  # the container the decision sits in
    kind: str  # element kind of the paths ("item" or "paragraph")
    depth: int
    routes: bool  # written as arrow routes rather than "If …"
    introduces: bool = False  # the condition ends with a colon: what follows is its body
    #: opened by a bold condition line inside a list item: only another one is a sibling
    bold: bool = False
    labelled: bool = False  # the path was named by a bold label ("**Fallback**: …")
    #: ways to run named by bold labels ("**Sequential mode (default):**"): alternatives only
    #: when two or more stand together and one says it is the default or is opted into
    modes: bool = False


class ProseDecisions(RecogniserState):
    """Mixed into the recogniser: opens, extends and closes decisions written in prose."""

    case: Case | None = None
    #: the decisions whose open path holds the current one, outermost first (a tree in a tree)
    outer_cases: tuple[Case, ...] = ()

    def on_case(self, element: Element, lead: tuple[str, str] | None = None) -> None:
        """Called for every body element before it is filed: a condition-led sibling opens
        a path, anything at the same level or above that is not one ends the decision.
        `lead` gives the condition of an element that states it another way (a table row)."""
        while self.outer_cases and self.case is not None and not _belongs(self.case, element):
            # past a decision inside a path: it ends, the path around it goes on
            self.end_case()
            self.case, self.outer_cases = self.outer_cases[-1], self.outer_cases[:-1]
        current = self.case
        bold = _bold_condition(element) if lead is None else None
        if bold is not None:
            # "**If the user says YES (restart):**" inside a numbered step: its own path
            if current is not None and current.bold and _sibling(current, element, bold):
                self.add_path(current, element, bold)
                return
            self.close_case()
            self.open_case(element, bold)
            self.case.bold = True  # type: ignore[union-attr]
            return
        if lead is None and current is not None and _inside(current, element):
            nested = _lead(element) if _nests(current, element) else None
            if nested is not None and nested[0] in ("if", "else", "route"):
                # "IF attempt == 1:" under "WHEN a task fails QA:": a decision in the path
                self.outer_cases += (current,)
                self.open_case(element, nested)
            return
        if lead is None and self.in_spawn_list(element):
            return  # "- If relevant, use the X agent": a conditional member of the list
        if lead is None and element.quoted and self.in_prompt(element):
            self.close_case()
            return  # an agent's brief: what it is told to do on a condition is its own affair
        if lead is None and element.kind in ("item", "paragraph"):
            lead = _lead(element) or self.error_case(element)
        if lead is not None and lead[0] == "stop":
            # "- **STOP** if …": each stop ends the run on a condition of its own; stops
            # listed together are not alternatives of one decision
            self.close_case()
            self.open_case(element, ("if", lead[1]))
            self.close_case()
            return
        if lead is not None and current is not None and _sibling(current, element, lead):
            self.add_path(current, element, lead)
            return
        self.close_case()
        if lead is not None and lead[0] != "fallback":
            self.open_case(element, lead)

    def error_case(self, element: Element) -> tuple[str, str] | None:
        """Under "Error Scenarios", "Failure Modes" or "Common Errors", a bold label on a
        line of its own ("**Test Failures**:") names the case the lines under it handle."""
        if element.kind != "paragraph" or len(element.lines) != 1:
            return None
        text = element.lines[0].text.strip()
        if not _BOLD_CONDITION_LINE.match(text) or not _ERROR_SECTION.search(self.section_title()):
            return None
        return "if", p.strip_markup(text).strip(" *_`:：")[:120]

    def open_case(self, element: Element, lead: tuple[str, str]) -> None:
        home = self.container(element.span, element.text)
        decision = DecisionDraft(
            span=element.span, question=self.asked_above(element), provenance="inferred"
        )
        home.blocks.append(decision)
        first = PathDraft(span=element.span, role="path", provenance="inferred")
        self.case = Case(decision, first, home, element.kind, element.depth, lead[0] == "route")
        self.case.modes = lead[0] == "mode"
        self.add_path(self.case, element, lead, first)

    def asked_above(self, element: Element) -> str | None:
        """The question of the item whose sub-items answer it ("2. **Is this a visual
        task?**" over "- YES → …" / "- NO → …")."""
        if element.kind != "item" or not element.depth:
            return None
        parent = self.parent_items.get(element.depth - 1)
        if parent is None or parent.span.line >= element.span.line:
            return None
        asked = re.sub(r"^\[[ xX]\]\s*", "", p.strip_markup(parent.lines[0].text).strip())
        return asked if asked.endswith(("?", "？")) else None

    def add_path(
        self,
        case: Case,
        element: Element,
        lead: tuple[str, str],
        path: PathDraft | None = None,
    ) -> None:
        role, condition = lead
        if path is None:
            path = PathDraft(span=element.span, role="path", provenance="inferred")
        path.role = (
            "else"
            if role in ("else", "fallback")
            else "if"
            if role in ("if", "label-if")
            else "path"
        )
        if role == "mode":
            path.default = "(default" in condition.lower()
        path.condition = condition or None
        path.title = condition or "Otherwise"
        path.label = (
            chr(ord("A") + len(case.decision.paths)) if len(case.decision.paths) < 26 else ""
        )
        path.notes.append(Note(text=p.strip_markup(element.text.strip()), span=element.span))
        case.decision.paths.append(path)
        case.decision.span = extend(case.decision.span, element.span)
        case.path = path
        case.introduces = element.text.rstrip().endswith((":", "：", ":**", "：**", ":__"))
        # a labelled alternative ("**Fallback**: If …, follow this process:") says which way
        # to go; a fence after it is its body, a list is not reliably ("Alternative approach:")
        case.labelled = role in ("label-if", "fallback")

    def close_case(self) -> None:
        """End every open decision, the innermost first."""
        self.end_case()
        while self.outer_cases:
            self.case, self.outer_cases = self.outer_cases[-1], self.outer_cases[:-1]
            self.end_case()

    def end_case(self) -> None:
        case = self.case
        self.case = None
        if case is None:
            return
        decision = case.decision
        if case.routes and all(_stated(path) for path in decision.paths):
            # `- Python issues → subagent_type="python-pro"`: a routing table whose every
            # route names its agent in a form made for it states the decision.
            decision.provenance = "explicit"
            for path in decision.paths:
                path.provenance = "explicit"
        index = case.home.blocks.index(decision)
        if case.modes and len(decision.paths) < 2:
            # one "**Interactive (default):**" alone: a description of a mode, not a choice
            case.home.blocks[index : index + 1] = [
                b for path in decision.paths for b in path.blocks
            ]
            return
        only = decision.paths[0] if len(decision.paths) == 1 else None
        if only is not None and case.routes:
            # A lone arrow line is a sentence, not a routing table: put its content back.
            case.home.blocks[index : index + 1] = only.blocks
        elif only is not None and len(only.blocks) == 1 and isinstance(only.blocks[0], StepDraft):
            # "If relevant, use the X agent": one step under one condition is a conditional
            # step, not a decision.
            step = only.blocks[0]
            step.optional = True
            step.condition = step.condition or only.condition
            case.home.blocks[index : index + 1] = [step]

    def case_container(self) -> ContainerDraft | None:
        return self.case.path if self.case is not None else None

    def case_condition(self, element: Element) -> str | None:
        case = self.case
        if case is None or case.path.span != element.span:
            return None
        return case.path.condition

    def table_cases(self, element: Element) -> list[tuple[Element, tuple[str, str]]] | None:
        """A table whose first column states when each row applies ("When", "Condition",
        "Situation", "Scenario", "Trigger"): each row is a path of one decision."""
        if element.kind != "paragraph":
            return None  # (before reading the lines: a fence may have hundreds)
        rows = [line for line in element.lines if line.text.strip().startswith("|")]
        if len(rows) < 4 or len(rows) != len(element.lines):
            return None
        header = [cell.strip(" *`") for cell in rows[0].text.strip().strip("|").split("|")]
        if any(_DECIDER_COLUMN.match(cell) for cell in header):
            # "| Decision Point | When | Who Decides |": decisions taken by roles at times,
            # not one decision routing by its "When" column
            return None
        column = next((i for i, cell in enumerate(header) if _CONDITION_COLUMN.match(cell)), None)
        if column is None and any(_ACTION_COLUMN.match(cell) for cell in header[1:]):
            # "| State | Criteria | Next Action |", "| Severity | Action |": what the first
            # column names is a case only where a later column says what to do in it
            column = 0 if _ROUTED_COLUMN.match(header[0]) else None
        if column is None:
            return None
        if not re.fullmatch(r"\|?[\s:|-]+\|?", rows[1].text.strip()):
            return None
        found: list[tuple[Element, tuple[str, str]]] = []
        for row in rows[2:]:
            cells = row.text.strip().strip("|").split("|")
            first = cells[column].strip(" *`") if column < len(cells) else ""
            if first and not _CHECKBOX_CELL.fullmatch(first):
                item = Element("item", (row,), depth=1, marker="-", first_in_item=True)
                found.append((item, ("if", first[:120])))
        return found or None

    def pseudo_code_cases(self, element: Element) -> list[Element] | None:
        """A prose fence written as a decision tree ("IF caused by a deploy:" then indented
        "→ DevOps Automator: roll back" lines) read as the list it stands for: each condition
        line an item, the lines under it its sub-items. None when the fence is no such tree."""
        if element.kind != "fence":
            return None
        language = element.marker.split()[:1]
        if language in (["bash"], ["sh"], ["shell"], ["zsh"]):
            commented = _commented_cases(element)
            if commented is None:
                return None
            element = commented
        elif language not in ([], ["text"], ["txt"]):
            return None
        text = element.text
        if not any(word in text for word in _PSEUDO_CASE_WORDS):
            return None  # no line can start a condition: no tree (most fences)
        if _HOLDS_CALL.search(text) or ("task" in text and scan_calls(text)):
            # "IF FILE EXISTS:" inside a Task prompt is the prompt's text (a lowercase
            # `task(` is a call only with an agent or a prompt: the call reader tells)
            return None
        heads = [i for i, line in enumerate(element.lines) if _PSEUDO_CASE.match(line.text)]
        if len(heads) < 2:
            return None
        out: list[Element] = []
        before = element.lines[: heads[0]]
        if any(line.text.strip() for line in before):
            out.append(replace(element, lines=before))
        indent = _head_indent(element.lines[heads[0]].text)
        opened: list[int] = []  # where the condition words around the line start
        rest: list[TextLine] = []
        tail = False
        for line in element.lines[heads[0] :]:
            if not line.text.strip():
                continue
            head = _PSEUDO_CASE.match(line.text)
            if tail or (
                _indent(line.text) <= indent
                and line.text.rstrip().endswith((":", "："))
                and head is None
            ):
                # past the tree: "Throughout:" and the lines under it run on every path
                tail = True
                rest.append(line)
            elif head is not None and head.start("word") >= indent:
                # `WHEN a task fails QA:` over `IF attempt == 1:` …: a tree in a tree
                at = head.start("word")
                while opened and opened[-1] >= at:
                    opened.pop()
                opened.append(at)
                depth = len(opened)
                out.append(Element("item", (line,), depth=depth, marker="-", first_in_item=True))
            elif _indent(line.text) > indent or line.text.strip().startswith(("→", "->", "-")):
                while len(opened) > 1 and opened[-1] >= _indent(line.text):
                    opened.pop()
                depth = len(opened) + 1
                out.append(Element("item", (line,), depth=depth, marker="-", first_in_item=True))
            else:
                rest.append(line)
        if rest:
            out.append(Element("paragraph", tuple(rest)))
        return out


#: The first column of a table of cases.
#: A status cell to tick ("☐", "[ ]", "✅"): a checklist row, not a case.
_CHECKBOX_CELL = LazyPattern(
    r"[☐☑☒✓✔✗✘✅❌⬜◻︎\s]+|\[[ xX]?\]|-+|n/?a"
    # "[ ] Pass / [ ] Fail": boxes to tick, one per outcome (a form to fill in)
    r"|(?:(?:\[[ xX]?\]|[☐☑☒])\s*[^\s/]+\s*/?\s*)+",
    re.IGNORECASE,
)
#: A task list's box at the start of an item ("[ ] Migrate X → Y").
_TASK_BOX = LazyPattern(r"(?:[-*+]\s+)?\[[ xX]\]\s")
_CONDITION_COLUMN = LazyPattern(
    r"^(?:when|condition|conditions|if|situation|scenario|case|signal|sinyal|trigger|use\s+when"
    r"|symptom|status|verdict|result|outcome|条件|场景|情况|条件分岐|状況|조건|상황|condición"
    # "| Task Domain | Agent |", "| User Says | Agent Type |": a guide to which agent to use
    r"|task\s+(?:domain|type)|user\s+says|request\s+type"
    r"|condição|cuando|quando|激活时机|时机|触发条件|触发|タイミング|トリガー|트리거|시점"
    r"|disparador|gatilho|auslöser|déclencheur|триггер|условие|когда"
    # "| キーワード | 担当エージェント |": the words of a request that route it to an agent
    r"|(?:trigger\s+)?keywords?|キーワード|关键词|关键字|키워드|palabras?\s+clave|palavras?-chave)\b",
    re.IGNORECASE,
)

#: A column naming who takes each decision of a table of decisions ("Who Decides").
_DECIDER_COLUMN = LazyPattern(
    r"^(?:who\s+decides|decided\s+by|decision\s+maker|decider|approver|approved\s+by"
    r"|quem\s+decide|quién\s+decide|qui\s+décide|wer\s+entscheidet|决策者|谁决定|決定者)$",
    re.IGNORECASE,
)
#: A first column whose rows are cases only beside a column of actions.
_ROUTED_COLUMN = LazyPattern(r"^(?:state|severity)$", re.IGNORECASE)
_ACTION_COLUMN = LazyPattern(
    r"^(?:(?:next\s+)?actions?|what\s+to\s+do|recovery|handling|response|route|then)$",
    re.IGNORECASE,
)

#: `# IF QA = PASS: move to the next task` in a shell block: the branch written as a comment.
_COMMENTED_CASE = LazyPattern(r"^\s*#\s*(?=(?:IF|ELSE\s+IF|ELSE|OTHERWISE)\b)")


def _commented_cases(element: Element) -> Element | None:
    """A shell block whose comments state two or more branches (`# IF QA = PASS: …`,
    `# IF QA = FAIL: …`) read as the decision tree they write down: the comment marker goes
    from those lines, the commands around them stay as they are."""
    lines: list[TextLine] = []
    heads = 0
    for line in element.lines:
        found = _COMMENTED_CASE.match(line.text)
        if found:
            heads += 1
            line = replace(line, text=line.text[found.end() :], column=line.column + found.end())
        lines.append(line)
    return replace(element, lines=tuple(lines)) if heads >= 2 else None


#: The words that open a condition line of a decision tree in a code block, as pseudo-code
#: writes them: every condition and otherwise word of the language table in upper case
#: (`IF caused by a deploy:`, `ELIF attempts >= 3:`, `QUANDO a tarefa tem dependências:`),
#: and each language's first ones capitalised (`If`, `Else`, `Se`), in scripts with letter
#: case. "When …" and lower case are prose, not a tree.
_PSEUDO_WORDS = sorted(
    {
        form
        for language in LANGUAGES
        for role in (language.condition, language.otherwise, ("elif", "else if"))
        for index, phrase in enumerate(role)
        if phrase.upper() != phrase.lower()
        for form in ((phrase.upper(), phrase.capitalize()) if index == 0 else (phrase.upper(),))
    }
    | {"Otherwise"},
    key=lambda w: (-len(w), w),
)
#: A condition line of such a tree, numbered or not (`4. IF verdict == PASS:`).
_PSEUDO_CASE = LazyPattern(
    r"^\s*(?:\d+[.)]\s+)?(?P<word>"
    + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in _PSEUDO_WORDS)
    + r")\b"
)
#: What every condition line holds (its pattern is case-sensitive).
_PSEUDO_CASE_WORDS = tuple(sorted({w.split()[0] for w in _PSEUDO_WORDS}))


_HOLDS_CALL = LazyPattern(r"subagent_type|\b(?:Task|Agent|spawn_agent)\s*\(|^\s*Task\s*:", re.M)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _head_indent(text: str) -> int:
    """Where a condition line's word starts: `  4. IF pass:` and `     ELIF fail:` below it
    are one tree's branches."""
    found = _PSEUDO_CASE.match(text)
    return found.start("word") if found else _indent(text)


#: "spawning agents", "delegating to subagents": a condition that is the launch itself.
_LAUNCHING = LazyPattern(
    r"(?:spawning|invoking|launching|dispatching|delegating(?:\s+\w+)?\s+to|calling)\s+"
    r"(?:the\s+|an?\s+|multiple\s+|several\s+)?(?:[\w-]+\s+)?"
    r"(?:sub-?agents?|agents?|teammates?|workers?)\b",
    re.IGNORECASE,
)
_FIRST_WORD = LazyPattern(r"^(?:[\s>*+\-•_]|\d+[.)]\s)*(\w+)")
#: The first word of every condition and otherwise phrase of the language table.
_LEAD_WORDS = frozenset(
    phrase.split()[0].lower() for role in ("condition", "otherwise") for phrase in words(role)
) | {"in", "unless", "else", "elif"}


#: Scripts without spaces run the condition word into the rest ("如果用户同意").
_SPACELESS_LEADS = tuple(word for word in _LEAD_WORDS if not word.isascii() and word.isalpha())


def _lead(element: Element) -> tuple[str, str] | None:
    """("if", condition) / ("else", "") / ("route", condition) for a condition-led element."""
    if element.kind == "item" and not element.first_in_item:
        return None
    text = element.lines[0].text.strip()
    if prohibited(text):
        return None  # "- ❌ UI/UX design (→ Designer's responsibility)": what not to do
    first = _FIRST_WORD.match(text)
    word = first.group(1).lower() if first else ""
    spaceless = word.startswith(_SPACELESS_LEADS)  # a tuple: one call, no generator per lead
    arrow = "→" in text or "->" in text or "=>" in text
    if word in ("stop", "halt", "abort"):
        stop = _STOP_IF_LEAD.match(text)
        return ("stop", _condition(stop)) if stop else None
    if word not in _LEAD_WORDS and not spaceless and not arrow:
        # the cheap test: no condition word leads, no arrow routes
        return _labelled(text) or _verdict(text) or _mode(text) or _failure(text)
    if p.LOOP_RETURN.search(text) or p.LOOP_UNTIL.search(text):
        return None  # "If tests fail, return to Step 1": a loop, read with the step
    further = _ELIF.match(text)
    if further:
        return "if", _condition(further)  # `ELIF attempts >= 3:`: one more branch
    if _ELSE.match(text):
        return "else", ""
    found = _IF.match(text)
    if found:
        condition = _condition(found)
        if found["kw"].lower() == "when" and _SEQUENCING.match(condition):
            return None  # "When complete, present …": what comes next, not a branch
        if _ADVICE.match(condition) or _LAUNCHING.match(condition):
            # "When in doubt, spawn an agent", "When spawning agents, include their
            # checklist": advice about how to launch, not a branch
            return None
        if condition[:3].lower() == "to ":
            return None  # "**When to Apply**: conditions where …": a label, not a branch
        return "if", condition
    case = _FOR_CASE.match(text)
    if case and not _NOT_A_CASE.match(case["cond"]):
        return "route", p.strip_markup(case["cond"]).strip(" *_`")
    route = _ROUTE.match(text)
    if route and p.ROUTE_ITEM.match(text):
        return None  # `- Python issues → subagent_type="x"`: the routing list of `structure`
    if route and _TASK_BOX.match(text):
        return None  # "- [ ] ReactDOM.render → createRoot": a to-do, from the old to the new
    if route and _MENTIONED.match(route["cond"]):
        return None  # "1. `@Code Reviewer` → Validar Asaas": an agent given work, no case
    if route and not re.search(r"[.!?]\s", route["cond"]):
        return "route", p.strip_markup(route["cond"]).strip(" *_`")
    return None


#: An agent called by its @-mention, alone ("`@Code Reviewer`", "**@qa-master**").
_MENTIONED = LazyPattern(r"^[`*]{0,2}@[\w][\w .-]{0,40}[`*]{0,2}$")


#: A section about what can go wrong, where bold labels name the cases it handles.
#: (A section listing them, "Error Scenarios", "Failure Modes", "Common Errors"; not one
#: about a topic that has errors in it, "Error Handling for Silent Operations".)
_ERROR_SECTION = LazyPattern(
    r"^[^\w]*(?:common\s+)?(?:error|failure|exception)s?(?:\s+(?:scenarios|cases|conditions"
    r"|modes))?\s*$",
    re.IGNORECASE,
)
#: "**If it returns 200 (app is already running):**", "**If NO plan file provided**:": a
#: whole line, bold, ending in a colon.
_BOLD_CONDITION_LINE = LazyPattern(
    r"^(?:\*\*|__)[^*_\n]{3,150}(?:[:：](?:\*\*|__)|(?:\*\*|__)[:：])$"
)  # the colon inside the bold or just after it


def _bold_condition(element: Element) -> tuple[str, str] | None:
    """A bold condition line continuing a list item (a paragraph inside "3. **Check …**"):
    it introduces what follows it in the item, as "**If X:**" does at the top level."""
    if element.kind != "item" or element.first_in_item or len(element.lines) != 1:
        return None
    text = element.lines[0].text.strip()
    if not _BOLD_CONDITION_LINE.match(text):
        return None
    if _ELSE.match(text):
        return "else", ""
    found = _IF.match(text)
    if found is None:
        return None
    return "if", p.strip_markup(found["cond"]).strip(" *_`:：")[:120]


#: "**Agent-Based Execution (Recommended)**: If the agent is available, …", "**Preferred —
#: Workflow orchestration.** If …", "**Fallback** (no Workflow tool): …": alternatives named
#: by a bold label, the condition stated after it or the label saying it is the fallback.
_LABEL = LazyPattern(
    r"^(?:[\s>*+\-•]|\d+[.)]\s)*(?:\*\*|__)(?P<label>[^*_\n]{2,80}?)(?:\*\*|__)"
    r"\s*(?:\([^()\n]{1,60}\))?\s*[:：.—–-]?\s*(?P<rest>.*)$"
)
_VARIANT = LazyPattern(
    r"\b(?:preferred|recommended|primary|default|fallback|alternative(?:ly)?|otherwise)\b",
    re.IGNORECASE,
)
_FALLBACK = LazyPattern(r"\b(?:fallback|alternative(?:ly)?|otherwise)\b", re.IGNORECASE)


def _labelled(text: str) -> tuple[str, str] | None:
    if "**" not in text[:12] and "__" not in text[:12]:
        return None  # the cheap test: no bold label leads the line
    label = _LABEL.match(text)
    if label is None or not _VARIANT.search(text, 0, label.start("rest")):
        return None
    found = _IF.match(label["rest"])
    if found is not None:
        return "label-if", _condition(found)
    if _FALLBACK.search(label["label"]):
        return "fallback", ""  # the other path of alternatives named before it, never alone
    return None


#: "- **Sequential mode (default):** run …", "**Worktrees mode (opt-in):**", "**Use
#: Interactive Mode** (default) when:": a way to run, named by a bold label that says it is
#: the default or one to opt into ("(default: 120s)" is a parameter's default, not a mode).
_MARK = r"\((?:default|opt-in|on\s+request|user\s+can\s+request)(?:,[^)\n]*)?\)"
_MODE = LazyPattern(
    r"^(?:[\s>*+\-•]|\d+[.)]\s)*(?:\*\*|__)(?P<label>[^*_()\n]{2,60}?)\s*(?P<inner>"
    + _MARK
    + r")?\s*[:：]?\s*(?:\*\*|__)\s*(?P<after>"
    + _MARK
    + r")?",
    re.IGNORECASE,
)


def _mode(text: str) -> tuple[str, str] | None:
    """("mode", label) for a line naming a way to run; the label keeps its "(default)" or
    "(opt-in)" mark."""
    if "(" not in text or ("**" not in text[:12] and "__" not in text[:12]):
        return None  # the cheap test: no bold label, no mark
    found = _MODE.match(text)
    if found is None or not (found["inner"] or found["after"]):
        return None
    marker = (found["inner"] or found["after"]).strip("()").lower()
    return "mode", f"{found['label'].strip()} ({marker})"


#: "- **STOP** if you encounter database schema changes": the run ends when it holds.
_STOP_IF_LEAD = LazyPattern(
    _LEAD + r"(?:stop|halt|abort)(?:\*\*|__)?\s+(?:immediately\s+)?(?:if|when)\s+(?P<cond>.+)$",
    re.IGNORECASE,
)


#: "- **NEEDS REVISION**: Fix issues, re-review", "- **CONDITIONAL PASS**: proceed with
#: caution": what to do on each verdict a review returns. Capitals and a verdict word, so
#: "**IMPORTANT**: …" or "**Output**: …" never route.
_VERDICT = LazyPattern(
    r"^(?:[\s>*+\-•]|\d+[.)]\s)*(?:\*\*|__)(?P<label>(?:[A-Z]+[ _-])*(?:PASS(?:ED)?|FAIL(?:ED|URE)?"
    r"|APPROVED?|REJECT(?:ED)?|BLOCKED|READY|REVISION|CHANGES[ _]REQUESTED|NEEDS[ _][A-Z_ ]+"
    r"|NO[ _-]?GO|GO|SUCCESS|PARTIAL|INCOMPLETE|ESCALATE)(?:[ _][A-Z]+)*)"
    r"(?:\s*\([^()\n]{1,40}\))?\s*[:：]?(?:\*\*|__)(?:\s*\([^()\n]{1,40}\))?"
    r"\s*[:：—–-]?\s*[^\W\d_]"
)  # the action is words: "- **BLOCKED:** `⚠️ {id} blocked`" is a message to print


def _verdict(text: str) -> tuple[str, str] | None:
    if "**" not in text[:16] and "__" not in text[:16]:
        return None
    found = _VERDICT.match(text) or _ON_VERDICT.match(text)
    return ("route", found["label"]) if found else None


#: "- Planner spawn failure: Log error, exit with code 1", "- **State file missing**: recover
#: from the filesystem": what to do when something goes wrong, one case per item.
_FAILURE = LazyPattern(
    r"^(?:\*\*|__)?(?!(?i:handle|report|log|fix|check|avoid|prevent|detect|catch|retry)\b)"
    r"(?P<cond>[A-Z][^:：*_\n]{2,60}?\b(?:fail(?:s|ed|ures?)?|errors?|"
    r"time(?:s\s+)?out|timeouts?|missing|unavailable|not\s+found|crash(?:es|ed)?)"
    r"(?:\s*\([^()\n]{1,40}\))?)(?:\*\*|__)?\s*[:：]\s+[^\W\d_]"
)


def _failure(text: str) -> tuple[str, str] | None:
    if ":" not in text and "：" not in text:
        return None
    found = _FAILURE.match(text)
    return ("if", p.strip_markup(found["cond"]).strip()) if found else None


#: "- on **FAIL**" with what to do in the items under it: the route of one verdict.
_ON_VERDICT = LazyPattern(
    r"^(?:[\s>*+\-•]|\d+[.)]\s)*(?i:on|upon)\s+(?:\*\*|__)(?P<label>(?:[A-Z]+[ _-])*"
    r"(?:PASS(?:ED)?|FAIL(?:ED|URE)?|APPROVED?|REJECT(?:ED)?|BLOCKED|SUCCESS|PARTIAL))"
    r"(?:\*\*|__)\s*[:：]?\s*$"
)


#: "When complete", "When all agents finish", "When this command is invoked", "When
#: notifications arrive": a moment in the run, not a condition that may fail to hold.
_SEQUENCING = LazyPattern(
    r"^(?:(?:this|the|that|it|they|all|each|every|both|you|we)\b[\s\w-]{0,40}?\s)?"
    r"(?:(?:is|are|has|have|been|was|were)\s+){0,2}"
    r"(?:complete[sd]?|done|finish(?:e[sd])?|invoked|called|started|activated|triggered"
    r"|arrives?|returns?|returned"
    r"|succeed(?:s|ed)?|ends?|ended)"
    # "When done continue acting on the results": the moment, then (no comma) what follows
    r"(?:$|\s+(?:continue|proceed|move|go|present|return|report|then)\b)",
    re.IGNORECASE,
)


_ADVICE = LazyPattern(r"^(?:in\s+doubt|unsure|not\s+sure|uncertain)$", re.IGNORECASE)


#: "For council: re-spawn the judges", "**For simple work**: …": a case named by "For".
_FOR_CASE = LazyPattern(
    _LEAD + r"for\s+(?P<cond>[^:：\n]{2,60}?)(?:\*\*|__)?\s*[:：]", re.IGNORECASE
)
_NOT_A_CASE = LazyPattern(r"(?:example|instance|more|details|reference|each|every|all)\b", re.I)


def _condition(found: re.Match[str]) -> str:
    """The condition an `_IF` match states, up to its colon, "then", arrow or comma."""
    condition = found["cond"]
    end = _COND_END.search(_masked(condition))
    condition = condition[: end.start()] if end else condition
    condition = _EXAMPLES.sub("", p.strip_markup(condition).replace("**", ""))
    return condition.strip(" *_`")[:120]


#: "(e.g., stale members)": examples of a condition, not part of it.
_EXAMPLES = LazyPattern(r"\s*\((?:e\.g\.|i\.e\.|for example|such as)[^()]*\)", re.IGNORECASE)


def _stated(path: PathDraft) -> bool:
    steps = [block for block in path.blocks if isinstance(block, StepDraft)]
    return bool(steps) and all(step.provenance == "explicit" for step in steps)


def _masked(text: str) -> str:
    """`text` with code spans and parentheses blanked (same length), so a colon inside
    `` `workflow_mode: "express"` `` does not end a condition. The blank is not a space:
    the space an end marker may start with must not reach back over "is `required`"."""
    return re.sub(r"`[^`]*`|\([^()]*\)", lambda m: "\0" * len(m.group(0)), text)


def _inside(case: Case, element: Element) -> bool:
    """Is `element` part of the current path (nested under its condition)?"""
    if element.kind == "heading":
        return False
    if case.kind == "paragraph":
        return (
            case.introduces
            and element.kind in (("fence", "html") if case.labelled else ("item", "fence", "html"))
            and not (element.kind == "item" and element.depth == 1 and _lead(element) is not None)
        )
    if element.kind == "item":
        return element.depth > case.depth or not element.first_in_item
    return element.depth >= case.depth and element.kind != "paragraph"


def _nests(case: Case, element: Element) -> bool:
    """Can `element`, inside the open path, open a decision of its own there? A condition
    item one level deeper than the path's own item, as the first thing of its item."""
    return (
        case.kind == "item"
        and element.kind == "item"
        and element.first_in_item
        and element.depth == case.depth + 1
    )


def _belongs(case: Case, element: Element) -> bool:
    """Is `element` inside the open path of a nested decision, or one more path of it?"""
    if _inside(case, element):
        return True
    lead = _lead(element) if element.kind in ("item", "paragraph") else None
    return lead is not None and _sibling(case, element, lead)


def _sibling(case: Case, element: Element, lead: tuple[str, str]) -> bool:
    if element.kind != case.kind or element.depth != case.depth:
        return False
    if case.modes != (lead[0] == "mode"):
        return False  # a mode is an alternative to another mode only
    if case.bold and _bold_condition(element) is None:
        return False  # "3. If not running: …" after "**If YES:**"/"**If NO:**" in step 2
    if case.routes != (lead[0] == "route") and lead[0] not in ("else", "fallback"):
        return False
    last = case.decision.paths[-1]
    return last.role != "else"
