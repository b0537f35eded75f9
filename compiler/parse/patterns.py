"""The pattern table: every heading, field key and marker the parser recognises.

Adding a dialect feature is a row here, not a new code path: the recogniser
(`compiler.parse.workflow`) only knows the *roles* below (phase, branch, path, step, …),
never the spellings. Field keys are matched case-insensitively with bold/backticks removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal, NamedTuple

from compiler.parse.gates import Gate, Lowered, WordGated, lowered, phrase_words
from compiler.parse.languages import (
    BRANCH_LABEL,
    LANGUAGES,
    NUMBER,
    SEPARATOR,
    alternation,
    arabic,
    template_regex,
    words,
)
from compiler.regex import LazyPattern

#: Languages written without spaces between words: their phrases have no word boundaries.
_SPACELESS = ("zh", "ja", "ko")

HeadingRole = Literal[
    "phase",
    "checkpoint",
    "branch",
    "decision",
    "path",
    "if",
    "elif",
    "else",
    "step",
    "notes",
    "requirements",
    "results",
    "example",
]


class HeadingPattern(NamedTuple):
    role: HeadingRole
    regex: LazyPattern
    example: str
    #: a row made from a template of `languages.LANGUAGES` (tried only past `_TRANSLATED`)
    translated: bool = False
    #: lower-case words (ASCII or caseless) of which every heading the row matches holds
    #: one: a heading holding none is not tried, and the row's pattern is not compiled for
    #: it (most headings match no row). Empty: always tried.
    words: tuple[str, ...] = ()


def _h(role: HeadingRole, pattern: str, example: str, words: str = "") -> HeadingPattern:
    """A row; `words` as `a|b|c`."""
    listed = tuple(words.split("|")) if words else ()
    assert all(w == w.lower() and (w.isascii() or w == w.upper()) for w in listed), listed
    return HeadingPattern(role, LazyPattern(pattern, re.IGNORECASE), example, words=listed)


# Named groups used by the recogniser: `num` (a number or label), `title`, `cond`, `q`.
_SEP = r"\s*(?:[:.)\-–—]\s*|\s+(?=[A-Z(]))"
HEADING_PATTERNS: tuple[HeadingPattern, ...] = (
    _h(
        "checkpoint",
        r"^(?:phase\s+)?checkpoint\b\s*(?P<num>\d+)?\s*(?:[—–:-]+\s*|--\s*)?(?P<title>.*)$",
        "## PHASE CHECKPOINT 1 — User Approval Required",
        "checkpoint",
    ),
    _h(
        "phase",
        r"^(?:phase|stage)\s+(?P<num>\d+(?:\.\d+)*[a-z]?)" + _SEP + r"(?P<title>.*)$",
        "## Phase 3: Parallel Deep Investigation",
        "phase|stage",
    ),
    _h(
        "phase", r"^(?:phase|stage)\s+(?P<num>\d+(?:\.\d+)*[a-z]?)\s*$", "## Phase 2", "phase|stage"
    ),
    _h(
        # a lettered phase needs its punctuation: "Phase A — Specification mining", never
        # "Phase I/O handling" or "Stage a file"
        "phase",
        r"^(?:phase|stage)\s+(?P<num>(?-i:[A-H]))\s*[:.)\-–—]\s*(?P<title>.*)$",
        "## Phase A — Specification mining",
        "phase|stage",
    ),
    _h(
        "decision",
        r"^(?:decision(?:\s+point)?|choose|routing)\s*[:\-–—]\s*(?P<q>.*)$",
        "### Decision Point: Investigation approach",
        "decision|choose|routing",
    ),
    _h(
        "path",
        r"^(?:path|option|route)\s+(?P<num>[A-Z0-9]{1,2})\s*[:.\-–—]?\s*(?P<title>.*?)"
        r"\s*(?:\((?:condition|when|if)\s*:?\s*(?P<cond>(?:[^()]|\([^()]*\))*)\))?"
        r"\s*(?:\((?:the\s+)?default\))?\s*$",
        "#### Path A: Database Performance Issue (Condition: High response times)",
        "path|option|route",
    ),
    _h(
        "if",
        r"^if\s+(?:condition\s*)?[:\-–—]?\s*(?P<cond>.+)$",
        "### If Condition: risk is high",
        "if",
    ),
    _h(
        "elif",
        r"^(?:elif|else\s+if|otherwise\s+if)\s+(?:condition\s*)?[:\-–—]?\s*(?P<cond>.+)$",
        "### Elif Condition: risk is medium",
        "elif|else|otherwise",
    ),
    _h(
        "else",
        r"^(?:else|otherwise|default)\s*[:\-–—]?\s*(?P<title>.*)$",
        "### Else: escalate",
        "else|otherwise|default",
    ),
    _h(
        "branch",
        r"^(?:branch|track|stream|lane)\s+(?P<num>[A-Z0-9]{1,2})\s*[:.\-–—]\s*(?P<title>.*)$",
        "### Branch A: System Monitoring & Metrics Analysis",
        "branch|track|stream|lane",
    ),
    _h(
        "step",
        # not "Step 2-5: Per-unit processing", a range that groups the steps below it
        r"^step\s+(?P<num>\d+[a-z]?(?:\.\d+[a-z]?)*)(?!\s*[-–]\s*\d)\s*(?:[:.)\-–—]\s*|\s+)?"
        r"(?P<title>.*)$",
        "### Step 3: Initial Mitigation",
        "step",
    ),
    _h("step", r"^(?P<num>\d+(?:\.\d+)*[a-z]?)[.)]\s+(?P<title>.+)$", "### 1. Incident Assessment"),
    _h("step", r"^(?P<num>\d+(?:\.\d+)+)\s+(?P<title>.+)$", "### 1.2 Process Each Directory"),
    _h(
        "notes",
        r"^(?:coordination\s+notes?|coordination\s+protocols?|notes|execution\s+parameters"
        r"|success\s+criteria|workflow\s+variations)\b.*$",
        "## Coordination Notes",
        "coordination|notes|execution|success|workflow",
    ),
    _h(
        "requirements",
        # the section itself, not a phase about requirements ("Requirements Validation and
        # Approval", "Requirements Process") nor an agent named after them
        r"^(?:response\s+)?(?:requirements|objectives|service\s+level\s+objectives|slos?)"
        r"(?:\s*[:&,(（：].*)?$",
        "### Response Requirements",
        "requirements|objectives|slo",
    ),
    _h("results", r"^execution\s+results\b.*$", "## Execution Results", "results"),
    _h(
        "example",
        r"^(?:[^\w\s]\s*)?(?:examples?|usage\s*$|usage\s+examples?|sample\s+(?:calls?|usage)|syntax|"
        r"(?:api|tool|cli|command|agent(?:\s+spawn)?)\s+reference|anti-?patterns?"
        r"|(?:common\s+)?mistakes|wrong|"
        r"incorrect|bad\s+examples?|don'?t|what\s+not\s+to\s+do|before\s*/\s*after)\b"
        r"(?!\s+(?:workflow|playbook|flow)\b).*$"
        # … and headings that say so anywhere: "Worked Examples", "Quick Start", "Demo"
        r"|^.*\b(?:examples|quick\s*start|quickstart|demo|cheat\s*sheet|sample\s+session|"
        r"transcript|使用例|示例|예시|ejemplos?|exemplos?)\b.*$"
        # the shape of what a run hands back: "Final Report Format", "Handoff Document Format"
        r"|^(?:final\s+|the\s+)?(?:report|output|response|handoff|summary|results?|message)"
        r"\s+(?:document\s+)?(?:format|template)s?\s*$"
        r"|^.*(?:报告|输出|交接文档|レポート|出力|引き継ぎ|보고서|출력)的?"
        r"(?:格式|模板|形式|フォーマット|テンプレート|형식|템플릿)\s*$",
        "### Example: spawning a reviewer",
        "example|usage|sample|syntax|reference|anti|mistake|wrong|incorrect|don|what|before"
        "|quick|demo|cheat|transcript|使用例|示例|예시|ejemplo|exemplo|format|template"
        "|格式|模板|形式|フォーマット|テンプレート|형식|템플릿",
    ),
)


def _templates(table_role: str) -> list[str]:
    return sorted(
        {t for language in LANGUAGES for t in getattr(language, table_role)},
        key=lambda t: (-len(t), t),
    )


def _translated(role: HeadingRole, table_role: str) -> tuple[HeadingPattern, ...]:
    """Phase, step and branch headings of every language in `languages.LANGUAGES` (one
    pattern a template: `阶段 1：需求分析`, `第一阶段`, `フェーズ 1`, `1단계`, `Этап 1.`,
    `Aşama 1:`, `轨道 A：核心产品开发`)."""
    number = BRANCH_LABEL if role == "branch" else NUMBER
    return tuple(
        HeadingPattern(
            role,
            LazyPattern(
                r"^(?:" + template_regex(t, number) + r")(?:" + SEPARATOR + r"(?P<title>.*))?$",
                re.IGNORECASE,
            ),
            "### " + t.replace("{n}", "1") + ": Title",
            translated=True,
        )
        for t in _templates(table_role)
    )


HEADING_PATTERNS = (
    *HEADING_PATTERNS[:4],
    *_translated("phase", "phase"),
    *HEADING_PATTERNS[4:],
    *_translated("step", "step"),
    *_translated("branch", "branch"),
)


def _longest_word(template: str) -> str:
    """The longest literal word of a template (`{n}. Aşama` → `Aşama`): every heading its
    row matches holds it, in some letter case."""
    return max(template.replace("{n}", " ").split(), key=len)


#: Most headings are in none of the translated rows' languages, and each such heading would
#: be tried against all ~40 of them (compiling each: ~15 ms of a cold start). One cheap test
#: first: a heading without any template's longest word matches no translated row.
_TRANSLATED = Gate.of(
    "|".join(
        re.escape(word)
        for word in sorted(
            {_longest_word(t) for r in ("phase", "step", "branch") for t in _templates(r)}
        )
    )
)

#: A line of a code block that opens a period of a schedule ("Day 1-2: Compressed
#: Discovery", "Sprint 1 (Week 2):", "第 5 周: 发布"): the table's "period" column, a number
#: or a range of them, maybe a parenthesis, then a colon.
PERIOD_LINE = LazyPattern(
    r"^\s*(?:"
    + "|".join(
        template_regex(t, r"\d+(?:\s*[-–~]\s*\d+)?|" + NUMBER, "?:") for t in _templates("period")
    )
    + r")\s*(?:[(（][^)）\n]*[)）]\s*)?[:：]",
    re.IGNORECASE,
)

#: A heading whose text is a plain number list like "1. Title" is a phase when numbered
#: headings are nested one level deeper inside it (`## 1. Setup` / `### 1.1 …`).
NUMBERED_HEADING = LazyPattern(r"^(?P<num>\d+)[.)]\s+(?P<title>.+)$")


def classify_heading(text: str) -> tuple[HeadingRole, dict[str, str]] | None:
    """The role of a heading and its named groups, or None for an ordinary heading."""
    found = _classified(text)
    return (found[0], dict(found[1])) if found is not None else None


@lru_cache(maxsize=4096)
def _classified(text: str) -> tuple[HeadingRole, tuple[tuple[str, str], ...]] | None:
    """`classify_heading`, once per heading text (each heading is asked about several
    times: phase level, numbering, the host page)."""
    found = _classify(text)
    return (found[0], tuple(sorted(found[1].items()))) if found is not None else None


def _classify(text: str) -> tuple[HeadingRole, dict[str, str]] | None:
    clean = strip_markup(text)
    lower = lowered(clean)
    translated: bool | None = None  # may `clean` match a translated row? (asked once)
    for index in _rows_to_try(lower):
        pattern = HEADING_PATTERNS[index]
        if pattern.translated:
            if translated is None:
                translated = _TRANSLATED.admits(clean, lower)
            if not translated:
                continue
        match = pattern.regex.match(clean)
        if match:
            groups = {k: v for k, v in match.groupdict().items() if v is not None}
            if "num" in groups:
                groups["num"] = arabic(groups["num"])
            return pattern.role, groups
    return None


def _rows_to_try(lower: Lowered) -> Sequence[int]:
    """The rows of HEADING_PATTERNS, in order, that a heading (`lower`: its lower case) may
    match: each row with words only if the heading holds one of them (most hold none of
    most rows' words), and every row without words. One scan finds the words a heading
    holds, rather than a test of each row's words in turn (76 rows, ~3,500 headings in the
    corpora). With no sound lower case every row is tried."""
    if lower.text is None:  # a character that folds to an ASCII letter
        return range(len(HEADING_PATTERNS))
    rows = set(_ROWS_WITHOUT_WORDS)
    for found in _ROW_WORD.findall(lower.text):
        rows.update(_ROWS_OF_WORD[found])
    return sorted(rows)


def _row_index() -> tuple[tuple[int, ...], dict[str, frozenset[int]], str]:
    """What `_rows_to_try` looks up: the rows without words (translated ones included: a
    gate of their own decides on those), per word the rows that hold it or a piece of it,
    and the words as one pattern (a lookahead, so at each position the longest word
    starting there is found, and the rows of the words inside it come with it)."""
    holding: dict[str, set[int]] = {}  # word: the rows that list it
    for index, row in enumerate(HEADING_PATTERNS):
        for word in row.words:
            holding.setdefault(word, set()).add(index)
    words = sorted(holding, key=lambda w: (-len(w), w))
    rows_of_word = {
        word: frozenset().union(*(holding[piece] for piece in words if piece in word))
        for word in words
    }
    without = tuple(i for i, row in enumerate(HEADING_PATTERNS) if not row.words)
    return without, rows_of_word, "(?=(" + "|".join(map(re.escape, words)) + "))"


_ROWS_WITHOUT_WORDS, _ROWS_OF_WORD, _row_words = _row_index()
_ROW_WORD = LazyPattern(_row_words)

# --- field keys -----------------------------------------------------------------------

FieldRole = Literal[
    "agent",
    "prompt",
    "description",
    "model",
    "output",
    "context_next",
    "final_context",
    "input",
    "context_in",
    "dependency",
    "applicability",
    "condition",
    "gate",
    "store_as",
    "info",
]


class FieldKey(NamedTuple):
    role: FieldRole
    keys: tuple[str, ...]


FIELD_KEYS: tuple[FieldKey, ...] = (
    FieldKey("agent", ("subagent_type", "subagent", "agent", "agent type", "use agent")),
    FieldKey("prompt", ("prompt", "task prompt", "prompt template", "instructions")),
    FieldKey("description", ("description", "task description", "purpose", "goal")),
    FieldKey("model", ("model", "model hint")),
    FieldKey(
        "output",
        (
            "output",
            "outputs",
            "expected output",
            "expected outputs",
            "deliverable",
            "deliverables",
            "produces",
            "result",
            "results",
            "returns",
            "output format",
        ),
    ),
    FieldKey(
        "context_next",
        (
            "context for next phase",
            "context for next phases",
            "context for next step",
            "context for parallel phases",
            "context for parallel steps",
            "context for phase",
            "context passed",
            "context to pass",
            "context output",
        ),
    ),
    FieldKey(
        "final_context",
        ("final context", "final output", "final outputs", "context for completion"),
    ),
    FieldKey(
        "store_as",
        (
            "store output as",
            "save output as",
            "store as",
            "output file",
            "output to",
            "save to",
            "saves to",
            "write to",
            "writes to",
            "output path",
            "output file path",
        ),
    ),
    FieldKey(
        "input",
        (
            "input",
            "inputs",
            "uses",
            "reads",
            "required input",
            "required inputs",
            "files_to_read",
            "files to read",
            "read from",
            "reads from",
            "input file",
            "input files",
        ),
    ),
    FieldKey(
        "context_in",
        (
            "context",
            "context from previous",
            "context from previous phase",
            "context from previous step",
            "context from previous phases",
            "context from previous steps",
        ),
    ),
    FieldKey(
        "dependency",
        ("dependencies", "dependency", "depends on", "requires", "after", "prerequisite"),
    ),
    FieldKey("applicability", ("applicability", "applies when", "when to use")),
    FieldKey("condition", ("condition", "when", "trigger")),
    FieldKey("gate", ("gate", "approval", "checkpoint", "quality gate")),
    FieldKey(
        "info",
        (
            "focus",
            "focus areas",
            "validation",
            "success criteria",
            "success",
            "note",
            "notes",
            "timeout",
            "priority",
            "duration",
            "owner",
            "tools",
            "scope",
            "criteria",
            "parallel",
            "mode",
            "run_in_background",
            "team_name",
            "name",
            "role",
            "constraint",
            "constraints",
            "critical",
            "important",
            "metric",
            "metrics",
            "action",
            "actions",
            "alternative",
            "expected",
            "rationale",
            "example",
            "format",
            "checks",
            "check",
        ),
    ),
)


@lru_cache(maxsize=4096)  # a document writes the same few keys on many lines
def normalise_key(key: str) -> str:
    return re.sub(r"\s+", " ", key.strip(" *_`").lower().replace("-", " ").replace("_", "_"))


#: The same roles in other languages (`输出：`, `Salida esperada:`), from the language table.
TRANSLATED_KEYS: tuple[FieldKey, ...] = (
    FieldKey("prompt", words("prompt", skip=("en",))),
    FieldKey("output", words("output", skip=("en",))),
    FieldKey("context_in", words("context", skip=("en",))),
    FieldKey("input", words("input", skip=("en",))),
    FieldKey("agent", tuple(w for w in words("agent", skip=("en",)) if " " not in w)),
)

FIELD_ROLES: dict[str, FieldRole] = {
    normalise_key(key): entry.role
    for entry in (*FIELD_KEYS, *TRANSLATED_KEYS)
    for key in entry.keys
}

#: `- Key: value` / `- **Key**: value` / `` - `key`: value `` / `**Key:** value`, in any
#: script, with an ASCII or a full-width colon.
FIELD_LINE = LazyPattern(
    r"^(?P<pre>[*_`]{0,2})(?P<key>[^\W\d_][\w /'()-]{0,40}?)(?P<post>[*_`]{0,2})\s*[:：]"
    r"(?P<post2>[*_`]{0,2})(?:\s+|$|(?<=：))(?P<value>.*)$"
)


def field_line(text: str) -> re.Match[str] | None:
    """`FIELD_LINE.match(text)`, asked only of a line with a colon: most lines have none,
    and the match would try every key length up to 40 first."""
    if ":" not in text and "：" not in text:
        return None
    return _field_line(text)


@lru_cache(maxsize=4096)
def _field_line(text: str) -> re.Match[str] | None:
    """`FIELD_LINE.match(text)`, once per line: several readers ask it of the same line
    (33,846 matches of 7,686 lines over the corpora). (A match is never changed.)"""
    return FIELD_LINE.match(text)


#: Words that make a colon-terminated prefix prose rather than a field key.
MAX_FIELD_KEY_WORDS = 5


@lru_cache(maxsize=1024)  # the same few keys, asked of every field line by several readers
def field_role(key: str) -> FieldRole | None:
    return FIELD_ROLES.get(normalise_key(key))


# --- agent invocations ----------------------------------------------------------------

#: The agent name grammar: plain, `plugin::agent`, `plugin:agent`, scoped paths.
AGENT_NAME = r"[A-Za-z0-9_][A-Za-z0-9_.:/@+-]*"

#: A quoted agent value may hold any characters (a hostile or placeholder name is still the
#: name the author wrote; lint judges it, render escapes it).
_QUOTED_AGENT = r"(?P<q>[\"'`])(?P<agent>[^\"'`\n]{1,120}?)(?P=q)"

AGENT_PATTERNS: tuple[LazyPattern, ...] = (
    # subagent_type="x" / subagent_type='x' (Use Task tool …, Task(...) calls)
    LazyPattern(r"\bsubagent_type\s*=\s*" + _QUOTED_AGENT),
    # subagent_type: "x" / `subagent_type`: "x" / **subagent_type**: "x" / "subagent_type": "x"
    LazyPattern(r"[`*]{0,2}\bsubagent_type(?:[`*]{1,2}|[\"'])?\s*:\s*[`*]{0,2}" + _QUOTED_AGENT),
    # subagent_type: x (unquoted, as in `<Task>` blocks)
    LazyPattern(r"[`*]{0,2}\bsubagent_type[`*]{0,2}\s*:\s*[`*]{0,2}(?P<agent>" + AGENT_NAME + r")"),
    # subagent_type=x (unquoted)
    LazyPattern(r"\bsubagent_type\s*=\s*(?P<agent>" + AGENT_NAME + r")"),
    # "Agent 1 - Explore (subagent_type Explore):" (in a parenthesis, a blank for the "=")
    # (the name closes the parenthesis or is given "with" something: "(subagent_type per
    # the table)" names none)
    LazyPattern(
        r"[(（]\s?[`*]{0,2}subagent_type[`*]{0,2}[ \t]+(?P<agent>"
        + AGENT_NAME
        + r")(?=[ \t]*[)）]|[ \t]+with\b)"
    ),
)

#: `Task(` / `Agent(` calls of the call dialect.
CALL_START = LazyPattern(r"\b(?P<fn>Task|Agent)\s*\(")

#: A fenced or tagged block of the plugin dialect: `Task:` on its own line.
#: "Task:", "Task tool:", "Task #1:", "Task tool parameters:" over the block's `key: value` lines.
TASK_BLOCK_START = LazyPattern(
    r"^\s*(?:Task|Agent)(?:\s+tool)?(?:\s+(?:parameters|params|arguments|call|input))?"
    r"(?:\s*#\s*\d+|\s+\d+)?\s*:\s*$",
    re.IGNORECASE,
)
TASK_TAG_OPEN = LazyPattern(r"^\s*<(Task|Agent)\b[^>]*>\s*$", re.IGNORECASE)
TASK_TAG_CLOSE = LazyPattern(r"</(Task|Agent)\s*>", re.IGNORECASE)

#: Model hints: `model="opus"`, `(opus)`, `model: sonnet`.
MODEL_NAMES = ("opus", "sonnet", "haiku", "inherit", "fast", "gpt-4", "gpt-4o", "o3")

# --- markers in step titles and prose -------------------------------------------------


def _aside_words() -> str:
    """The words that open a parenthesised condition, each with the blank a word of a
    spaced script needs after it ("(if mobile)", "(nur wenn …)"); CJK ones need none."""
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") + ("" if w[-1] >= "\u3000" else r"\s+")
        for w in words("aside")
    )


#: (built once: both patterns below use it)
_ASIDE_WORDS = _aside_words()


OPTIONAL_MARKER = LazyPattern(
    r"\s*[(（](?P<text>if\s+(?P<cond>[^)）]*)|skip\s+(?:if|when)\s+(?P<skip>[^)）]*)|"
    # "#### Agent 7 — High-Stakes (run if RUN_STAKES)"
    r"(?:only\s+)?runs?\s+(?:only\s+)?(?:if|when)\s+(?P<run>[^)）]*)|"
    + alternation("optional")
    + r"|(?:"
    + _ASIDE_WORDS
    + r")(?P<aside>[^)）]+)"
    + r")[)）]\s*$",
    re.IGNORECASE,
)


def title_marker(title: str) -> tuple[str, str | None] | None:
    """A title's optional marker ("(if applicable)", "(if agent available)", "(skip if
    `--fast`)"): the title without it and the condition it states (None: only optional)."""
    found = OPTIONAL_MARKER.search(title)
    if found is None:
        return None
    if found["skip"]:  # "### Step 3 — Start the App (skip if `--no-start`)"
        return title[: found.start()].strip(), unless(found["skip"])
    said = found["cond"] or found["run"] or found["aside"]
    return title[: found.start()].strip(), said.strip() if said else None


#: "7. **Test Generation (if agent available)**", "**Pass 2 — Regression check (if Pass 1
#: had fixes):**": a whole line in bold, a title for what is written under it.
BOLD_TITLE_LINE = LazyPattern(
    r"^(?:\d+[.)]\s*|[-*+]\s+)?(?:\*\*|__)(?P<title>[^*_\n]{3,120}?)\s*[:：]?(?:\*\*|__)[:：]?\s*$"
)


#: "Skip this step if `--auto` flag is set.", "Skip this phase when the user declines": the
#: step runs only when the condition does not hold.
SKIP_STEP_IF = WordGated(
    LazyPattern(
        r"(?:\bskip\s+this\s+(?:entire\s+|whole\s+)?(?:step|phase|stage)(?:\s+silently)?\s+"
        # "**Skip if `X`** (done before)", "- Skip if: MCP not connected": a passage led by
        # it (not a later line: "**FIRST:** output the summary. **Skip if:** …" skips that)
        r"|^[\s>*+\-•]*(?:\*\*|__)?skip\s+)(?:only\s+)?(?:if|when)\b(?:\*\*|__)?\s*[:：]?"
        r"(?:\*\*|__)?\s+(?P<cond>(?:(?!\*\*)[^.;:\n]){2,100}?)\s*(?:\*\*|__|[.;:]|$)",
        re.IGNORECASE,
    ),
    ("skip",),
)


def unless(condition: str) -> str:
    """The condition of a step skipped when `condition` holds."""
    return "unless " + strip_markup(condition).strip(" *_`")


#: A condition written beside a delegation: "(if needed)", "(only when X)", "unless X",
#: "if applicable", the optional markers of every language ("（如适用）").
CONDITION_NOTE = LazyPattern(
    r"[(（](?:only\s+)?(?:if|when|unless)\s+(?P<cond>[^)）]{1,80})[)）]"
    r"|\b(?:only\s+(?:if|when)|unless)\s+(?P<only>[^,.;:)]{3,80})"
    r"|\b(?:if|when|as)\s+(?:needed|necessary|applicable|required|relevant)\b"
    r"|[(（](?:" + alternation("optional") + r")[)）]"
    # "（如P0/P1）", "（仅P0）", "(nur wenn nötig)": the words of every language
    r"|[(（](?:" + _ASIDE_WORDS + r")(?P<aside>[^)）]{1,80})[)）]",
    re.IGNORECASE,
)
#: A marker that only says a step is optional ("optional", "conditional", "as needed"),
#: with no condition to test.
OPTIONAL_ONLY = LazyPattern(r"^(?:" + alternation("optional") + r")$", re.IGNORECASE)
#: "If relevant, use the X agent …": the condition leads the sentence; "Optional: use the
#: X agent …", "(Optional) …" mark the step optional without a condition.
CONDITION_LEAD = LazyPattern(
    r"(?:if|when|unless)\s+(?P<cond>[^,:;]{1,80})[,:]|(?:optional(?:ly)?\s*[:：,—–-]|[(（]optional[)）])",
    re.IGNORECASE,
)

#: The phrases of the language table's "parallel" row ("in parallel", "simultaneously",
#: "并行"), as a regex.
_PARALLEL_PHRASES = (
    # ("parallel-safe batches" says which batches may be run so, not that they are)
    r"(?:\b(?:" + alternation("parallel", skip=_SPACELESS) + r")\b(?!-)"
    r"|" + alternation("parallel", only=_SPACELESS) + r")"
)
#: Those phrases alone, gated by a word of each (the recognisers ask it of headings and
#: lead-ins, and most hold none of those words).
PARALLEL_PROSE = WordGated(
    LazyPattern(_PARALLEL_PHRASES, re.IGNORECASE), phrase_words(words("parallel"))
)
#: Words that make a delegation run many agents at once: "in parallel", "parallel
#: subagents", "in a single message", "simultaneously", "waves", "（并行）".
#: Gated (`WordGated`) by a word of each phrase of the table and of each form after it.
PARALLEL_CUE = WordGated(
    LazyPattern(
        _PARALLEL_PHRASES
        + r"|\bparallel(?:ly|i[sz]e)?\b(?!-)|\b(?:same|single|one)\s+(?:assistant\s+)?"
        r"(?:message|turn|response|tool-call\s+block)\b|\bat\s+once\b|\bconcurrent(?:ly)?\b|paralelo"
        r"|runs\.all\b",
        re.IGNORECASE,
    ),
    (
        *phrase_words(words("parallel")),
        *("parallel", "message", "turn", "response", "block", "once", "concurrent", "paralelo"),
        "runs.all",
    ),
)
#: Words just before a parallel cue that take it back ("Sequential analysis, not parallel",
#: "do NOT run these in parallel", "rather than concurrently").
_NEGATED_CUE = LazyPattern(
    r"\b(?:not|never|no|n't|instead\s+of|rather\s+than)\b(?:\s+\w+){0,3}\s*$", re.IGNORECASE
)


def parallel_cue(
    text: str, pattern: re.Pattern[str] | LazyPattern | WordGated | None = None
) -> re.Match[str] | None:
    """The first cue of `pattern` (PARALLEL_CUE) in `text` that is not negated."""
    return _first_cue(text) if pattern is None else _first_unnegated(text, pattern)


@lru_cache(maxsize=1024)
def _first_cue(text: str) -> re.Match[str] | None:
    """`parallel_cue` with PARALLEL_CUE, once per text: the recognisers ask it of the same
    element (and of the same lead-in) several times, and its long case-insensitive
    alternation is among the costliest scans of a lint. (A match is never changed.)"""
    return _first_unnegated(text, PARALLEL_CUE)


def _first_unnegated(
    text: str, pattern: re.Pattern[str] | LazyPattern | WordGated
) -> re.Match[str] | None:
    for match in pattern.finditer(text):
        if not _NEGATED_CUE.search(text[max(0, match.start() - 30) : match.start()]):
            return match
    return None


PARALLEL_WITH_STEP = WordGated(
    LazyPattern(
        r"\b(?:in\s+parallel|concurrently|simultaneously)\s+with\s+steps?\s+(?P<num>\d+[a-z]?)",
        re.IGNORECASE,
    ),
    ("parallel", "concurrently", "simultaneously"),
)
PARALLEL_TITLE = LazyPattern(r"\bparallel\b", re.IGNORECASE)

_PSEUDO_TITLE = r"(?P<title>[^*]+?)\s*:?\*\*:?\s*$"
#: "### Agent 1 (4 repos)", "### Sub-agent 2: Database Schema": a heading numbering one of
#: the agents launched just above it.
MEMBER_HEADING = LazyPattern(
    r"^(?:sub-?agent|agent|reviewer|worker|researcher)\s*#?\s*\d{1,2}\b(?!\.\d)",
    re.IGNORECASE,
)


#: A bold line that stands in for a heading: `**First: Error-Detective Analysis**`,
#: `**5a. Test Suite Creation:**`, `**Task 1: UI Analysis**`.
_PSEUDO_HEADING = LazyPattern(
    r"^\*\*(?:(?P<num>\d+[a-z]?)[.)]\s*|(?:task|step)\s+(?P<num2>\d+[a-z]?)\s*[:.\-–—]\s*"
    r"|(?P<ordinal>first|second|third|fourth|fifth)\s*[:.\-–—]\s*)" + _PSEUDO_TITLE,
    re.IGNORECASE,
)
#: "步骤 1a", "Paso 2", "ステップ 3": a step number in a language of `languages.LANGUAGES`.
#: Its own pattern, tried second (no step word starts like an ordinal, so this finds what
#: one alternation of both would): with ~870 characters of step words it is among the
#: parser's longest to compile (~5 ms), and a document needs it only for a bold line that
#: holds a number and is no English pseudo-heading (issue 10, cold start).
_STEP_WORDS = "|".join(
    template_regex(t).replace("(?P<num>", "(?:")
    for t in sorted(
        {t for language in LANGUAGES for t in language.step}, key=lambda t: (-len(t), t)
    )
)
_TRANSLATED_PSEUDO_HEADING = LazyPattern(
    r"^\*\*(?P<translated>" + _STEP_WORDS + r")\s*[:.\-–—：]\s*" + _PSEUDO_TITLE, re.IGNORECASE
)
_NUMBER = LazyPattern(NUMBER)


class PseudoHeading(NamedTuple):
    title: str
    label: str | None  # the step number in ASCII digits (`**步骤 1a — …**` → 1a)
    ordinal: str | None  # "first" … "fifth", as written


def pseudo_heading(text: str) -> PseudoHeading | None:
    """`text` (one stripped line) read as a bold pseudo-heading, or None."""
    if not text.startswith("**"):
        return None  # (both patterns start so: most lines are spared a match)
    match = _PSEUDO_HEADING.match(text)
    if match:
        return PseudoHeading(match["title"], match["num"] or match["num2"], match["ordinal"])
    if not _NUMBER.search(text):
        return None
    match = _TRANSLATED_PSEUDO_HEADING.match(text)
    if not match:
        return None
    number = _NUMBER.search(match["translated"])
    return PseudoHeading(match["title"], arabic(number.group(0)) if number else None, None)


#: A generic heading that names the case it handles (`### For Code Errors and Bugs`): its
#: steps are alternatives, like a routing list.
ROUTE_HEADING = LazyPattern(r"^for\s+(?P<cond>.+?)\s*:?$", re.IGNORECASE)
#: `- Python issues → subagent_type="python-pro"`
ROUTE_ITEM = LazyPattern(r"^\s*(?P<cond>[^→]+?)\s*(?:→|->|=>)\s*`?subagent_type", re.IGNORECASE)

LOOP_RETURN = WordGated(
    LazyPattern(
        r"\b(?:(?:return|go\s+back|loop\s+back|jump\s+back|repeat\s+from)\s+to\s+step"
        # "repeat Steps 8-9 for the next change", "re-run Step 4": from the first step named
        r"|(?:repeat|re-?run|redo)\s+steps?)\s+(?P<num>\d+(?:\.\d+)*[a-z]?)\b",
        re.IGNORECASE,
    ),
    ("return", "back", "repeat", "run", "redo"),
)
LOOP_UNTIL = LazyPattern(r"\brepeat\s+until\s+(?P<cond>[^.;\n]+)", re.IGNORECASE)
#: "Repeat until all tasks PASS QA", "loop until all checks pass", "iterates until green": a
#: step that runs again until its condition holds (where no step to return to is named).
REPEAT_UNTIL = WordGated(
    LazyPattern(
        # (in the third person too: "Lead merges the feedback → iterates until no warnings")
        r"\b(?:repeat|loop|iterate|re-?run)s?(?:\s+(?:this|the\s+(?:step|loop|cycle)|it))?\s+until\s+"
        r"(?P<cond>[^.;:\n()]{3,80}?)\s*(?:[.;:(]|$)",
        re.IGNORECASE,
    ),
    ("until",),
)
LOOP_MAX = LazyPattern(
    r"\b(?:max(?:imum)?|at\s+most|up\s+to|limit(?:ed)?\s+to)\.?\s*(?:of\s+)?(?P<n>\d+)\s*"
    r"(?P<unit>retries|retry|re-?runs?|iterations?|attempts?|cycles?|rounds?|times|loops?|passes)\b",
    re.IGNORECASE,
)

#: Every form names the user, or says "wait", or "before proceeding".
WAIT_FOR_USER = WordGated(
    LazyPattern(
        r"\b(?:wait\s+for\s+(?:the\s+)?user|askuserquestion|user\s+approval\s+required"
        # "Do not advance to Phase 3 until the user has reviewed the spec"
        r"|(?:do\s+not|don't|never)\s+(?:proceed|advance|continue|move\s+on|start|begin)\b"
        r"[^.\n]{0,60}?\buntil\s+the\s+user\b"
        # "Only continue once the user says yes"
        r"|only\s+(?:continue|proceed)\s+(?:once|after|when)\s+the\s+user\b"
        # "The user must approve the design", "requires explicit user approval before …"
        r"|the\s+user\s+must\s+(?:explicitly\s+)?(?:approve|confirm|sign\s+off)\b"
        r"|(?:requires?|needs?)\s+(?:explicit\s+)?user\s+(?:approval|confirmation|consent)"
        r"\s+before\b"  # (not a policy: "public posting requires user approval.")
        # "Get explicit approval from the user", "ask for approval before continuing"
        r"|(?:get|obtain|request|seek)\s+(?:explicit\s+)?(?:approval|confirmation|consent"
        r"|sign-?off|go-?ahead)\s+from\s+the\s+user\b"
        r"|ask\s+(?:the\s+user\s+)?for\s+(?:explicit\s+)?(?:approval|confirmation|sign-?off"
        r"|go-?ahead)\b"
        # "ask the user whether to continue", 'Ask the user: "Run the deferred pass now?"'
        r"|ask\s+the\s+user\s+(?:whether|if)\s+to\s+(?:continue|proceed)\b"
        # "**GATE 2** — Stop and ask:" over the question put to the user
        r"|\bstop\s+and\s+ask\b"
        # "**User reviews and approves plan** → **MANDATORY STOP**"
        r"|\bmandatory\s+stop\b|\buser\s+reviews\s+and\s+(?:approves|confirms)\b"
        r"|ask\s+the\s+user\s*[:：]\s*[\"“'][^\"”\n]{3,200}\?[\"”']"
        # "stop — write no code until the user explicitly approves", "Get a 👍 before proceeding"
        r"|until\s+the\s+user\s+(?:explicitly\s+)?(?:approves|confirms|signs\s+off)"
        r"|get\s+(?:(?:a|an|the\s+user'?s|user)\s+)?(?:👍|approval|sign-?off|go-?ahead|confirmation)\s+"
        r"before\s+(?:proceeding|continuing|moving\s+on|implementation|implementing|writing|coding)"
        r"|wait\s+for\s+(?:explicit\s+)?(?:user\s+)?(?:approval|confirmation|sign-?off)\b"
        # "Ask the user one focused question … Wait for the answer."
        r"|wait\s+for\s+(?:the\s+answer|(?:a|their|the\s+user'?s)\s+(?:answer|reply|response))\b"
        r"|ask\s+the\s+user\s+(?:to\s+(?:approve|confirm)|for\s+(?:approval|confirmation))\b"
        # "MANDATORY: Pause for feedback", "pause here for manual confirmation from the human"
        r"|pause\s+(?:here\s+)?for\s+(?:explicit\s+|manual\s+)?(?:(?:user|human)\s+)?"
        r"(?:approval|confirmation|feedback|review|input|response|sign-?off)\b"
        # "Confirm with user before removing rows"
        r"|confirm\s+with\s+(?:the\s+)?user\s+(?:before|whether)\b"
        # "After Phase 6, ask if the user wants iterations", "ask the user whether they want …"
        r"|ask\s+(?:the\s+user\s+)?(?:if|whether)\s+(?:the\s+user|they|you)\s+"
        r"(?:wants?|wish(?:es)?|would\s+like|prefers?)\b"
        # "Show the plan and ask before proceeding", "Present the brief to the user for
        # approval", "Never push without explicit consent" (the step waits for a yes)
        r"|ask\s+(?:the\s+user\s+)?before\s+(?:proceeding|continuing|moving\s+on)\b"
        r"|(?:present|show)\s+[^.\n]{1,60}?\s+to\s+the\s+user\s+for\s+"
        r"(?:approval|confirmation|review|sign-?off)\b"
        r"|\buser\s+approval\s+(?:is\s+)?always\s+required"
        r"|without\s+(?:the\s+user'?s\s+)?explicit\s+(?:user\s+)?(?:consent|approval|permission)\b)",
        re.IGNORECASE,
    ),
    (
        "user",
        "wait",
        "before",
        "pause",
        "consent",
        "approval",
        "permission",
        "confirmation",
        "stop and ask",
        "mandatory stop",
    ),
)
#: "continue — do not wait for approval", "proceed without waiting for the user": no gate.
_NOT_WAITING = LazyPattern(
    # "NEVER STOP TO WAIT FOR USER INPUT between phases"
    r"\b(?:do\s+not|don't|never|without|no\s+need\s+to)\s+(?:stop\s+(?:to|and)\s+)?$",
    re.IGNORECASE,
)


#: The same in Japanese, Chinese and Korean: "以下の場合はユーザーに確認", "等待用户确认",
#: "사용자에게 확인" (ask the user to confirm; wait for the user's approval).
_WAIT_FOR_USER_CJK = LazyPattern(
    r"ユーザー(?:に|へ)(?:確認|承認を)|ユーザーの(?:承認|確認)を(?:得|待)"
    r"|(?:向|请|给|等待|待)用户(?:确认|批准|审批|同意)|用户(?:确认|批准|同意)后"
    r"|사용자(?:에게)?\s*(?:확인|승인)(?:을|를)?\s*(?:받|요청|구)"
)


def waits_for_user(text: str) -> bool:
    """Does `text` hold the run until the user answers (and not say it need not)?"""
    if not text.isascii() and _WAIT_FOR_USER_CJK.search(text):
        return True
    return any(
        _NOT_WAITING.search(text[max(0, found.start() - 40) : found.start()]) is None
        for found in WAIT_FOR_USER.finditer(text)
    )


#: "**CHECKPOINT — after-recon**: Summarize the findings. Prompt: continue / stop.": a
#: paragraph led by a bold checkpoint label.
_CHECKPOINT_LEAD = LazyPattern(
    r"[\s>]*(?:\*\*|__)(?:human\s+)?checkpoint\b[^*_\n]{0,60}(?:\*\*|__)?\s*[:：]",
    re.IGNORECASE,
)


def stops_for_user(text: str) -> bool:
    """Does `text` hold the run for the user: a wait it states, or a checkpoint it leads with?"""
    return waits_for_user(text) or _CHECKPOINT_LEAD.match(text) is not None


#: A stop-gate inside a sentence of a step ("… or already has a review. If so, do not
#: proceed.", "If there are no issues that meet this criteria, stop."): the run may end here.
#: (Gated by the words that end the run: asked of every passage with an "if" or a "when"
#: in it, a scan of every position costing ~13 µs each, and few stop anything.)
STOP_IF = WordGated(
    LazyPattern(
        r"(?:(?<=[.;!?])\s+|\s[—–]\s*)(?:if|when)\s+(?P<cond>[^,.;:()\n]{2,100}?)\s*[,:]\s*"
        r"(?:then\s+)?(?:do\s+not|don't)\s+(?:proceed|continue)\b"
        r"|(?:(?<=[.;!?])\s+|\s[—–]\s*)(?:if|when)\s+(?P<cond2>[^,.;:()\n]{2,100}?)\s*[,:]\s*"
        r"(?:then\s+)?(?:report[^.;\n]{0,40}?\s+and\s+)?(?:stop|abort|halt)\s*"
        r"(?:[.!;]|$|and\s+report)",
        re.IGNORECASE,
    ),
    ("proceed", "continue", "stop", "abort", "halt"),
)

#: A conditional sentence after another one in a passage ("… in a single call. If the
#: verifier fails after the retry, exclude its findings."): the condition and what follows
#: the comma. What follows is a gate only when it acts on the run (`GATE_ACTION`).
IF_SENTENCE = WordGated(
    LazyPattern(
        # what follows is looked at, not taken: it may hold the next gate
        # after a sentence, a dash or a label ("**IMPORTANT:** If …")
        r"(?:(?<=[.;!?:])\s+|(?<=[:.]\*\*)\s+|\s[—–]\s*)if\s+(?P<cond>[^,.;:()\"“]{2,100}?)\s*,\s*"
        r"(?=(?:then\s+)?(?P<then>[^\x00]{3,400}))",
        re.IGNORECASE,
    ),
    ("if",),
)
#: An order with its condition at the end ("Read `checklist.md` if it exists.", "Run tests if
#: they exist."): the order is carried out only when the condition holds. "Check if …",
#: "as if", "even if" are no condition on the order, nor "ask the user if …" (whether).
TRAILING_IF = WordGated(
    LazyPattern(
        r"(?:^|(?<=[.!?:,])\s+|(?<=[:.]\*\*)\s+)(?:\*\*)?(?P<order>(?:(?:optionally|then|also"
        r"|always|first|next|finally)\s+)?(?:read|run|load|include|use|create|append|add|update"
        r"|apply|execute|re-?run|re-?read|attach|invoke|consult|review|merge|commit|install|fetch"
        r"|pull|copy|write|fall\s+back|switch|skip|retry|spawn|launch|dispatch|delegate"
        r"|escalate)\b(?:`[^`\n]*`|[^.!?:`]){2,160}?)"
        r"(?<!\bcheck)(?<!\bsee)(?<!\bverify)(?<!\bask)(?<!\bdetermine)(?<!\bknow)(?<!\btest)"
        r"(?<!\beven)(?<!\bas)(?<!\bonly)(?<!\bwhat)(?<!\bconfirm)(?<!\bdecide)(?<!\bassess)"
        r"\s+if\s+(?P<cond>[^,.;:()\"“*—–]{3,80}?)\s*(?:\*\*)?(?:\([^()\n]{0,80}\)\s*)?"
        r"(?:[.;]|$)",
        re.IGNORECASE,
    ),
    ("if",),
)
#: What a coordinator does on a condition: end or hold the run, retry, fall back, skip,
#: route, ask the user, launch an agent ("exclude that skill", "retry once", "stop").
GATE_ACTION = LazyPattern(
    r"\b(?:stop|abort|halt|exit|do\s+not\s+(?:proceed|continue)|don't\s+(?:proceed|continue)"
    r"|fall(?:s|ing)?\s*back|switch\s+to|revert|retry|re-?run|re-?invoke|re-?spawn|re-?launch"
    r"|try\s+again|(?:ask|inform|notify|prompt)\s+the\s+user|wait\s+for|skip|omit|exclude|pause"
    r"|ask\s+(?:for\s+)?(?:clarification|clarifying\s+questions|confirmation|approval)"
    r"|(?:proceed|continue)\s+(?:directly\s+)?(?:to|with)\s+(?:step|phase)|go\s+(?:back\s+)?to"
    r"|return\s+to|jump\s+to|launch|spawn|invoke|delegate|dispatch|escalate)\b",
    re.IGNORECASE,
)

#: "For each skill in the applicable skills list, run `Skill Assessor` …": what the launch
#: a passage leads with runs once for.
FOR_EACH = WordGated(
    LazyPattern(
        r"[\s>*+\-•\d.)]*(?:\*\*)?for\s+(?:each|every)\s+"
        r"(?P<item>[^,:;.\n]{2,80}?)\s*(?:\*\*)?[,:]",
        re.IGNORECASE,
    ),
    ("for",),
)

#: "- **ONLY IF** tests are passing and no critical issues exist": the step this line
#: leads runs only when the condition holds.
_ONLY_IF = LazyPattern(
    r"^[\s>*+\-•]*(?:\*\*|__)?only\s+(?:if|when)(?:\*\*|__)?\s*[:：]?\s+"
    r"(?P<cond>[^.;:\n]{2,120}?)\s*(?:[.;:]|$)",
    re.IGNORECASE,
)


def only_if(text: str) -> str | None:
    """The condition of a line led by "ONLY IF", if it is one."""
    if "nly " not in text[:12].lower():
        return None  # the cheap test: no "only" leads the line
    found = _ONLY_IF.match(text)
    return strip_markup(found["cond"]).strip(" *_`") if found else None


# --- context flow ---------------------------------------------------------------------

#: A path-like token: `.dir/01-x.md`, `docs/plans/x.md`, `state.json`.
FILE_PATH = r"[A-Za-z0-9_.~{}$\-][A-Za-z0-9_.~{}$/\-]*\.[A-Za-z0-9]{1,8}"

#: A path written in backticks, or bare when it has a folder in it (`docs/plan.md`,
#: `.agents/council/judge-1.md`); placeholders (`{id}`, `<name>`, `[NN]`, `*`) may stand in
#: for parts of it.
_PATH_WRITTEN = (
    r"(?:`(?P<path>" + FILE_PATH + r")`"
    r"|(?<![\w/`])(?P<bare>[A-Za-z0-9_.~{}<>\[\]*$\-]+/[A-Za-z0-9_.~{}<>\[\]*$/\-]*"
    r"\.[A-Za-z0-9]{1,8})(?![\w/`]))"
)
#: Gated by its verbs and its flags (`-o`, `--output` hold "-o"; `>`, `>>`).
SAVE_FILE = WordGated(
    LazyPattern(
        r"\b(?:save|saves|write|writes|store|stores|record|output|consolidate|combine|merge|compile"
        r"|append|dump|persist)\s+(?:(?:the|a|an|agent's|its|all|your)\s+)?(?:[\w-]+\s+){0,4}?"
        r"(?:to|in|into|as|at)(?:\s+|\s*[:：]\s*)"  # "Write to: .planning/STACK.md"
        + _PATH_WRITTEN
        + r"|(?:^|\s)(?:-o|--output(?:-file)?|>{1,2})\s*=?\s*['\"]?"
        + _PATH_WRITTEN.replace("path>", "flag>").replace("bare>", "flagbare>"),
        re.IGNORECASE,
    ),
    (
        "save",
        "write",
        "store",
        "record",
        "output",
        "consolidate",
        "combine",
        "merge",
        "compile",
        "append",
        "dump",
        "persist",
        "-o",
        ">",
    ),
)
#: "Create `.github/plans/x.md`", "generates docs/report.md": the file is written.
CREATE_FILE = WordGated(
    LazyPattern(
        r"\b(?:create|creates|generate|generates|produce|produces|emit|emits)\s+(?:the\s+|a\s+)?"
        r"(?:file\s+|document\s+)?" + _PATH_WRITTEN,
        re.IGNORECASE,
    ),
    ("create", "generate", "produce", "emit"),
)
#: "then write .research/SUMMARY.md" in an agent's brief: the agent writes it. (Only in a
#: brief: "Collect results. Write `SPEC.md`" after a batch is the coordinator's own work.)
WRITE_FILE = WordGated(
    LazyPattern(
        r"\bwrites?\s+(?:the\s+|a\s+)?(?:file\s+|document\s+)?" + _PATH_WRITTEN, re.IGNORECASE
    ),
    ("write",),
)
#: "Read `docs/plan.md`", "load the file state.json", `Read("x.md")`. Gated by its verbs
#: (`Read(` holds "read"): seven passages in ten with a file extension hold none of them.
READ_FILE = WordGated(
    LazyPattern(
        r"\b(?:read|reads|load|loads|open|review|cat|consult|ingest)\s+(?:the\s+)?(?:file\s+)?"
        + _PATH_WRITTEN
        + r"|\bRead\(\s*(?:file_path\s*=\s*)?['\"](?P<call>"
        + FILE_PATH
        + r")['\"]",
        re.IGNORECASE,
    ),
    ("read", "load", "open", "review", "cat", "consult", "ingest"),
)
#: One more backticked path after a read or a save ("Read `a.md` and `b.md`", "write
#: `report.md`, `summary.md` and `log.json`").
MORE_FILE = LazyPattern(r"\s*(?:,|and|,\s*and)\s+`(?P<path>" + FILE_PATH + r")`")
INSERT_FILE = LazyPattern(
    r"\[\s*(?:insert|include|paste)\s+(?:the\s+)?(?:full\s+)?contents?\s+of\s+`?(?P<path>"
    + FILE_PATH
    + r")`?[^\]]*\]",
    re.IGNORECASE,
)
#: `@.planning/PROJECT.md` (a file put in context), not the full stop after it.
AT_INCLUDE = LazyPattern(r"(?<![\w@`])@(?P<path>[A-Za-z0-9_.\-]+/[A-Za-z0-9_./\-]*[A-Za-z0-9_])")
VARIABLE = LazyPattern(r"\$(?P<name>[A-Z][A-Z0-9_]{1,40})\b")
TEMPLATE = LazyPattern(r"\{(?P<name>[a-z][a-z0-9_]*(?:\.[a-z0-9_-]+)+)\}", re.IGNORECASE)
BRACKET = LazyPattern(r"\[(?P<body>[^\[\]\n]{2,200})\](?![(:\[])")

#: Bracketed text that is not a reference to earlier output.
NOT_A_REFERENCE = LazyPattern(
    r"^(?:\s*[xX ]\s*|extended thinking:.*|insert\b.*|include\b.*|paste\b.*|fill\s+in\b.*|"
    r"this\s+(?:file|step|task)'?s?\b.*|.*\bcontents?\b.*|.*\bif\s+(?:exists|any|available|present|"
    r"applicable|needed)\b.*|.*\bor\s+\".*|"
    # `[Unreleased]`: the section of a CHANGELOG kept the Keep a Changelog way
    r"[-=<>!]+|\d+(?:[-,.]\d+)*|optional|required|todo|tbd|unreleased|\.{3}|…)$",
    re.IGNORECASE | re.DOTALL,
)
#: `[ERROR_SIGNATURE]`, `[!NOTE]`: placeholders and admonitions in capitals (case matters:
#: `[changelog]` is a reference).
CAPITALISED_PLACEHOLDER = LazyPattern(r"^!?[A-Z0-9_]+$")

#: "stored as `$PLAN`", "referenced as $SPEC". Gated by its verbs: it is asked of every
#: passage with a `$`, one in forty of which holds one of them.
VARIABLE_DEFINITION = WordGated(
    LazyPattern(
        r"(?:referenced|known|stored|saved)\s+as\s+`?\$(?P<name>[A-Z][A-Z0-9_]+)`?", re.IGNORECASE
    ),
    ("referenced", "known", "stored", "saved"),
)

# --- host page ------------------------------------------------------------------------

REQUIREMENT_LINE = LazyPattern(r"^\*\*(?P<name>[^*]+?)\*\*\s*:?\s*(?::\s*)?(?P<value>.+)$")
RESULT_FIELD = LazyPattern(r"^\*\*(?P<key>[^*]+?)\*\*\s*:?\s*(?::\s*)?(?P<value>.*)$")
AGENT_WITH_MODEL = LazyPattern(r"^(?P<agent>" + AGENT_NAME + r")\s*(?:\((?P<model>[^)]+)\))?")
BRANCH_RESULT = LazyPattern(
    r"^(?:branch|path)\s+(?P<label>[A-Z0-9]{1,2})\s*[:.\-–—]\s*(?P<title>.*?)"
    r"(?:\s*\((?P<agent>" + AGENT_NAME + r")(?:\s*,\s*(?P<model>\w+))?\))?\s*$",
    re.IGNORECASE,
)

# --- helpers --------------------------------------------------------------------------


_CLOSING_HASHES = LazyPattern(r"\s+#+\s*$")
_STRONG = LazyPattern(r"(\*\*|__)(.+?)\1")
_CODE_TICKS = LazyPattern(r"`([^`]*)`")


def strip_markup(text: str) -> str:
    """Heading/field text without emphasis markers, inline code ticks and trailing #s."""
    # Each substitution only where its marker is in the text: most text has none, and
    # this runs on every line the recogniser looks at.
    text = text.strip()
    if "#" in text:
        text = _CLOSING_HASHES.sub("", text)
    if "**" in text or "__" in text:
        text = _STRONG.sub(r"\2", text)
    if "`" in text:
        text = _CODE_TICKS.sub(r"\1", text)
    return text.strip()


def without_stray_markup(text: str | None) -> str | None:
    """`text` (already through `strip_markup`) without the `**`, `__` or backtick left over
    from a pair cut in two: a condition cut out of `- **PASS**: Feature-complete → …` or
    `` If `requiresTestReview` is `true` → … `` keeps one of a pair, which would show as a
    stray character in every outline, report and diagram of the decision."""
    if text is None:
        return None
    for marker in ("`", "**", "__"):
        if text.count(marker) % 2:  # (pairs are gone: `strip_markup` took them)
            text = text.replace(marker, "").strip()
    return text


def slug(text: str) -> str:
    """A stable, readable id fragment: lower case, ascii letters and digits, dashes."""
    text = re.sub(r"[^a-z0-9]+", "-", text.lower())
    return text.strip("-") or "x"
