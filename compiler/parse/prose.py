"""Recognising delegation written in prose while the recogniser walks the document: which
elements may hold it (never a prompt being read, never code), lists of agents introduced by
a lead-in ("Spawn these agents in parallel:"), and batches that run together.

What is found here becomes inferred steps (`compiler.parse.delegation`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache

from compiler.parse import patterns as p
from compiler.parse.agent_names import clean, prohibited
from compiler.parse.assignments import (
    AGENT_FILE,
    acting_agents,
    assignment,
    bare_label,
    labelled_id,
    leading_agent,
    list_member,
    may_name,
    roster_rows,
    skill_table,
    step_table_rows,
    vocabulary,
)
from compiler.parse.counts import counted_list, launch_count
from compiler.parse.delegation import (
    GENERIC_NAME,
    Found,
    chain_line,
    invocation,
    prose_delegations,
)
from compiler.parse.elements import Element, prose_fence
from compiler.parse.forms import stated_invocations
from compiler.parse.gates import WordGated
from compiler.parse.invocations import Invocation, agent_mentions
from compiler.parse.languages import words
from compiler.parse.state import RecogniserState
from compiler.parse.text import Passage, cut_line
from compiler.regex import LazyPattern

#: Sections that describe agents rather than run them.
#: "Use PARALLEL SUBAGENTS to check:", "…(execute in Parallel Subagents):": the items that
#: follow are the tasks, an unnamed agent each.
_TASKS_LEAD = LazyPattern(
    r"\b(?:sub-?agents|agents)\b(?:\*\*|__)?\s+(?:in\s+parallel\s+)?to\s+\w"
    r"|\bin\s+parallel\s+sub-?agents\b",
    re.IGNORECASE,
)
#: Sections that state rules about delegating ("## Golden Rules", "## Anti-patterns",
#: "## Role"), and sentences that do ("When in doubt, spawn an agent", "I am a coordinator.
#: I spawn agents"): an unnamed "agent" there is no launch.
_RULES_TITLE = LazyPattern(
    r"\b(?:rules?|principles?|guidelines?|best\s+practices|anti-?patterns?|philosophy|"
    r"identity|role|remember|constraints|red\s+flags|pitfalls|mistakes|failure\s+modes|"
    r"troubleshooting|faq|don'?ts|prohibited|forbidden|prohibiciones|prohibido|verboten)\b"
    # what must not be done, in the scripts written without spaces ("禁止事項", "금지 사항")
    r"|禁止|금지",
    re.IGNORECASE,
)
_RULE_SENTENCE = LazyPattern(
    r"\bwhen\s+in\s+doubt\b|^\W*(?:golden\s+rule|key\s+rule|rule|remember|reminder)\b"
    r"|\bI\s+(?:am|spawn|delegate)\b|\binternal\s+reminder\b"
    # the coordinator's role set out ("You are a CONDUCTOR AGENT. You orchestrate …, using
    # subagents for research"): what it will do, said before the steps that do it
    r"|^\W*you\s+are\s+(?:an?|the)\b"
    # advice set apart: ":::tip Keep Tasks Focused", "> [!TIP]", "Tip: use subtasks …"
    r"|^\W*(?::::\s*|\[!)(?:tip|note|info|hint|important|caution|warning)\b"
    r"|^\W*(?:pro\s+)?tip\s*:"
    # how every launch must be made, not one: "When invoking any subagent, you MUST include",
    # "Ao invocar QUALQUER subagente", "**VIOLAÇÃO:** Invocar subagente sem contexto"
    r"|^\W*(?:when|ao|al|lors\s+de)\s+(?:invoking|spawning|launching|invocar|lanzar|chamar|llamar"
    r"|invoquer)\s+(?:any|qualquer|cualquier|a|an|um|uma|un|una|un)\b"
    r"|^\W*(?:violation|violação|violación|anti-?pattern)\b",
    re.IGNORECASE,
)
#: A lead-in over a list of the agents there are ("You have access to the following
#: sub-agents:", "Available agents:", "Tienes disponibles estos agentes:"), ending in a colon.
_ROSTER_LEAD = LazyPattern(
    r"(?:\b(?:ha(?:ve|s)\s+access\s+to|available|at\s+your\s+disposal|disponibles?|disponíveis"
    r"|verfügbar)\b|利用可能|可用|사용\s*가능)[^\n]{0,60}[:：]\s*$",
    re.IGNORECASE,
)
_ROSTER = LazyPattern(
    r"\b(?:available|roster|team\s+(?:members|composition|structure)|catalog(?:ue)?|directory|"
    r"reference|glossary|who'?s\s+who|specialists|agent\s+types?|agents?\s+list|org\s+chart|"
    r"organi[sz]ation(?:al)?\s+(?:structure|chart))\b|^agents$"
    r"|可用|列表|阵容|陣容|一覧|利用可能|사용\s*가능|disponíve|disponible"
    r"|組織|组织|团队(?:构成|组成|结构)|チーム(?:構成|編成)|조직|팀\s*구성",
    re.IGNORECASE,
)

#: A heading over the agents there are (narrower than `_ROSTER`: not "reference", "team").
_CATALOG = LazyPattern(
    r"\bavailable\s+(?:[\w-]+\s+)?(?:sub-?agents?|agents?|specialists?|experts?|modes?|roles?"
    r"|teammates?|workers?|reviewers?)\b|\b(?:sub-?agents?|agents?)\s+(?:catalog(?:ue)?|directory)\b"
    r"|\broster\b|agentes\s+disponí|agentes\s+disponible|可用|阵容|利用可能|사용\s*가능|一覧",
    re.IGNORECASE,
)
#: A lead-in under which a table lists agents to launch ("Spawned in Phase 2", "Spawn ALL
#: teammates", "激活以下智能体").
_SPAWNS = LazyPattern(
    r"\b(?:spawn(?:ed)?|launch(?:ed)?|dispatch(?:ed)?|activat(?:e|ed)|invok(?:e|ed)|"
    r"delegate(?:d)?\s+to|escalate\s+to|escalation)\b|激活|启动|升级",
    re.IGNORECASE,
)

#: The head of a table's first column that names agents ("Agent", "Subagent", "Agente",
#: "智能体"): the language table's agent nouns, singular and plural.
_AGENT_HEADERS = frozenset(
    form for word in words("agent") for form in (word.lower(), word.lower() + "s")
)

#: Fences whose body is prose or pseudo-code a person reads, not a program.

#: A lead-in that introduces a list of agents to launch ("Spawn parallel research tasks:",
#: "Use these agents:", "并行启动以下智能体："). It ends with a colon.
_LEAD_IN = LazyPattern(
    r"(?:\b(?:spawn|launch|dispatch|activate|run|use|invoke|delegate|start|deploy|kick\s+off)"
    r"\b|激活|启动|调用|起動|呼び出|활성화|호출|ativ|activ|lanz|lanc"
    # "Create multiple Task agents to research concurrently:" (not "Create these files:")
    r"|\bcreate\b[^.:;\n]{0,30}?\b(?:sub-?)?agents\b)",
    re.IGNORECASE,
)


#: A sentence launching several agents ("Launch available review agents **in parallel**.
#: Always spawn wsbaser agents; …"): list items below it that give an agent's id after a
#: title ("1. **Architecture Review** (`wsbaser:architecture-reviewer`)") are those agents.
#: (Gated on its verbs: it is asked of every paragraph, and most launch nothing.)
_PLURAL_LAUNCH = WordGated(
    LazyPattern(
        r"\b(?:spawn|launch|dispatch|invoke)\b[^.:;\n]{0,40}?\b(?:sub-?agents|agents|reviewers)\b",
        re.IGNORECASE,
    ),
    ("spawn", "launch", "dispatch", "invoke"),
)

#: "**Always available (wsbaser):**": a label grouping the items of a list.
_GROUP_LABEL = LazyPattern(r"^\*\*[^*\n]{1,60}\*\*\s*[:：]?$|^\*\*[^*\n]{1,60}[:：]\*\*$")


@dataclass
class LaunchLead:
    """The last paragraph, when it launches several agents, and the batch they share."""

    parallel: bool
    section: object  # the section it was written in: a heading ends what it launches
    batch: int | None = None


@dataclass
class SpawnList:
    """A list whose items are agents to launch ("Spawn these in parallel:")."""

    depth: int  # list depth of the members
    parallel: bool
    batch: int
    lead_depth: int = 0  # list depth of an item that introduced them
    after_label: bool = False  # a bold group label ("**For historical context:**") just ended
    fresh: bool = True  # nothing read since the lead-in: a group label may follow it
    labelled: bool = False  # its members come in groups under bold labels
    tasks: bool = False  # its items are tasks, one unnamed agent each
    #: the agent each task item launches, when the lead-in named it ("Spawn three
    #: business-rules-extractor subagents …" over three items); else an unnamed one
    agent: str = GENERIC_NAME
    #: the last line of a list counted out by its lead-in: no item after it is a member
    ends: int | None = None
    label: str = ""  # the last bold group label ("**For codebase research:**")
    named_only: bool = False  # its members are the agents its items name, no unnamed ones


class ProseDelegation(RecogniserState):
    """Mixed into the recogniser: finds inferred invocations in one element."""

    def init_prose(self) -> None:
        passages = [element.passage for element in self.elements]
        known = [agent for passage in passages for agent, *_ in agent_mentions(passage)]
        known += [
            name
            for element in self.elements
            if element.kind == "front_matter"
            for name in allowed_agents(element.text)
        ]
        #: what the document lists as its skills: activating one launches no agent
        self.skills = frozenset(name for passage in passages for name in skill_table(passage))
        self.vocabulary = vocabulary(passages, known) - self.skills
        self.spawn_list: SpawnList | None = None
        self.lead_text = ""  # the last heading or paragraph: what a table stands under
        #: the list items read since that lead (for `named_nearby`)
        self.items_lead = ""
        self.items_read: list[str] = []
        self.launch_lead: LaunchLead | None = None

    def named_nearby(self, found: Found) -> Found:
        """An unnamed subagent launched in a list under a lead-in that names the role:
        "**a) Dispatch implementer**:" … "- Dispatch via Agent tool as a fresh subagent", or
        after an item that does ("- The reviewer subagent will run `git diff`")."""
        # the lead-in launching it or calling it a subagent; an earlier item calling it one
        earlier = [(text, True) for text in reversed(self.items_read)]
        for text, noun in [(self.lead_text, False), *earlier]:
            lowered = text.lower()
            named = [n for n in self.vocabulary if n in lowered and _says_name(lowered, n, noun)]
            if len(named) == 1:
                return Found(named[0], found.span, found.start, found.end)
            if named:
                break  # two roles named there: which one is meant is not said
        return found

    def prose_invocations(self, element: Element) -> list[Invocation]:
        if element.kind == "item":
            if self.items_lead is not self.lead_text:
                # a new heading or paragraph above: a new list, nothing read in it yet
                self.items_lead, self.items_read = self.lead_text, []
            try:
                return self.item_invocations(element)
            finally:
                self.items_read.append(element.text)
        return self.item_invocations(element)

    def item_invocations(self, element: Element) -> list[Invocation]:
        members = self.spawn_list_member(element) or self.labelled_member(element)
        if members:
            return members
        if self.in_prompt(element) or _field_of_other_role(element) or prohibited(element.text):
            return []  # (a "- ❌ …" item says what not to do: nothing on it is launched)
        passage = element.passage
        lead = self.lead_text
        self.lead_text = element.text if element.kind == "paragraph" else self.lead_text
        rows = (
            roster_rows(passage)
            if element.text.startswith("|") and _SPAWNS.search(lead) and not self.team_of(lead)
            else []
        )
        if rows:
            # "Spawn ALL teammates in parallel:" then a table of them: a row per agent.
            batch = self.next_batch() if p.parallel_cue(lead) else None
            return [self.make(found, element, batch, _row_text(found, passage)) for found in rows]
        steps = step_table_rows(passage) if element.text.startswith("|") else []
        if steps:
            # "| Step | Agent | Action |": a row per step; "| Parallel Group | Agents |": the
            # agents of a row run together, the rows one after another
            launches: list[Invocation] = []
            for named, together in steps:
                batch = self.next_batch() if together and len(named) > 1 else None
                # (a step's number is no part of its title; a group's name is)
                first = 0 if together else 1
                launches += [
                    self.make(f, element, batch, _row_text(f, passage, first)) for f in named
                ]
            return launches
        found = prose_delegations(passage, self.vocabulary)
        if element.kind != "fence" or prose_fence(element):
            found.extend(self.assignments(element, {f.span.line for f in found}))
        if not found:
            # most elements launch nothing: of what follows, only a lead-in's list matters
            self.open_spawn_list(element, found)
            return []
        found.sort(key=lambda f: (f.span.line, f.span.column))
        if self.skills:
            found = [f for f in found if f.name.lower() not in self.skills]
        if self.open_spawn_list(element, found):
            # "use specialized agents to research in parallel:" introduces the agents
            # listed below it; the generic "agents" of the lead-in are those, not one more
            found = [f for f in found if f.name != GENERIC_NAME]
        if any(f.name == GENERIC_NAME for f in found) and self.states_a_rule(element):
            found = [f for f in found if f.name != GENERIC_NAME]
        found = [_defined_by_file(f, passage) if f.name == GENERIC_NAME else f for f in found]
        if element.kind == "item" and any(f.name == GENERIC_NAME for f in found):
            found = [self.named_nearby(f) if _one_unnamed(f, passage) else f for f in found]
        if not found or self.call_follows(element):
            return []
        if len(found) > 1 and chain_line(passage.text):
            # "planner -> tdd-guide -> code-reviewer": each agent of the pipeline in turn
            return [self.make(f, element, None, f.name) for f in found]
        cue = p.parallel_cue(passage.text)
        if len(found) == 1 and found[0].name == GENERIC_NAME and cue is not None:
            if self.member_follows(element, "paragraph"):
                # "Launch three agents simultaneously …" then "Agent 1 - Explore (…):" and
                # the others: the lead-in launches those, together, until its section ends
                level = self.stack[-1].level if self.stack else 0
                self.batch_region = (level, self.next_batch())
                self.members_led = self.batch_region[1]
                return []
            listed = self.fenced_members(element)
            if listed:
                # "use specialized agents to research in parallel:" then a code block
                # "Tasks to spawn concurrently:" / "- codebase-locator: Find the files"
                batch = self.next_batch()
                return [self.make(member, element, batch, text) for member, text in listed]
        if len(found) == 1 and cue is not None:
            numbered = _numbered_members(element, found[0])
            if numbered:
                # "launch 5 parallel Sonnet agents …" then "a. Agent #1: …", "b. Agent #2:
                # …": one branch per agent the lines below it number
                batch = self.next_batch()
                return [self.make(member, element, batch, text) for member, text in numbered]
            counted = self.counted_items(element, passage.text)
            if counted is not None:
                # "Spawn three extractor subagents in parallel, each assigned a lens." over
                # three items: each item is one of them, all launched together
                self.spawn_list = SpawnList(
                    1 if element.kind == "paragraph" else element.depth + 1,
                    parallel=True,
                    batch=self.next_batch(),
                    lead_depth=max(element.depth, 1),
                    tasks=True,
                    agent=found[0].name,
                    ends=counted,
                )
                return []
            made = self.make(found[0], element, None)
            made.fan_out = True  # "launch 5 parallel reviewers", "one agent per file, at once"
            return [made]
        if len(found) > 1 and cue is None and element.kind == "fence":
            batches = self.period_batches(element, found)
            if batches:
                return [self.make(f, element, batches.get(f.span.line)) for f in found]
        if len(found) < 2 or cue is None:
            return [self.make(f, element, None) for f in found]
        # "PARALLEL INVESTIGATION:" then the agents: what follows the cue runs together.
        start = passage.span(cue.start(), cue.end())
        batch = self.next_batch()
        return [
            self.make(
                f, element, batch if (f.span.line, f.span.column) >= (start.line, 0) else None
            )
            for f in found
        ]

    def assignments(self, element: Element, covered: set[int]) -> list[Found]:
        """Lines giving a named agent work ("DevOps Automator: roll back"). Once one line of
        the element names a known agent so, other Title Case names written the same way in
        it are agents too."""
        lead = leading_agent(element.lines) if element.kind in ("fence", "paragraph") else None
        if lead is None or lead.span.line in covered:
            if not may_name(element.text, self.vocabulary):
                return []  # no line of it names a known agent: each would be asked in vain
            lead = None
        # (asked once a line may assign work: most elements are turned away above)
        if any(_is_roster(section.title) for section in self.stack):
            return []  # "## Available Agents": a roster describes agents, it runs none
        if element.kind == "item" and _ROSTER_LEAD.search(self.lead_text):
            return []  # "You have access to the following sub-agents:" over "- `planner`: …"
        if lead is not None:
            return [lead]  # "Project Shepherd facilitates:" then the work: one step
        lines = [line for line in element.lines if line.line not in covered]
        known = [assignment(line.passage, self.vocabulary) for line in lines]
        if any(known):
            # known names written as labels of the lines below them: so are unknown ones
            labels = any(k and bare_label(line.text) for k, line in zip(known, lines, strict=True))
            titled = [
                assignment(line.passage, self.vocabulary, titled=True, labels=labels)
                for line in lines
            ]
            found = [f for f in titled if f is not None]
            covered = covered | {f.span.line for f in found}
        else:
            found = []
        for line in element.lines:
            if line.line not in covered:
                found.extend(acting_agents(line.passage, self.vocabulary))
        return found

    def make(
        self, found: Found, element: Element, batch: int | None, text: str | None = None
    ) -> Invocation:
        """The invocation `found` stands for, described by `text` or else by its line."""
        if text is None:
            line = next(
                (ln for ln in element.lines if ln.line == found.span.line), element.lines[0]
            )
            text = line.text
        made = invocation(found, description=_sentence(text))
        if batch is not None:
            made.background = True
            made.batch = batch
        return made

    def in_prompt(self, element: Element) -> bool:
        """Text the open step is reading as its prompt: a `- Prompt:` bullet's sub-bullets
        or continuation, a fence introduced as the prompt. Prompt text is never structure."""
        step = self.step
        if step is None:
            return False
        if self.prompt_fence is step and element.kind == "fence":
            return True
        if element.quoted and step.from_heading and step.agent is not None:
            return True  # "### Sub-agent 2: Database Schema" then "> Research …": its brief
        if self.field_value is not None and self.field_value[0] == "prompt":
            return True
        item = self.prompt_item
        return item is not None and item[0] is step and element.depth > item[1]

    def open_spawn_list(self, element: Element, found: list[Found]) -> bool:
        """A lead-in ending in a colon that speaks of launching agents opens a list whose
        items name one agent each ("- **codebase-locator** - To find files")."""
        text = element.text.rstrip()
        if self.spawn_list is not None and self.spawn_list.after_label:
            return False  # "**For codebase research:**": a group label of the list's members
        if element.kind not in ("paragraph", "item") or not text.endswith((":", "：")):
            self.spawn_list = None if element.kind in ("paragraph", "heading") else self.spawn_list
            return False
        named = [f for f in found if f.name != GENERIC_NAME]
        # the sentence the colon ends launches them ("Spawn **one subagent** for the
        # mission. Its prompt must include:" lists the prompt's contents, not agents)
        last = re.split(r"(?<=[.!?])\s+", text)[-1]
        # "2. **Parallel Research Criteria**:" over "- Deploy academic-researcher for …":
        # a label that says its items run together (only the agents they name are members)
        together = _GROUP_LABEL.match(text) is not None and p.parallel_cue(text) is not None
        if named or not (together or _LEAD_IN.search(last)) or self.fields_follow(element):
            return False
        if self.under_roster():
            return False  # "## Available Subagents" over "Use these subagents when needed:"
        if self.member_follows(element, "heading"):
            return False  # "deploy 5 sub-agents in parallel:" then "## Sub-Agent 1: …"
        if self.fence_states_calls(element) is False or self.brief_quoted_after(element):
            # "dispatch a subagent with this prompt:" then the prompt (in a fence, or quoted:
            # "Use #runSubagent to snapshot …:" then "> **Subagent Task**"): the lead-in is
            # the launch (a fence of `Agent(…)` calls would state the launches itself)
            return False
        depth = element.depth + 1 if element.kind == "item" else 1
        parent = self.parent_items.get(element.depth - 1) if element.kind == "item" else None
        # "3. **Spawn parallel sub-tasks**:" then "- Use the right agent for each …:"
        # ("### Spawn Parallel Research Tasks" over "Use the right agent for each type:")
        section = self.stack[-1].title if self.stack else ""
        parallel = bool(
            p.parallel_cue(text)
            or (parent and p.parallel_cue(parent.text))
            or (element.kind == "paragraph" and p.parallel_cue(section))
        )
        batch = self.next_batch()
        lead_depth = element.depth if element.kind == "item" else 1
        # "Use PARALLEL SUBAGENTS to check:" then the checks: an unnamed agent for each
        counted = self.counted_items(element, last)
        tasks = counted is not None or (
            parallel
            and _TASKS_LEAD.search(text) is not None
            and not self.introduces_members(element)
        )
        self.spawn_list = SpawnList(
            depth, parallel, batch, lead_depth, tasks=tasks, ends=counted, named_only=together
        )
        if parallel and self.batch_region is None and not together:
            # "Launch three agents in parallel …:" then their blocks: until this section
            # ends, the agents launched run together
            level = self.stack[-1].level if self.stack else 0
            self.batch_region = (level, batch)
        return True

    def labelled_member(self, element: Element) -> list[Invocation]:
        """An item naming an agent by its id after a title, under a paragraph that launches
        several agents (bold group labels between them do not count as paragraphs)."""
        if element.kind == "heading" or (
            element.kind == "paragraph" and not _GROUP_LABEL.match(element.text.strip())
        ):
            launch = _PLURAL_LAUNCH.search(element.text) if element.kind == "paragraph" else None
            # (the cue only for a launch: most paragraphs and headings launch nothing)
            parallel = launch is not None and p.parallel_cue(element.text) is not None
            self.launch_lead = LaunchLead(parallel, self.section()) if launch else None
            return []
        lead = self.launch_lead
        if lead is None or element.kind != "item" or not element.first_in_item:
            return []
        if lead.section is not self.section():
            self.launch_lead = None
            return []
        found = labelled_id(Passage.of(element.lines[:1]))
        if found is None:
            return []
        if lead.parallel and lead.batch is None:
            lead.batch = self.next_batch()
        return [self.make(found, element, lead.batch)]

    def following(self, element: Element) -> Element | None:
        """The element after `element`, if any (what a lead-in introduces)."""
        after = self.index_after(element.span.end_line)
        return self.elements[after] if after < len(self.elements) else None

    def fenced_members(self, element: Element) -> list[tuple[Found, str]]:
        """The agents a code block right after a lead-in lists one per line ("- codebase-
        locator: Find all files", under an optional "Tasks to spawn concurrently:"), each
        with its line from the name on. The block is then read: it is no agent's prompt."""
        following = self.following(element)
        if following is None or following.kind != "fence":
            return []
        if not element.text.rstrip().endswith((":", "：")):
            return []
        lines = [line for line in following.lines if line.text.strip()]
        if lines and lines[0].text.rstrip().endswith((":", "：")):
            lines = lines[1:]
        members: list[tuple[Found, str]] = []
        for line in lines:
            bullet = _FENCED_ITEM.match(line.text)
            if bullet is None:
                return []  # a line of prose: a prompt, not a list of agents
            item = cut_line(line, bullet.end())
            member = list_member(Passage.of([item]), self.vocabulary)
            if member is None:
                return []
            members.append((member, item.text))
        if len(members) < 2:
            return []
        self.members_fence = following
        return members

    def call_follows(self, element: Element) -> bool:
        """ "Use the Task tool to spawn subagent `qa`:" then a fence holding the call: the
        lead-in announces the launch the fence states, it is not one more."""
        if not element.text.rstrip().endswith((":", "：")):
            return False
        return self.fence_states_calls(element) is True

    def fence_states_calls(self, element: Element) -> bool | None:
        """Whether the fence right after `element` states calls of agents (None: no fence
        follows it)."""
        following = self.following(element)
        if following is None or following.kind != "fence":
            return None
        return bool(stated_invocations(following, agentless_step=False)[0])

    def brief_quoted_after(self, element: Element) -> bool:
        """Is the next element a blockquote (the brief of the agent `element` launches)?"""
        following = self.following(element)
        return (
            not element.quoted
            and following is not None
            and following.kind in ("paragraph", "item")
            and following.quoted
        )

    def member_follows(self, element: Element, kind: str) -> bool:
        """Is the next element a heading (or a paragraph led like one: "Agent 1 - Explore
        (subagent_type Explore):") that numbers one of the agents launched here?"""
        following = self.following(element)
        return following is not None and following.kind == kind and numbers_a_member(following)

    def fields_follow(self, element: Element) -> bool:
        """ "For each task, launch a subagent with:" then "- **prompt**: …": the lead-in
        launches one agent and the items are its fields, not agents to launch."""
        following = self.following(element)
        if following is None or following.kind != "item":
            return False
        field = p.field_line(following.lines[0].text.strip())
        return field is not None and p.field_role(field["key"]) is not None

    def fence_lead(self, fence: Element) -> str:
        """What a fence follows: the last paragraph, or the list item just before it
        ("   Invoke the skill with … Example invocation:" inside a numbered step)."""
        before = bisect_left(self.element_lines, fence.span.line) - 1
        if before >= 0 and self.elements[before].kind == "item":
            return self.elements[before].text
        return self.lead_text

    def states_a_rule(self, element: Element) -> bool:
        """Is `element` a rule about delegating rather than a launch?"""
        if _RULE_SENTENCE.search(element.text):
            return True
        if self.spawn_list is not None and _rules_section(self.spawn_list.label):
            return True  # under a bold "**Agent usage guidelines:**" among the members
        if self.under_roster():
            return True  # under "## Available Subagents": those described there
        return any(_rules_section(section.title) for section in self.stack)

    def under_roster(self) -> bool:
        """Is the element under a heading that lists agents ("## Available Subagents",
        "## 組織構成"), not one that launches them ("### Spawn Sub-Agents for Reference
        Files", "### Launch Subagents (If Available)")?"""
        return any(
            _is_roster(section.title) and not _LEAD_IN.search(section.title)
            for section in self.stack
        )

    def under_catalog(self) -> bool:
        """Is the element under a heading that lists the agents there are ("## Available
        Agents", "### Agentes Disponíveis", "## Agent Catalog")?"""
        return any(_CATALOG.search(section.title) for section in self.stack)

    def period_batches(self, element: Element, found: list[Found]) -> dict[int, int]:
        """Line → batch of the agents a schedule in a code block lists under one period
        ("Day 3-4: Architecture" over "├── UX Architect → CSS design system" and "└──
        Backend Architect → System architecture"): they work in that period together."""
        lines_of: dict[int, set[int]] = {}
        period_of = _periods(element)
        for f in found:
            period = period_of.get(f.span.line)
            if period is not None:
                lines_of.setdefault(period, set()).add(f.span.line)
        batches: dict[int, int] = {}
        for lines in lines_of.values():
            if len(lines) > 1:
                batches.update(dict.fromkeys(lines, self.next_batch()))
        return batches

    def agents_first(self, table: Element) -> bool:
        """Does `table` list agents in its first column ("| Agent | Keywords | Role |") under a
        lead that launches none, outside the workflow's phases ("## Six Agents")? In a phase
        ("## Phase 1: Specialist support"), the cases it states are the run's."""
        first = table.lines[0].text.strip().strip("|").split("|")[0].strip(" *`").lower()
        return (
            first in _AGENT_HEADERS
            and not _SPAWNS.search(self.lead_text)
            and not any(section.role == "phase" for section in self.stack)
        )

    def team_of(self, lead: str) -> bool:
        """Is `lead` the heading of a team in a roster ("### Growth Team (Activated Week 3+)"
        under "## Agent Roster")? It says when the team joins; the table under it lists the
        agents there are."""
        return bool(self.stack) and self.stack[-1].title == lead and self.under_catalog()

    def introduces_members(self, element: Element) -> bool:
        """Is an item ending in a colon followed by the agents it speaks of: a bold group
        label, or an item naming an agent ("- **codebase-locator** - To find files")?"""
        if not element.text.rstrip().endswith((":", "：")):
            return False
        following = self.following(element)
        if following is None:
            return False
        if following.kind == "item" and following.first_in_item:
            passage = following.lines[0].passage
            return list_member(passage, self.vocabulary) is not None or any(
                f.name != GENERIC_NAME for f in prose_delegations(passage, self.vocabulary)
            )
        return _GROUP_LABEL.match(following.text.strip()) is not None

    def counted_items(self, element: Element, lead: str) -> int | None:
        """The last line of the list right after `element` when `lead` launches as many
        agents as it has items ("Launch 4 parallel Task agents:" over four items): each
        item is one of them."""
        count = launch_count(lead)
        if count is None:
            return None
        after = self.index_after(element.span.end_line)
        if after >= len(self.elements):
            return None
        # the list under it: an item's own sub-items, a paragraph's list
        depth = element.depth + 1 if element.kind == "item" else 1
        if self.elements[after].depth != depth:
            return None
        items, last = counted_list(self.elements, after)
        return last if items == count else None

    def section(self) -> object:
        return self.stack[-1] if self.stack else None

    def row_agents(self, row: Element) -> list[Invocation]:
        """The known agents named in the cells of one row of a table of cases."""
        line = row.lines[0]
        found: list[Invocation] = []
        for index, cell in enumerate(re.finditer(r"[^|]+", line.text)):
            # "| Data breach | Legal Compliance Checker + Executive Summary Generator |":
            # both agents; the first cell names the case ("| Fan-out + Reviewer | … |")
            parts = [(0, cell.group(0))] if index == 0 else _joined_parts(cell.group(0))
            for offset, text in parts:
                name = text.strip().strip("*`").strip()
                if name.startswith("/") and name[1:].lower() in self.vocabulary:
                    name = name[1:]  # `/db-agent`: the agent its slash command calls
                if name.lower() in self.vocabulary:
                    start = cell.start() + offset + text.find(name)
                    span = line.span(start, start + len(name))
                    found.append(self.make(Found(name, span, start, start + len(name)), row, None))
        return found

    def in_spawn_list(self, element: Element) -> bool:
        current = self.spawn_list
        return (
            current is not None
            and element.kind == "item"
            and element.depth == current.depth
            and element.first_in_item
        )

    def spawn_list_member(self, element: Element) -> list[Invocation]:
        current = self.spawn_list
        if current is None:
            return []
        if current.ends is not None and element.span.line > current.ends:
            self.spawn_list = None
            return []
        continued = element.kind == "paragraph" or not element.first_in_item
        labelled = current.fresh or current.labelled
        if labelled and continued and _GROUP_LABEL.match(element.text.strip()):
            # "…each type of research:" then "**For deeper investigation:**" and its agents,
            # "**For historical context:**" and its agents…
            current.after_label = current.labelled = True
            current.label = element.text.strip()
            return []
        current.fresh = False
        if current.after_label and element.kind == "item" and element.depth >= current.lead_depth:
            current.depth, current.after_label = element.depth, False
        if element.kind == "paragraph" or (
            element.kind == "item" and element.depth < current.depth
        ):
            self.spawn_list = None
            return []
        if element.kind != "item" or element.depth != current.depth or not element.first_in_item:
            return []
        batch = current.batch if current.parallel else None
        found = list_member(element.lines[0].passage, self.vocabulary)
        if found is not None:
            return [self.make(found, element, batch)]
        # "- Use the **codebase-locator** agent to find the files": a sentence item
        sentences = prose_delegations(element.passage, self.vocabulary)
        named = [f for f in sentences if f.name != GENERIC_NAME]
        if sentences and not named and self.introduces_members(element):
            # "- Use the right agent for each type of research:": it introduces the members
            # that follow (under bold group labels, or nested); its "agent" is none of them
            self.spawn_list = replace(
                current, depth=element.depth + 1, lead_depth=element.depth, fresh=True
            )
            return []
        if not sentences and current.tasks:
            line = element.lines[0]
            task = Found(current.agent, line.span(), 0, len(line.text))
            return [self.make(task, element, batch)]
        if current.named_only or _rules_section(current.label):
            # under "**Agent usage guidelines:**", "- Run multiple agents in parallel" is
            # advice about the members, not one more
            sentences = named
        # ("dispatch a generic subagent seeded with `references/agents/x.md`": that agent)
        members = [_defined_by_file(f, element.passage) if f.name == GENERIC_NAME else f
                   for f in sentences]  # fmt: skip
        return [self.make(f, element, batch) for f in members]


#: "Dispatch a generic subagent with `references/agents/slack-researcher.md`": the agent's
#: definition file names it.
_AGENT_DEFINITION = LazyPattern(r"`(?P<path>[^`\s]*\bagents/[\w.-]+\.md)`")


def _one_unnamed(found: Found, passage: Passage) -> bool:
    """Is `found` one subagent and nothing more ("as a fresh subagent"), not a kind of them
    ("fix subagents for each spec")?"""
    return found.name == GENERIC_NAME and passage.text[found.start : found.end].lower() in (
        "subagent",
        "sub-agent",
        "agent",
    )


def _says_name(lowered: str, name: str, noun: bool) -> bool:
    """Does the lower-case text call the name a subagent or agent ("the reviewer subagent"),
    or, unless `noun`, launch it by name ("dispatch implementer")?"""
    name = re.escape(name)
    if re.search(rf"(?<![\w-]){name}\s+(?:sub-?)?agent\b", lowered):
        return True
    launched = rf"\b{_LAUNCHES}\s+(?:the\s+)?{name}(?![\w-])"
    return not noun and re.search(launched, lowered) is not None


#: A launch verb before a name in a lead-in ("**a) Dispatch implementer**:").
_LAUNCHES = r"(?:dispatch|spawn|launch|invoke|start|run)"


def _defined_by_file(found: Found, passage: Passage) -> Found:
    """A generic agent launched with one agent definition file is the agent it defines."""
    if "agents/" not in passage.text:
        return found
    files = list(_AGENT_DEFINITION.finditer(passage.text))
    if len(files) != 1:
        return found
    # where the launch is said: its sentence describes the step
    return Found(clean(files[0]["path"]), found.span, found.start, found.end)


@lru_cache(maxsize=1024)
def _rules_section(title: str) -> bool:
    return _RULES_TITLE.search(title) is not None


@lru_cache(maxsize=1024)
def _is_roster(title: str) -> bool:
    """Once per heading title: every element under a heading asks about each one above it."""
    return _ROSTER.search(title) is not None


def _periods(element: Element) -> dict[int, int]:
    """Line → the line of the period of a schedule it is under, for the lines of a code
    block that follow a period's line (`PERIOD_LINE`) up to a blank line or the next one."""
    periods: dict[int, int] = {}
    period: int | None = None
    for line in element.lines:
        if p.PERIOD_LINE.match(line.text):
            period = line.line
        elif not line.text.strip():
            period = None
        elif period is not None:
            periods[line.line] = period
    return periods


def _row_text(found: Found, passage: Passage, first: int = 0) -> str:
    """ "| security-auditor | auth and secrets |" as "security-auditor — auth and secrets": a
    table row's cells from column `first` on, for the title of the step it launches."""
    line = next((ln for ln in passage.lines if ln.line == found.span.line), passage.lines[0])
    cells = [
        p.strip_markup(AGENT_FILE.sub(lambda m: m["name"], cell)).strip()
        for cell in line.text.strip().strip("|").split("|")[first:]
    ]
    return " — ".join(cell for cell in cells if cell)


def _field_of_other_role(element: Element) -> bool:
    """`- Output: …`, `- Prompt: …`: a field line is about the step, not a delegation."""
    if element.kind not in ("item", "paragraph") or not element.lines:
        return False
    match = p.field_line(element.lines[0].text.strip())
    if not match:
        return False
    role = p.field_role(match["key"])
    return role is not None and role != "agent"


#: "a. Agent #1: …", "2) **Reviewer 2** - …": a line numbering one of the agents launched.
_NUMBERED_MEMBER = LazyPattern(
    r"^\s*(?:[-*+]\s+|[a-z\d]{1,2}[.)]\s+)?(?:\*\*)?(?P<member>(?:sub-?)?agent|reviewer|worker"
    r"|researcher)\s*#?\s*\d{1,2}\b",
    re.IGNORECASE,
)


def numbers_a_member(element: Element) -> bool:
    """Is `element` led by the number of one of the agents a lead-in launches ("Agent 2 -
    Research …", "## Sub-Agent 1: …")?"""
    return p.MEMBER_HEADING.match(p.strip_markup(element.lines[0].text)) is not None


#: The bullet of a list written inside a code block.
_FENCED_ITEM = LazyPattern(r"\s*[-*•]\s+")


def _numbered_members(element: Element, launch: Found) -> list[tuple[Found, str]]:
    """The agents one fan-out line launches when the lines after it number them: each
    becomes its own invocation of the launched agent, at its own line, described by the
    line from its number on ("Agent #1: Audit the changes …")."""
    members = [
        (
            Found(launch.name, line.span(match.start("member"), match.end()), 0, 0),
            line.text[match.start("member") :],
        )
        for line in element.lines
        if line.line > launch.span.line
        for match in [_NUMBERED_MEMBER.match(line.text)]
        if match
    ]
    return members if len(members) >= 2 else []


def allowed_agents(front_matter: str) -> list[str]:
    """`allowed-tools: Task(mage-x-security), Task(mage-x-deps), Bash(…)`, `tools:
    Agent(data-cleaner, visualizer)`: the agents the front matter lets the command or agent
    launch, by name; and a custom agent's `agents:` list
    (`agents: ['planner', 'verifier']`, or one per line), the subagents it may call."""
    names = [
        name.strip()
        for line in _TOOLS_LINE.finditer(front_matter)
        for listed in _TASK_TOOL.findall(line.group(0))
        for name in listed.split(",")
    ]
    listed = _AGENTS_KEY.search(front_matter)
    if listed is not None:
        # one word each ("planner", "code-reviewer"); a display name of several words
        # ("Code Review Standards") is matched in prose by its parts, too loosely
        items = re.split(r"[,\n]", listed["inline"] or listed["block"] or "")
        stripped = (item.strip(" \t-'\"") for item in items)
        names += [item for item in stripped if _LISTED_AGENT.fullmatch(item)]
    return names


_TOOLS_LINE = LazyPattern(r"^(?:allowed-tools|tools)\s*:.*$", re.MULTILINE)
_AGENTS_KEY = LazyPattern(
    r"^agents[ \t]*:[ \t]*(?:\[(?P<inline>[^\]\n]*)\]|\n(?P<block>(?:[ \t]*-[ \t]+.*\n?)+))",
    re.MULTILINE,
)
_LISTED_AGENT = LazyPattern(r"[\w.:-]*[A-Za-z][\w.:-]*")
#: `Task(mage-x-security)`, `Agent(data-cleaner, data-analyst, visualizer)`: the agents a
#: command or agent may launch (Claude Code's tool restriction lists their types).
_TASK_TOOL = LazyPattern(r"\b(?:Task|Agent)\(([A-Za-z][\w:.-]*(?:\s*,\s*[A-Za-z][\w:.-]*)*)\)")


def _joined_parts(cell: str) -> list[tuple[int, str]]:
    """The parts of a table cell joined by "+" ("A + B": both of them; a comma list is a
    set to choose from), each with its offset in the cell."""
    return [(part.start(), part.group(0)) for part in re.finditer(r"[^+]+", cell)]


def _sentence(text: str) -> str:
    text = re.sub(r"</?[A-Za-z][\w:-]*[^>]*>", "", text)  # `<action>…</action>`
    text = p.strip_markup(re.sub(r"^[\s>*+\-•\d.)├└│─→▶|]+", "", text)).replace("**", "").strip()
    return text[:120]
