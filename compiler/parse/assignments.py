"""Agents given work by name rather than by a verb: the document's agent vocabulary (every
name it delegates to, every roster table's agent column), lines that assign work to a known
agent ("Infrastructure Maintainer: check the dashboards", "→ DevOps Automator: roll back",
"3. Evidence Collector TESTS task"), members of a list of agents to launch, table rows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from compiler.parse import patterns as p
from compiler.parse.agent_names import (
    AGENT_SUFFIX,
    AT,
    BOLD,
    CODE,
    GENERIC_NAME,
    KEBAB,
    NOT_A_NAME,
    NOT_AGENT_AFTER,
    Found,
    clean,
    name_group,
    ordinary,
)
from compiler.parse.delegation import ROLE_AS_TITLE, negated, prose_delegations
from compiler.parse.elements import TextLine
from compiler.parse.gates import WordGated
from compiler.parse.languages import alternation
from compiler.parse.text import Passage
from compiler.regex import LazyPattern


def vocabulary(passages: Iterable[Passage], known: Iterable[str] = ()) -> frozenset[str]:
    """The agent names a document delegates to anywhere, or lists in a roster table (a
    column headed "Agent"), in lower case: for recognising lines that assign work to one of
    them by name."""
    names = {name.lower() for name in known}
    for passage in passages:
        found = prose_delegations(passage)
        if found:  # (most passages delegate nothing: no generator to run dry)
            names.update(each.name.lower() for each in found)
        names.update(roster(passage))
        if ":" in passage.text:
            names.update(_listed_agents(passage.text))
        if "agent" in passage.text:
            names.update(_the_subagents(passage.text))
    names.discard(GENERIC_NAME)
    return frozenset(n for n in names if len(n) >= 2 and not ordinary(n))


#: "Agents: Growth Hacker, Content Creator, Social Media Strategist," (a line naming the
#: agents of a track or team; the list may go on over indented lines).
#: (Gated: the vocabulary asks it of every passage with a colon, and few name a team.)
_AGENTS_LINE = WordGated(
    LazyPattern(
        r"^[ \t>*\-]*(?:\*\*)?(?:agents|team|team\s+members|members|agentes|智能体)(?:\*\*)?"
        r"\s*[:：](?:\*\*)?[ \t]*(?P<names>.+(?:\n[ \t]+.+)*)",
        re.IGNORECASE | re.MULTILINE,
    ),
    ("agent", "team", "member", "智能体"),
)
#: One name in such a list: words in Title Case ("App Store Optimizer").
_LISTED_NAME = LazyPattern(r"^(?-i:[A-Z][\w-]*(?: [A-Z][\w-]*){0,3})$")


#: "The implementer subagent will read the spec files", "the code-reviewer subagent": a role
#: the document calls a subagent of its own, by a name that says a role (a hyphenated name,
#: or a word for one who does: -er, -or, -ist); "the review subagent" names an activity.
_THE_SUBAGENT = LazyPattern(
    r"\bthe\s+(?P<name>[a-z][a-z0-9]*(?:-[a-z0-9]+)+|[a-z]+(?:er|or|ist))\s+sub-?agent\b(?![-s])",
    re.IGNORECASE,
)


def _the_subagents(text: str) -> Iterator[str]:
    for found in _THE_SUBAGENT.finditer(text):
        name = found["name"].lower()
        if name not in NOT_A_NAME:
            yield name


def _listed_agents(text: str) -> Iterator[str]:
    for line in _AGENTS_LINE.finditer(text):
        for part in re.split(r"[,，、;]|\band\b", line["names"]):
            name = " ".join(part.split()).strip(" .*`")
            if _LISTED_NAME.match(name):
                yield name.lower()


_ROSTER_HEADER = LazyPattern(
    r"^(?:" + alternation("agent") + r"|agents|subagents|specialists?|teammates?|reviewers?"
    r"|modes?|agentes|subagentes|assigned\s+agents?|lead\s+agents?|subagent_type|agent\s+type"
    r"|agent\s+name|escalate\s+to|escalar\s+(?:para|a)|升级至|负责智能体)$",
    re.IGNORECASE,
)
#: A header that names an agent column in other words ("Primary Agent", "Agente Primário",
#: "QA Agent", "Auditor", "负责智能体"), but not one that describes agents ("Agent Role").
_AGENT_COLUMN = LazyPattern(
    r"\b(?:agent|agente|subagent|specialist|especialista|teammate|reviewer|auditor|expert"
    r"|analyst|researcher)s?\b|\bajan(?:lar)?\b|智能体|专家|"
    r"エージェント|에이전트",
    re.IGNORECASE,
)
_DESCRIBING_COLUMN = LazyPattern(
    # "| Sub-agent 1 (Journeys) |" is that agent's own column: its cells say what it does
    r"\b(?:sub-?agent|agent)\s+#?(?:\d+|(?-i:[A-Z]))\b|"
    r"role|description|purpose|responsib|task|when|count|model|tool|função|descrição|"
    r"papel|职责|描述|用途|役割|역할",
    re.IGNORECASE,
)


def _agent_columns(header: list[str]) -> list[int]:
    columns = [
        i
        for i, cell in enumerate(header)
        if _ROSTER_HEADER.match(cell)
        or (_AGENT_COLUMN.search(cell) and not _DESCRIBING_COLUMN.search(cell))
    ]
    modes = [i for i in columns if _MODE_HEADER.match(header[i])]
    if modes and len(modes) < len(columns):
        # "| Mode | Sub-agent 1 | Sub-agent 2 |": the modes are the cases, the agents are
        # the other columns (a column of modes alone is a roster of modes that act as agents)
        return [i for i in columns if i not in modes]
    return columns


_MODE_HEADER = LazyPattern(r"^modes?$", re.IGNORECASE)


def roster(passage: Passage) -> set[str]:
    """Names in the agent columns of a Markdown table (`| Agent | Role |`, `| Task |
    Primary Agent | Backup Agent |`)."""
    rows = _rows(passage, every_column=True)
    return {found.name.lower() for found in rows} if rows else set()


def roster_rows(passage: Passage) -> list[Found]:
    """The agent named in each row of a table with an agent column, with its span."""
    return _rows(passage, every_column=False)


def skill_table(passage: Passage) -> set[str]:
    """Names in the first column of a table headed "Skill" (`| Skill | Purpose |`), in lower
    case: what a document lists as its skills, "Activate `design-dialogue`" activates
    without launching an agent."""
    rows = _rows(passage, every_column=False, columns_of=_skill_columns)
    return {found.name.lower() for found in rows} if rows else set()


def _skill_columns(header: list[str]) -> list[int]:
    return [0] if header and _SKILL_HEADER.match(header[0]) else []


_SKILL_HEADER = LazyPattern(r"^(?:skills?|技能|スキル|스킬|habilidades?)$", re.IGNORECASE)


def _rows(
    passage: Passage,
    *,
    every_column: bool,
    columns_of: Callable[[list[str]], list[int]] = _agent_columns,
) -> list[Found]:
    if passage.text.count("|") < 3:
        return []  # not three lines starting with one: most passages hold no table
    lines = [line for line in passage.lines if line.text.strip().startswith("|")]
    if len(lines) < 3 or not re.fullmatch(r"\|?[\s:|-]+\|?", lines[1].text.strip()):
        return []
    # (markup off, words kept: `clean` would take the noun off "Assigned Agent")
    header = [
        p.strip_markup(cell).strip(" *`_") for cell in lines[0].text.strip().strip("|").split("|")
    ]
    columns = columns_of(header)
    found: list[Found] = []
    for line in lines[2:]:
        for column in columns if every_column else columns[:1]:
            cell = _cell(line.text, column)
            if cell is None:
                continue
            start, text = cell
            defined = AGENT_FILE.search(text)
            if defined is not None:  # "`.claude/agents/spec-doc-writer.md`": the agent it defines
                name = defined["name"]
                offset = start + defined.start("name")
                span = line.span(offset, offset + len(name))
                found.append(Found(name, span, offset, offset + len(name)))
                continue
            # ("| DB Schema | `/db-agent` |": an agent called by its slash command)
            part = re.split(r"\s*(?:,|\+|/|、|\band\b|…|\.\.\.)\s*", _unslashed(text))[0]
            # ("| **AskQuestion** ke user |": the name marked, the words after it about it)
            marked = _LEADING_MARKED.match(part)
            name = clean(marked["name"] if marked else part)
            if _MODE_HEADER.match(header[column]) and (name.isupper() or _SENTENCE.match(name)):
                # "| **SMOKE** | … |", "| 4+ tasks | Agent orchestration |": a setting or a way
                # of working, not a mode that acts as an agent (modes are named like agents)
                continue
            if 2 <= len(name) <= 40 and not ordinary(name) and name not in ("—", "-", "–"):
                offset = start + text.find(name) if name in text else start
                span = line.span(offset, offset + len(name))
                found.append(Found(name, span, offset, offset + len(name)))
    return found


#: Words in sentence case ("Direct implementation"): a phrase, not a name in Title Case.
_SENTENCE = LazyPattern(r"^(?-i:[A-Z][a-z]+(?:\s+[a-z][a-z-]*)+)$")


def step_table_rows(passage: Passage) -> list[tuple[list[Found], bool]]:
    """The rows of a table of the workflow's own steps: a first column that numbers them
    ("| Step | Agent | Action |", "| Adım | Ajan | Eylem |", "| Paso | Agente | Acción |")
    or names groups run together ("| Parallel Group | Agents |") or tracks run side by side
    ("| Track | Agent | Focus |"), then an agent column. Each row: the agents named in
    backticks in its agent cell, and whether they run together (tracks: all in one row)."""
    if passage.text.count("|") < 6:
        return []
    lines = [line for line in passage.lines if line.text.strip().startswith("|")]
    if len(lines) < 3 or not re.fullmatch(r"\|?[\s:|-]+\|?", lines[1].text.strip()):
        return []
    header = [
        p.strip_markup(cell).strip(" *`_") for cell in lines[0].text.strip().strip("|").split("|")
    ]
    together = _GROUP_COLUMN.match(header[0]) is not None
    if _TRACK_COLUMN.match(header[0]):
        # "| Track | Agent | Focus |": one agent per track, every track at once
        tracks = _rows(passage, every_column=False)
        return [(tracks, True)] if len(tracks) > 1 else []
    if not (together or _STEP_COLUMN.match(header[0])):
        return []
    columns = [i for i in _agent_columns(header) if i > 0]
    if not columns:
        return []
    rows: list[tuple[list[Found], bool]] = []
    for line in lines[2:]:
        first, agents = _cell(line.text, 0), _cell(line.text, columns[0])
        if first is None or agents is None or not (together or first[1].strip("*. ").isdigit()):
            return []  # a row that is no numbered step: not a table of steps
        start, text = agents
        named = [
            Found(
                m[1],
                line.span(start + m.start(1), start + m.end(1)),
                start + m.start(1),
                start + m.end(1),
            )
            for m in re.finditer(r"`([\w:.-]+)`", text)
        ]
        if named:
            rows.append((named, together))
    return rows


#: The head of a first column numbering a table's steps, in the languages of the table.
_STEP_COLUMN = LazyPattern(
    r"^(?:#|no\.?|step|adım|paso|passo|etapa|schritt|étape|krok|шаг|步骤|步|ステップ|단계)$",
    re.IGNORECASE,
)
#: The head of a first column naming tracks that run side by side, an agent each.
_TRACK_COLUMN = LazyPattern(
    r"^(?:(?:parallel\s+)?(?:tracks?|lanes?|streams?)|pista|trilha|spur)$", re.IGNORECASE
)
#: The head of a first column naming groups of agents that run together.
_GROUP_COLUMN = LazyPattern(
    r"^(?:parallel\s+group|paralel\s+grup|grupo\s+paralelo|parallele\s+gruppe"
    r"|groupe\s+parallèle|wave|welle|onda|oleada|dalga|并行组|並列グループ|병렬\s*그룹)$",
    re.IGNORECASE,
)


_LEADING_MARKED = LazyPattern(r"^(?P<mark>\*\*|`)(?P<name>[^*`\n]+)(?P=mark)\s+\S")


def _unslashed(cell: str) -> str:
    """A cell `` `/db-agent` `` as the name the slash calls (`db-agent`)."""
    bare = cell.strip("`* ")
    return bare[1:] if bare.startswith("/") and re.fullmatch(r"/[\w:.-]+", bare) else cell


#: A cell that is an agent's definition file: the agent is the file's name.
AGENT_FILE = LazyPattern(r"(?<![\w.~/-])(?:[\w.~-]+/)*agents/(?P<name>[\w-]+(?:\.[\w-]+)*?)\.md\b")


def _cell(row: str, column: int) -> tuple[int, str] | None:
    """(offset, text) of one cell of a table row (escaped pipes are not handled)."""
    bars = [i for i, char in enumerate(row) if char == "|"]
    bounds = bars if row.strip().startswith("|") else [-1, *bars]
    if column + 1 >= len(bounds):
        return None
    begin, end = bounds[column] + 1, bounds[column + 1]
    text = row[begin:end]
    return begin + len(text) - len(text.lstrip()), text.strip()


def assignment(
    passage: Passage, vocabulary: frozenset[str], *, titled: bool = False, labels: bool = False
) -> Found | None:
    """A line that starts with a known agent's name and gives it work: "Infrastructure
    Maintainer: check the dashboards", "→ DevOps Automator: roll back", "内容创作者 → 文案".
    With `titled`, an unknown name in Title Case counts too (the caller has seen known
    names assigned work in the same list); with `labels` also one that is written alone as
    the label of the lines below it, as the known names are ("API测试工程师（如涉及API）：")."""
    if not passage.lines:
        return None
    text = passage.lines[0].text
    if not titled and not may_name(text, vocabulary):
        return None  # without `titled` only a known name counts
    match = _ASSIGNMENT.match(text)
    if not match:
        return None
    name = clean(re.sub(r"\s*[(（].*$", "", match["name"]))
    # an unknown name is asked about only when titled: most lines stop at the set lookup
    if name.lower() not in vocabulary and not (titled and _titled_fit(name, text, match, labels)):
        return None
    start = match.start("name")
    return Found(name, passage.lines[0].span(start, start + len(name)), start, start + len(name))


def may_name(text: str, vocabulary: frozenset[str]) -> bool:
    """Does `text` hold one of the (lower-case) names, so that a name read from it may be
    known? A name is a piece of the line, so its lower case is a piece of the line's lower
    case; Σ aside, whose lower case depends on the letter after it. Most lines name none,
    and the assignment pattern costs microseconds a line. (Asked of a whole element, it
    answers for each of its lines: their lower cases are pieces of the element's.)"""
    if "Σ" in text:
        return True
    lowered = text.lower()
    return any(name in lowered for name in vocabulary)


def _titled_fit(name: str, text: str, match: re.Match[str], labels: bool = False) -> bool:
    """An unknown name written like one in a list of assignments: Title Case, routed by an
    arrow (or, with `labels`, alone as a label), neither an ordinary word nor shouted nor a
    condition."""
    # "API测试工程师" is not shouted: its CJK letters have no case
    letters = [ch for ch in name if ch.isalpha()]
    shouted = name.upper() == name and letters != [] and all(ch.lower() != ch for ch in letters)
    arrow = re.search(r"→|->|=>", text[match.end("name") :]) is not None
    return bool(
        # "Growth Hacker → …" in a tree; "Application URL: …" is a field
        (arrow or (labels and bare_label(text) and _role_like(name)))
        and _TITLE_NAME.fullmatch(name)
        and not ordinary(name)
        and not shouted
        and not _CONDITION_WORD.match(name)
    )


_CONDITION_WORD = LazyPattern(r"(?:if|when|else|otherwise|unless|for)\b", re.IGNORECASE)
#: A line that is only a name, perhaps with a note in parentheses, and a colon: the label of
#: the lines below it ("Backend Architect (if P0/P1):", "基础设施维护者：").
_BARE_LABEL = LazyPattern(
    r"^\s*(?:\*\*)?[^\s:：(（*][^:：(（*\n]{0,40}(?:[(（][^)）\n]{1,40}[)）])?"
    r"\s*(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*$"
)


def bare_label(text: str) -> bool:
    return _BARE_LABEL.match(text) is not None


#: Characters a CJK role name ends in: 者 (-er), 师/師 (-ist), 员/員 (member), 官 (officer),
#: 器 (a generator), 手 (hand), 家 (expert): "API测试工程师", "执行摘要生成器".
_CJK_ROLE_END = "者师師员員官器手家"


def _role_like(name: str) -> bool:
    """A label that names someone, not a topic ("并行调查：", "Parallel Investigation:",
    "Output:"): a CJK name ends in a role character; a spaced one is no field key and no
    cue to run in parallel."""
    if name[-1:] >= "\u3000":
        return name[-1] in _CJK_ROLE_END
    return p.field_role(name) is None and p.parallel_cue(name) is None


_TITLE_NAME = LazyPattern(
    r"[A-Z][\w]*(?:[ -][A-Z][\w]*){1,3}|(?:[A-Z]{2,5}\s?)?[\u4e00-\u9fff]{2,10}"
)


#: "Sprint Prioritizer activates:", "Project Shepherd facilitates:", "工作流优化师主导事后复盘：":
#: the label of a block, naming who runs the work listed below it.
_LEADS = LazyPattern(
    r"^\s*(?:\*\*)?(?P<name>(?-i:[A-Z][\w-]*(?:[ ][A-Z][\w-]*){0,3})"
    r"|[^\s:：*|]{1,12}?[" + _CJK_ROLE_END + r"])(?:\*\*)?\s*"
    r"(?:" + alternation("leads") + r")[^:：\n]{0,20}[:：]\s*(?:\*\*)?\s*$",
    re.IGNORECASE,
)


def leading_agent(lines: Sequence[TextLine]) -> Found | None:
    """The agent a block's first line names as running the lines below it."""
    first = next((line for line in lines if line.text.strip()), None)
    if first is None or first is lines[-1]:
        return None  # a label with nothing under it leads nothing
    if not first.text.rstrip(" *").endswith((":", "：")):
        return None  # the cheap test: most first lines are no label
    match = _LEADS.match(first.text)
    if match is None or ordinary(match["name"]):
        return None
    start, end = match.span("name")
    return Found(match["name"], first.span(start, end), start, end)


def acting_agents(passage: Passage, vocabulary: frozenset[str]) -> list[Found]:
    """Known agents named in a line that gives them something to do: an arrow or a verb
    after the name ("3. Evidence Collector TESTS task", "Developer implements → Evidence
    Collector tests", "2nd fail → SSE"), never a roster row (`| Brand Guardian | … |`)."""
    if not vocabulary or not passage.lines:
        return []
    text = passage.lines[0].text
    if text.lstrip().startswith("|") and not _ACTION.search(text):
        return []
    lowered = text.lower()
    if not any(name in lowered for name in vocabulary):
        return []  # most lines name no known agent: no need to order the names
    found: list[Found] = []
    for name in sorted(vocabulary, key=len, reverse=True):
        start = lowered.find(name)
        while start >= 0:
            end = start + len(name)
            bounded = _whole_name(lowered, start, end)
            taken = any(f.start < end and start < f.end for f in found)
            if (
                bounded
                and not taken
                and not _longer_title(text[:start], text[start:end])
                and (_ACTION.search(text[end:]) or _ARRIVES.search(text[:start]))
                and not negated(text, start)  # ("Do **not** delegate to DevOps until …")
            ):
                span = passage.lines[0].span(start, end)
                found.append(Found(text[start:end], span, start, end))
            start = lowered.find(name, end)
    return sorted(found, key=lambda f: f.start)


def _whole_name(text: str, start: int, end: int) -> bool:
    """Does `text[start:end]` stand on its own, not inside a word or a hyphenated name
    ("l2" is no agent of its own inside "l2-frontend-specialist")?"""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    # ("ultrapower" is no agent of its own in "ultrapower:code-reviewer": a namespace)
    return not (
        (before[-1:].isalnum() or (before[-1:] in ("-", ":") and before[:1].isalnum()))
        or (after[:1].isalnum() or (after[:1] in ("-", ":") and after[1:].isalnum()))
    )


#: Capitalised words just before a known name, inside the same bold run, or shouted like it:
#: the name is the tail of a longer title ("**Bounded Debug**", "COMPONENT ANCHOR
#: VERIFICATION"), not the agent itself.
_BOLD_TITLE_BEFORE = LazyPattern(r"(?:\*\*|__)(?:[A-Z][\w-]*[ \t]+)+$")
_SHOUTED_BEFORE = LazyPattern(r"(?<![\w-])[A-Z]{2,}[ \t]+$")


def _longer_title(before: str, written: str) -> bool:
    if _BOLD_TITLE_BEFORE.search(before):
        return True
    return written.isupper() and len(written) > 3 and bool(_SHOUTED_BEFORE.search(before))


#: After a name: it is given work (an arrow, a colon, an upper-case verb, "leads").
_ACTION = LazyPattern(
    r"^\s*(?:\*\*|`)?\s*(?:→|->|=>|[:：]|[(（][^)）]*[)）]\s*[:：]|[A-Z]{3,}S?\b|(?:leads?|lidera|runs|takes|"
    r"reviews|tests|fixes|implements|builds|writes|owns|handles|verifies|checks|drafts|"
    r"designs|plans|deploys|analy[sz]es)\b|主导|负责|执行)"
)
#: Before a name: work arrives at it ("→ SSE", "route back to Developer", "escalate to …").
_ARRIVES = LazyPattern(
    r"(?:→|->|=>|\b(?:to|para|ao|à|给|交给|至)\s*(?:the\s+)?(?:\*\*|`)?)\s*$", re.IGNORECASE
)


def list_member(passage: Passage, vocabulary: frozenset[str]) -> Found | None:
    """An item of a list of agents to launch: it starts with the agent's name, marked up
    (`**codebase-locator** - find files`, `` `reviewer`: … ``) or already known."""
    if not passage.lines:
        return None
    text = passage.lines[0].text
    labelled = labelled_id(passage)
    if labelled:
        return labelled
    match = _MEMBER.match(text)
    if match:
        group = name_group(match)
        name = clean(match[group]) if group else ""
        # A bold label ("**Understand** — …") is a label, not an agent, unless it is
        # written like an agent's name (`code-reviewer`) or the document knows it as one.
        # one token joined by a hyphen or an underscore, not a bold sentence holding one
        # ("**Auto-applies only `safe-fix` findings**")
        joined = ("-" in name or "_" in name) and not any(ch.isspace() for ch in name)
        named = group in ("code", "at", "kebab") or joined
        # (a bold role, "**DevOps Engineer** - update the benchmarks", is an agent's name
        # here, where the lead-in said its items are agents to launch)
        role = group == "bold" and ROLE_AS_TITLE.fullmatch(name) is not None
        agentish = named or role or name.lower() in vocabulary or AGENT_SUFFIX.search(name)
        if (
            group
            and agentish
            and not ordinary(name)
            and not NOT_AGENT_AFTER.match(text, match.end())
        ):
            start, end = match.span(group)
            return Found(name, passage.lines[0].span(start, end), start, end)
        if group == "bold" and _AGENT_WORD.search(match[group]):
            # "**One persistent `wsbaser:devils-advocate` agent** — …": the id inside
            inner = _ID_IN_CODE.search(text, match.start(group), match.end(group))
            if inner:
                start, end = inner.span("id")
                return Found(inner["id"], passage.lines[0].span(start, end), start, end)
    return assignment(passage, vocabulary)


_AGENT_WORD = LazyPattern(r"\b(?:sub-?)?agents?\b", re.IGNORECASE)
#: An agent's id as written in backticks: qualified (`plugin:agent`) or kebab-case.
_AGENT_ID = r"`(?P<id>[a-z][\w.-]*(?::[\w.-]+)+|[a-z][a-z0-9]*(?:-[a-z0-9]+)+)`"
_ID_IN_CODE = LazyPattern(_AGENT_ID)


_MEMBER = LazyPattern(
    r"^\s*(?:\d+[.)]\s*)?(?:" + BOLD + "|" + CODE + "|" + AT + "|" + KEBAB + r")"
    # (a name, then a dash, a colon, a note, "agent", or what it is given: "`x.md` with …")
    r"(?=\s*(?:$|[-—–:：(（]|agent|subagent|\s\(|with\s))",
    re.IGNORECASE,
)

#: "1. **Architecture Review** (`wsbaser:architecture-reviewer`)": a title, then the id of
#: the agent written as one (qualified or kebab-case, in backticks).
_LABELLED_ID = LazyPattern(
    r"^\s*(?:\d+[.)]\s*)?\*\*[^*\n]{2,60}\*\*\s*[(（]\s*" + _AGENT_ID + r"\s*[)）]"
)


def labelled_id(passage: Passage) -> Found | None:
    """The agent of a list item written as a title and the agent's id in parentheses."""
    match = _LABELLED_ID.match(passage.lines[0].text) if passage.lines else None
    if match is None:
        return None
    start, end = match.span("id")
    return Found(match["id"], passage.lines[0].span(start, end), start, end)


_ASSIGNMENT = LazyPattern(
    r"^[\s>|*+\-•├└│─→▶]*(?:\d+[.)]\s*)?(?:\*\*|`)?(?P<name>[^\s*`:：→(（|][^*`:：→(（|\n]{0,40}?)"
    r"(?:\*\*|`)?\s*(?:[:：→(（]|->|\s[-—–]\s)"
)
