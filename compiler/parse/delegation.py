"""Delegation written in prose: "Use the **codebase-locator** agent to …", "Activate UI
Designer", "spawn a fresh subagent", "激活内容创作者", "@agent-security", "run `Codebase
Profiler` as a subagent with `runSubagent`", `<new_task><mode>code</mode>`.

Every invocation found here is *inferred* (DESIGN §2): the document says in words that an
agent runs, in no form made for it, so rules about a step's shape stay quiet about it. Names
given work without a verb are read by `assignments`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

from compiler.parse.agent_names import (
    AGENT_SUFFIX,
    API_NAME,
    AT,
    BOLD,
    CODE,
    GENERIC_NAME,
    NAME,
    NOT_A_NAME,
    NOT_AGENT_AFTER,
    PROHIBITION_MARKS,
    TITLE,
    Found,
    clean,
    first_group,
    name_group,
    ordinary,
)
from compiler.parse.gates import Gate, lowered
from compiler.parse.invocations import Invocation
from compiler.parse.languages import alternation, words
from compiler.parse.text import Passage, before_on_line
from compiler.regex import LazyPattern

#: Latin-script languages put the verb before the name; these scripts put it after.
_NAME_FIRST = ("ja", "ko")
_SPACELESS = ("zh", "ja", "ko")


def _inflected(verbs: tuple[str, ...]) -> set[str]:
    """English verbs with their -s / -es / -ing forms ("delegates to", "spawning"):
    playbooks describe what the coordinator does as often as they command it."""
    forms: set[str] = set()
    for verb in verbs:
        head, _, tail = verb.partition(" ")
        rest = f" {tail}" if tail else ""
        stem = head[:-1] if head.endswith("e") else head
        # no past tense: "the team used several agents" tells a story, it is no step
        endings = ("es", "ing") if head.endswith(("sh", "ch", "x")) else ("s", "ing")
        forms.add(verb)
        for ending in endings:
            inflected = (stem if ending != "s" else head) + ending
            forms.add(inflected + rest)
    return forms


#: Every Latin-script delegation verb in every form the prose reader accepts.
_VERB_FORMS = _inflected(words("delegate", only=("en",))) | set(
    words("delegate", skip=(*_SPACELESS, "en"))
)
_VERBS = "|".join(
    re.escape(w).replace(r"\ ", r"\s+") for w in sorted(_VERB_FORMS, key=lambda w: (-len(w), w))
)
#: Verbs that on their own make a named thing an agent ("spawn QA Expert"); weaker verbs
#: ("use", "run") need the noun ("use the X agent") or a name already known as an agent.
_STRONG = (
    r"spawn|re-?spawn|launch|dispatch|activate|delegate\s+to|invoke|escalate\s+to"
    r"|route\s+(?:back\s+)?to|hand\s*off\s+to|handoff\s+to|assign\s+to|kick\s+off|engage"
    r"|activar|activa|ativar|ative|acionar|acione|aktivieren|aktiviere|activer|lancer"
    r"|активировать|запустить|etkinleştir|deleg(?:ar|a|ue)\s+(?:en|al?|para)"
)
_NOUN = r"(?:" + alternation("agent", skip=_SPACELESS) + r"|workers?|reviewers?|mode)s?"
_DETERMINER = (
    r"(?:(?:the|a|an|one|each|every|another|that|this|these|those|its|their|two|three|four"
    r"|five|\d+|n|multiple|several|all"
    r"|o|a|os|as|um|uma|el|la|los|las|un|una|der|die|das|den|einen|le|la|les|une"
    r"|múltiplos|múltiples|vários|varios|varias|várias|plusieurs|mehrere)\s+)?"
)
#: Words that say which agent, not who: "a fresh subagent", "Independent subagents".
_ADJECTIVE_WORDS = (
    "new", "fresh", "separate", "dedicated", "parallel", "background", "async",
    "general-purpose", "single", "generic", "specialized", "specialised", "appropriate",
    "relevant", "persistent", "focused", "independent", "read-only", "additional", "extra",
    "subsequent", "role-specific", "fresh-context", "same", "corresponding", "matching",
    "right", "next", "first", "second", "built-in", "builtin", "simulated",
)  # fmt: skip
_ADJECTIVE_SET = frozenset(_ADJECTIVE_WORDS)
_ADJECTIVE = (
    # (stressed or not: "Spawn a **new** implementer subagent")
    r"(?:(?:\*{1,2}|_{1,2})?(?:"
    + "|".join(sorted(_ADJECTIVE_WORDS, key=lambda word: (-len(word), word)))
    + r")(?:\*{1,2}|_{1,2})?\s+)*"
)

#: A strong verb and a plain lower-case word: a launch only when the word is an agent the
#: document names elsewhere (its vocabulary).
_STRONG_KNOWN = LazyPattern(
    r"(?<![\w-])(?:re-?)?(?:" + _STRONG + r")\s+(?:the\s+)?"
    r"(?-i:(?P<plain>[a-z][a-z0-9]*(?:-[a-z0-9]+)*))\b(?!-)"
    # "spawn parallel Explore agents": a word that qualifies the name after it
    r"(?!\s+(?:(?-i:[A-Z])|`|\*\*|sub-?agents?\b|agents?\b))",
    re.IGNORECASE,
)
_VERB_NAME = LazyPattern(
    r"(?<![\w-])(?P<verb>"
    + _VERBS
    # ("**Delegate to**: @architecture-agent": the verb as a bold key)
    + r")(?:\*\*|__)?[:：]?\s+"
    # "Spawn agent: Researcher": the key says the name after it is the agent's
    + r"(?P<key>(?:sub-?)?agent[ \t]*[:：][ \t]+)?"
    # "Launch this as a subsequent `Architect` subagent": the work, then the agent it goes to
    + r"(?:(?:this|it|that)\s+as\s+)?"
    + _DETERMINER
    + _ADJECTIVE
    + NAME
    + r"(?P<noun>\s+"
    + _NOUN
    + r"\b)?",
    re.IGNORECASE,
)
#: The nouns that make an agent generic ("a subagent", "3 parallel workers").
_GENERIC_NOUN = (
    r"(?:sub-?agents?|agents?|teammates?|workers?|sub-?tasks?"
    # Spanish, Portuguese, French, German: "invoque múltiplos agentes", "un sous-agent"
    r"|(?:sub)?agentes?|sous-agents?|(?:unter)?agenten"
    # Polish and Czech forms ("uruchom subagenta", "Spusť subagenta"), Indonesian "subagen"
    r"|(?:sub|pod)?agent(?:a|y|u|ów|ami|em)|(?:sub-?)?agen)\b(?!-\w)"
)
#: "spawn a subagent", "launch 3 parallel sub-agents", "dispatch a Task agent".
_GENERIC = LazyPattern(
    r"(?<![\w-])(?:\*\*)?(?P<verb>"
    + _VERBS
    + r")\s+"
    + _DETERMINER
    + _ADJECTIVE
    + r"(?:task\s+)?(?:\*\*)?(?P<generic>"
    + _GENERIC_NOUN
    + ")"
    # (not "Spawn agent: Researcher": the key of the name after it; "subagents: one per
    # file" is how many)
    + r"(?!(?<=[tT])[ \t]*[:：][ \t]+(?-i:[`*\"'A-Z]|[a-z][a-z0-9]*-[a-z]))",
    re.IGNORECASE,
)
#: The noun for an agent in every language of the table written with spaces.
_AGENT_NOUNS = r"sub-?agente?|" + alternation("agent", skip=_SPACELESS)
#: A word each of them holds, for a gate (which tests words in ASCII text only): "agent", and
#: the nouns written in ASCII without it ("teammate", "ajan").
_ASCII_NOUNS = {noun.lower() for noun in words("agent") if noun.isascii()}
_AGENT_NOUN_WORDS = ("agent", *sorted(noun for noun in _ASCII_NOUNS if "agent" not in noun))
#: The letters the nouns start with, for a lookahead before their alternation: a scan that
#: tries the whole alternation at every position of a text costs four times one that first
#: asks whether the character there can start a noun at all (the gate of `_NOUN_NAME` below
#: was a quarter of the time spent in the parser's patterns over the corpora).
_NOUN_FIRST = "".join(sorted({noun[0].lower() for noun in _AGENT_NOUNS.split("|")}))
assert all(letter.isalpha() for letter in _NOUN_FIRST), _NOUN_FIRST  # (no escape, no group)
#: "spawn subagent `pm`", "launch the agent named **reviewer**": the noun, then the name,
#: which must be marked (in backticks, bold or quotes) to be told from the words after it.
#: In the other languages of the table, after any of their delegation verbs ("Invoca al
#: subagente `desarrollador`", "Gọi subagent `developer`"); the table writes some verbs
#: with the preposition they take ("déléguer à"), which an article may fold into ("au").
_NOUN_NAME = LazyPattern(
    r"(?<![\w-])(?P<verb>"
    + _STRONG
    + "|"
    + alternation("delegate", skip=("en", *_SPACELESS))
    + r"|invoquer|delega|délègue|déléguer"
    # (a word of what is handed over may come first, "Делегируй задачу агенту `x`", or how
    # many: "lanza **1** subagente `implementer`", "lanza **2-3** subagentes `explorer`")
    + r")\s+(?:[^\W\d_]+\s+|(?P<count>(?:\*\*)?\d+(?:-\d+)?(?:\*\*)?)\s+)??"
    r"(?:the\s+|a\s+|an\s+|al\s+|el\s+|a\s+la\s+|ao\s+|o\s+|au\s+|le\s+|il\s+)?"
    r"(?P<generic>(?:" + _AGENT_NOUNS + r")(?(count)s?))\s+"  # (plural after a count)
    r"(?:(?:named|called)\s+)?(?:"
    + BOLD
    + "|"
    + CODE
    + r"|[\"“](?P<quoted>[A-Za-z][\w.:-]{1,40})[\"”])",
    re.IGNORECASE,
)
#: "For each phase, spawn a general task", "Spawn Parallel Tasks": a task spawned is an
#: agent launched (the Task tool's); only after "spawn" or "dispatch", as "run a task" or
#: "start the lint task" is anything but that.
_SPAWN_TASK = LazyPattern(
    r"(?<![\w-])(?:spawn|dispatch)(?:s|es|ing)?\s+(?:(?:a|an|one|new|general|general-purpose"
    r"|parallel|separate|background|fresh|\d+)\s+)*(?P<generic>tasks?)\b"
    # ("spawn parallel Task agents", "spawn the Task tool": the other patterns' nouns)
    r"(?![-(]|\s+(?:sub-?agents?|agents?|tools?|calls?|workers?)\b)",
    re.IGNORECASE,
)
#: "create a new task for Architect", "Create a new subtask for `code`": the task a Roo or Kilo
#: orchestrator hands to a mode, for the role named after "for".
_TASK_FOR = LazyPattern(
    r"\b(?:create|creates|creating|open|opens|start|starts)\s+(?:a\s+)?(?:new\s+)?"
    r"(?:sub-?)?task\s+for\s+(?:the\s+)?(?:" + BOLD + "|" + CODE + "|" + TITLE + r")(?![\w-])",
    re.IGNORECASE,
)
#: "uruchamiaj pipeline przez Task subagentów (Architect → Coder → Tester)": the agent noun,
#: then in parentheses the agents it means, in the order they run.
_PAREN_CHAIN = LazyPattern(
    r"(?:" + _GENERIC_NOUN + r")\s*\((?P<chain>[`*]{0,2}[A-Za-z][\w-]*[`*]{0,2}"
    r"(?:[ \t]*(?:→|->)[ \t]*[`*]{0,2}[A-Za-z][\w-]*[`*]{0,2})+)\)",
    re.IGNORECASE,
)
#: What launches such a chain: a delegation verb, or the Task tool, in the same sentence.
_CHAIN_LEAD = LazyPattern(
    r"(?:^|[.!?]\s)[^.!?]*?\b(?:" + alternation("delegate", skip=_SPACELESS) + r"|task)\b[^.!?]*$",
    re.IGNORECASE,
)
#: "run `Codebase Profiler` as a subagent", "Spawn Phase 1 as a sub-agent".
_AS_AGENT = LazyPattern(NAME + r"\s+as\s+an?\s+(?:sub-?agent|agent|teammate)\b", re.IGNORECASE)
#: "dispatch via the Agent tool as a fresh subagent": a generic agent, named by the article.
_AS_GENERIC = LazyPattern(
    r"\bas\s+an?\s+" + _ADJECTIVE + r"(?P<generic>sub-?agents?|teammates?)\b", re.IGNORECASE
)
#: "delegate them one by one to a subagent", "déléguer via `task` au sous-agent": work
#: handed to one unnamed agent, the work between. (Not "delegate heavy work to subagents",
#: "every delegation to a subagent": rules about delegating, not a launch.)
_TO_GENERIC = LazyPattern(
    r"\b(?:delegates?|delegating|offload(?:s|ing)?)"
    r"(?:\*\*)?\s+"
    r"(?:[^.,;:\n]{1,40}?\s)?"
    r"to\s+(?:the\s+|an?\s+|one\s+|each\s+|another\s+|new\s+|fresh\s+|separate\s+"
    r"|dedicated\s+|specialized\s+)*(?P<generic>sub-?agent|teammate)\b(?!-)"
    r"|\b(?:delegar|déléguer|delegare)(?:\*\*)?\s+(?:[^.,;:\n]{1,40}?\s)?"
    r"(?:para|a|al|ao|aos|às?|au|aux)"
    r"\s+(?:(?:os|as|o|la|le|les|un|une|um|uma|los|las|el|gli|i)\s+)?"
    r"(?P<generic2>sub-?agente?|sous-agent)\b(?!-)",
    re.IGNORECASE,
)
#: "→ frontend-developer agent", "FAILED → Investigator": an arrow that routes to an agent.
_ARROW = LazyPattern(
    # "YES → Agent: `writer`": the key says the name after it is an agent's
    # (or "→ agent `pinegrow-block-expert`": the noun, then a marked name)
    r"(?:→|->|=>)\s*(?P<key>(?:sub-?)?agent(?:[ \t]*[:：][ \t]*|[ \t]+(?=[`*])))?"
    r"(?:the\s+|an?\s+)?" + NAME + r"(?P<noun>\s+" + _NOUN + r"\b)?",
    re.IGNORECASE,
)
#: "1. `@Code Reviewer` → Validar Asaas": an agent called by its @-mention, then its work.
#: (In backticks or of several words: a person's handle is neither.)
_MENTION_FIRST = LazyPattern(
    r"^[ \t]*(?:[-*+]|\d+[.)])?[ \t]*(?:`@(?P<code>[A-Za-z][\w .:-]{0,40}?)`"
    r"|\*{0,2}@(?P<words>[A-Z][\w-]*(?:[ ][A-Z][\w-]*){1,3})\*{0,2})"
    r"[ \t]*(?:→|->|=>)[ \t]*\S",
    re.MULTILINE,
)
#: The last word of a hyphenated name that says which role its agent plays.
_ROLE_WORDS = (
    r"(?:specialist|developer|engineer|reviewer|architect|analyst|expert|tester|auditor"
    r"|planner|designer|researcher|investigator|debugger|synthesizer|clarifier|supervisor"
    r"|coordinator|orchestrator|validator|verifier|implementer|strategist|locator)"
)
#: A name in backticks or bold that work is handed to ("to the `developer`"), not a call or
#: a path ("`run(`", "`docs/`").
_MARKED = r"(?P<mark>`|\*\*)(?P<marked>[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*)(?P=mark)(?![(/])"
#: "delegates research to the al-planning-subagent", "Delegate fix to expert-debug
#: subagent": work handed to an agent named so, or to a hyphenated name called an agent.
_TO_AGENT = LazyPattern(
    r"\b(?:delegat|hand|assign|send|pass|rout|escalat|forward)\w*\s+(?:[\w-]+\s+){0,4}?to\s+"
    r"(?:the\s+|an?\s+)?(?:`?(?P<name>[a-z][\w-]*(?:-|_)(?:sub)?agent)\b`?"
    r"|`?(?P<named>[a-z][a-z0-9]*(?:-[a-z0-9]+)+)`?\s+(?:sub-?)?agent\b"
    # "Send the fix list to the implementer teammate": a role word, then the agent noun
    # (after "the": "delegate to specialist agent" speaks of a kind of agent)
    + r"|(?<=the )(?-i:(?P<role>"
    + _ROLE_WORDS
    + r"))\s+(?:sub-?agent|agent|teammate)\b"
    # "Send the research part to the Research Agent": a name in Title Case, then "Agent"
    r"|(?<=the )(?-i:(?P<titled>[A-Z][A-Za-z]+(?:[ -][A-Z][A-Za-z]+){0,2})[ -]Agent)\b"
    # "Delegate sub-steps to the `developer`", "Send the results to the `qa-expert`": a
    # marked name the work goes to (weighed in `_marked_recipient`)
    # ("Delegate the task to agent `test-writer`": the noun, then the marked name)
    r"|(?:(?:sub-?)?agent\s+)?" + _MARKED + r")",
    re.IGNORECASE,
)
#: German: "Delegiere Teilschritte an den `developer`", "Sende die Ergebnisse an den
#: `qa-expert`" (weighed as `_TO_AGENT`'s marked names are).
_DE_TO_AGENT = LazyPattern(
    r"\b(?:delegier|übergib|übergeb|send|schick|leite)\w*\s+(?:[\w-]+\s+){0,5}?"
    r"an\s+(?:den|die|das|einen|eine)\s+" + _MARKED,
    re.IGNORECASE,
)
#: The verbs of `_TO_AGENT` that hand work only to someone ("delegate to", "assign to"),
#: unlike "send"/"pass"/"forward", which also feed files, tools and commands.
_TO_SOMEONE = LazyPattern(r"(?:delegat|delegier|assign|hand|escalat|übergeb|übergib)", re.I)
#: "dispatch the implementer", "re-dispatch the reviewer": a role noun after a strong verb.
_ROLE = LazyPattern(
    r"(?<![\w-])(?P<verb>"
    + _STRONG
    + r"|re-?dispatch|re-?invoke)\s+(?:the|a|an|one|each)\s+"
    + _ADJECTIVE
    # (a role is a whole word: "project" is no role of "a project-manager-senior agent")
    + r"(?P<role>[a-z]+(?:er|or|ist|yst|ect|ant))s?\b(?!-\w|\s+(?:tool|skill|command))",
    re.IGNORECASE,
)
_AT_MENTION = LazyPattern(r"(?<![\w/])@agent-(?P<at>[A-Za-z][\w.-]*[\w])")
#: `#runSubagent agentName="x"`, `runSubagent("x")`, `#tool:agent react19-auditor`. A bare
#: lower-case word after the tool is prose ("after #tool:runSubagent returns"): a bare name
#: needs a hyphen, an underscore or a capital.
_RUN_SUBAGENT = LazyPattern(
    r"(?:#?runSubagent|#tool:agent)\s*(?:\(\s*(?:agentName\s*[=:]\s*)?[\"'`]?|\s+agentName\s*[=:]"
    r"\s*[\"'`]?|\s+[\"'`]|\s+(?=[A-Z]|[a-z][a-z0-9]*[-_]))(?P<name>[A-Za-z][\w.:-]*)",
)
_NEW_TASK_MODE = LazyPattern(r"<new_task>\s*<mode>\s*(?P<name>[\w.-]+)\s*</mode>", re.IGNORECASE)
#: `- Task agent-name(args)`: a plan's shorthand for a Task call of that agent; and
#: `Task(expert-backend)`, the agent alone in the call (a hyphenated name: no variable).
_TASK_SHORTHAND = LazyPattern(
    r"\bTask(?:\s+|\((?=[a-z][a-z0-9]*(?:-[a-z0-9]+)+\)))"
    r"(?P<name>[a-z][a-z0-9]*(?:-[a-z0-9]+)+)(?:\s*\(|\))"
    # "**Task** `shell` untuk verifikasi": the tool, marked, then the agent it runs
    r"|(?:\*\*Task\*\*|`Task`)[ \t]+`(?P<marked>[a-z][a-z0-9_]*(?:[-:][a-z0-9_]+)*)`"
)
#: `agent_spawn { … agent: "x" … }` / `runs.run("key", { agent: "x", task: … })`.
#: `agent: "x"` inside one of those calls (gated on the call names; every entry counts).
_AGENT_KEY = LazyPattern(r"\bagent\s*[:=]\s*[\"'`](?P<name>[\w.:-]+)[\"'`]")

#: Chinese: verb, then the name (written without a space): "激活内容创作者", "调用 **X**".
_ZH_VERB = LazyPattern(
    r"(?P<verb>" + alternation("delegate", only=("zh",)) + r")\s*"
    # "调用一次 `init-architect`": how often, then who
    r"(?:(?:[一二两三四五六七八九十几]|再)次\s*)?"
    # "启动子代理", "启动一个子 agent", "派遣 3 个智能体": an agent not named ("代理" alone is
    # also a proxy, so it needs the "子" or a count)
    r"(?:(?P<unnamed>(?:(?:[一两几多\d０-９二三四五六七八九十]+\s*个|若干)\s*(?:专业|新的?)?\s*)?"
    r"(?:子\s*(?:代理|智能体|(?i:agents?))|智能体|(?i:sub-?agents?))"
    r"|(?:[一两几多\d０-９二三四五六七八九十]+\s*个|若干)\s*(?:专业|新的?)?\s*(?:代理|(?i:agents?)))"
    r"|" + BOLD + r"|" + CODE + r"|「(?P<quoted>[^」]{1,30})」"
    r"|(?P<mixed>[A-Za-z]{1,6}\s?[\u4e00-\u9fff]{2,10}?)"  # "UI 设计师", "QA工程师"
    # ("派遣 ultrapower:code-reviewer 子 agent": a plugin's namespace, then the agent)
    r"|(?P<latin>[A-Za-z][\w]*(?::[A-Za-z][\w]*)?(?:[ -][A-Za-z][\w]*){0,3})"
    r"|(?P<cjk>[\u4e00-\u9fff]{2,10}?))"
    r"(?=\s*(?:智能体|代理|专员)|\s*(?:[（(，,。：:；;、\s*]|进行|来|对|以|并|与|和|为|给|去|做|执行|处理|$))"
)
#: Japanese and Korean: the name, then the verb: "X エージェントを起動", "X 에이전트 활성화".
_NAME_VERB = LazyPattern(
    r"(?:" + BOLD + r"|" + CODE + r"|" + AT + r"|(?P<latin>[A-Za-z][A-Za-z0-9_-]*"
    r"(?:\s[A-Z][A-Za-z0-9_-]*){0,2}))"
    r"\s*(?P<noun>" + alternation("agent", only=_NAME_FIRST) + r")?\s*(?:を|に|을|를|에게)?"
    # after the agent noun, the particle that says to whom and the work handed over
    # ("architect 에이전트로 설계 위임": delegate the design to the architect agent; without the
    # noun, "curl 로 호출" is a call made with curl)
    r"(?(noun)(?:(?:으로|로|へ)?(?:(?<=로)|(?<=에게)|(?<=へ)|(?<=に))\s*"
    r"[\uac00-\ud7af\u3040-\u30ff\u4e00-\u9fff]{1,6}(?:을|를|を)?)?)\s*"
    r"(?P<verb>" + alternation("delegate", only=_NAME_FIRST) + r")"
)
#: "Spawn 3 parallel Task calls, one to each review subagent (`review-opus`, `review-gemini`,
#: `review-codex`)": the agents a launch names in parentheses after its noun, each one (a
#: strong verb: "Use the phase-specific sub-agents (`a`, `b`)" says which exist).
_PAREN_LIST = LazyPattern(
    r"\b(?:spawn|launch|dispatch|invoke|start)\w*\b[^.;:\n]{0,80}?"
    r"(?:sub-?agents?|agents?|reviewers?|workers?|teammates?)\s*"
    r"\((?P<list>`[\w:.-]+`(?:\s*,\s*(?:and\s+|or\s+)?`[\w:.-]+`|\s+(?:and|or)\s+`[\w:.-]+`)+)\)",
    re.IGNORECASE,
)
#: Japanese, Chinese and Korean: work handed to an unnamed subagent ("必ずsub-agentに委譲する",
#: "subagentへタスクを委譲", "交给子代理", "서브에이전트에게 위임"); and a named one worked
#: with ("researcher subagentで調査する": investigate with the researcher subagent).
_CJK_GENERIC = LazyPattern(
    r"(?P<generic>sub-?agent|サブエージェント|子代理|子智能体|서브\s?에이전트)\s*(?:に|へ|에게)\s*"
    r"(?:タスクを|作業を|を)?\s*(?:委譲|委任|依頼|任せ|委派|위임)(?!しない|せず|しません|하지\s*않)"
    r"|(?P<name>[A-Za-z][\w-]*)\s*(?:sub-?agent|サブエージェント|エージェント)\s*で"
)
#: "実行" (run), "使用" (use), "실행", "사용": verbs that run commands and use tools as often as
#: agents; a plain word before one names an agent only with the agent noun, when known, or
#: when hyphenated as agents' names are ("security-reviewer を使用").
_WEAK_NAME_VERBS = frozenset({"実行", "使用", "실행", "사용"})

_PATTERNS = (
    _AT_MENTION,
    _RUN_SUBAGENT,
    _NEW_TASK_MODE,
    _TASK_SHORTHAND,
    _AGENT_KEY,
    _AS_AGENT,
    _NOUN_NAME,
    _ARROW,
    _ROLE,
    _TO_AGENT,
    _DE_TO_AGENT,
    _VERB_NAME,
    _ZH_VERB,
    _NAME_VERB,
    _CJK_GENERIC,
    _PAREN_LIST,
    _GENERIC,
    _AS_GENERIC,
    _TO_GENERIC,
    _SPAWN_TASK,
    _TASK_FOR,
    _PAREN_CHAIN,
    _MENTION_FIRST,
)

#: Patterns worth running only when a cheap test says the text may hold their form.
_GATES: dict[LazyPattern, Gate] = {}


def _gate(pattern: LazyPattern, hint: str, words: tuple[str, ...] | None = None) -> None:
    same = next((g for g in _GATES.values() if g.hint.pattern == hint and g.words == words), None)
    _GATES[pattern] = same or Gate.of(hint, words)  # one test for patterns sharing it


_gate(_NAME_VERB, alternation("delegate", only=_NAME_FIRST))
_gate(
    _NOUN_NAME,
    rf"(?=[{_NOUN_FIRST}])(?:" + _AGENT_NOUNS + r")s?\s+(?:named\s+|called\s+)?[`*\"“]",
    _AGENT_NOUN_WORDS,
)
_gate(_AS_AGENT, r"\sas\s+an?\s+(?:sub-?agent|agent|teammate)\b", ("agent", "teammate"))
_gate(_ARROW, r"→|->|=>")
_gate(_AT_MENTION, r"@agent-")
_gate(_RUN_SUBAGENT, r"runSubagent|#tool:agent")
_gate(_NEW_TASK_MODE, r"<new_task>")
_gate(_AGENT_KEY, r"agent_spawn|runs\.|spawn_agent")
_gate(_ZH_VERB, alternation("delegate", only=("zh",)))
_gate(
    _CJK_GENERIC,
    r"agent\s*[にへで]|エージェント\s*で|サブエージェント|子代理|子智能体|에이전트에게",
    # (the particle each match of the pattern holds: no ASCII text is asked the hint)
    ("に", "へ", "で", "에게"),
)
_gate(_PAREN_LIST, r"\(`", ("(`",))
# words each of these patterns cannot match without
_gate(_TO_AGENT, r"delegat|hand|assign|send|pass|rout|escalat|forward")
# (the article, not "an": that is in half of all English text)
_gate(_DE_TO_AGENT, r"\ban\s+(?:den|die|das|einen|eine)\s+[`*]", ("den", "die", "das", "eine"))
_gate(_GENERIC, r"agent|teammate|worker|task")
# (not "as a": the generic noun is rarer, and "as" is in most texts)
_gate(_AS_GENERIC, r"sub-?agents?|teammates?", ("agent", "teammate"))
_gate(_TO_GENERIC, r"deleg|déléguer|offload", ("deleg", "déléguer", "offload"))
_gate(_TASK_SHORTHAND, r"\bTask(?:[\s(]|\*\*|`)", ("task",))
_gate(_SPAWN_TASK, r"spawn|dispatch", ("spawn", "dispatch"))
_gate(_TASK_FOR, r"(?i:task\s+for)", ("task",))
_gate(_MENTION_FIRST, r"@", ("@",))
_gate(_PAREN_CHAIN, r"\([^()\n]*(?:→|->)", ("->", "→"))


#: Each delegation pattern's matches in one text, by pattern (a `LazyPattern` hashes by
#: its identity, unlike a compiled pattern, whose hash is its whole program's). Only
#: patterns that matched are stored (most texts have none). Shared: read, never changed.
_Matches = dict[LazyPattern, list[re.Match[str]]]


@lru_cache(maxsize=4096)
def _matches(text: str) -> _Matches:
    """Every delegation pattern's matches in `text`, found once: the recogniser reads each
    element twice (for the document's vocabulary, then for its steps)."""
    found: _Matches = {}
    lower = lowered(text)
    # Verb-led patterns are tried only where a delegation verb starts: a set lookup per
    # word instead of a scan of every position with a long alternation.
    starts = _verb_starts(text, lower.text if lower.ascii else None)
    if lower.ascii and _ANY_GATE_WORD.search(lower.text or "") is None:
        if not starts:
            return found  # every pattern is gated or verb-led: none can match (most texts)
        admitted = _NONE_ADMITTED  # no gate's word: every gate would say no
    else:
        admitted = [gate.admits(text, lower) for gate in _GATE_LIST]
    for pattern, gate, verb_led in _PLAN:
        if gate >= 0 and not admitted[gate]:
            continue
        if verb_led:
            at = _generic_starts(text, starts) if pattern is _GENERIC else starts
            matches = _matches_at(pattern, text, at) if at else []
        else:
            matches = list(pattern.finditer(text))
        if matches:
            found[pattern] = matches
    return found


def _verb_starts(text: str, ascii_lower: str | None) -> list[int]:
    """Where a word of `_WORD` that is in `_VERB_WORDS` starts in `text`. Such a word
    begins with a piece of letters that is one of `_VERB_HEADS`, or is one of the verbs
    with other letters: only those are looked for in the lower case of the text (given as
    `ascii_lower` for an ASCII text), and only the word at each is read. (The pieces: the
    text split at all but ASCII letters; `bytes.translate` and `split` are several times
    quicker than a regex split.) Most texts hold a head or two ("use", "run") among some
    thirty words, which were each read and looked up before."""
    lower = text.lower() if ascii_lower is None else ascii_lower
    # ("surrogatepass": an editor may send a lone surrogate; its bytes become blanks too)
    pieces = _VERB_HEADS.intersection(
        lower.encode("utf-8", "surrogatepass").translate(_LETTERS_ONLY).split()
    )
    heads = [head.decode() for head in pieces] if pieces else []
    if ascii_lower is None:
        heads += [verb for verb in _NON_ASCII_VERBS if verb in lower]
        if heads and len(lower) != len(text):
            # a letter whose lower case is longer ("İ"): offsets in it are not the text's
            return [m.start() for m in _WORD.finditer(text) if m.group().lower() in _VERB_WORDS]
    if not heads:
        return []
    starts: list[int] = []
    for head in heads:
        at = lower.find(head)
        while at >= 0:
            if _verb_at(text, lower, at, at + len(head)):
                starts.append(at)
            at = lower.find(head, at + 1)
    if ascii_lower is None:
        starts = list(set(starts))  # ("запусти" is the head of "запустить" too)
    starts.sort()
    return starts


def _verb_at(text: str, lower: str, start: int, end: int) -> bool:
    """Does a word of `_WORD` that is a verb start at `start`, where `lower` (the text's
    lower case, offset for offset) holds a verb's head up to `end`?"""
    if (start and lower[start - 1] in _ASCII_LETTERS) or lower[end : end + 1] in _ASCII_LETTERS:
        return False  # part of a longer piece (a head inside "because", "user")
    begin = start
    if start and (text[start - 1] == "-" or not text[start - 1].isascii()):
        # after a hyphen or a letter of another script: the words of the run of letters
        # and hyphens `start` is in are read from the run's start ("x-run" is one word,
        # "a-b-run" two, "run" the second)
        while begin and (text[begin - 1] == "-" or _is_letter(text[begin - 1])):
            begin -= 1
    for word in _WORD.finditer(text, begin):
        if word.start() >= start:
            return word.start() == start and word.group().lower() in _VERB_WORDS
    return False


def _is_letter(char: str) -> bool:
    """Is `char` a letter of `_WORD`? (An ASCII one told without a regex.)"""
    if char.isascii():
        return char.isalpha()
    return _LETTER.match(char) is not None


def _matches_at(pattern: LazyPattern, text: str, starts: list[int]) -> list[re.Match[str]]:
    """Non-overlapping matches of `pattern` starting at `starts` (or just before, where a
    `**` opens the verb)."""
    found: list[re.Match[str]] = []
    end = 0
    for start in starts:
        if start < end:
            continue
        if text[max(0, start - 2) : start] == "**":
            match = pattern.match(text, start - 2) or pattern.match(text, start)
        else:
            match = pattern.match(text, start)  # (once: most verbs start no match)
        if match:
            found.append(match)
            end = match.end()
    return found


def _generic_starts(text: str, starts: list[int]) -> list[int]:
    """The verb starts where `_GENERIC` may match: those with one of its nouns ahead in the
    run of word characters, blanks, hyphens and asterisks that begins there. The verb, the
    determiner, the adjectives, "task", `**` and the noun of a match are all written in
    those, so no match reaches past that run. Most verbs are followed by no such noun
    ("use Task tool with subagent_type"), and the pattern, one of the parser's longest to
    compile (~5 ms of a cold `drillbook lint`), is then not needed for the text at all."""
    return [s for s in starts if _NOUN_AHEAD.search(text, s, _run_end(text, s))]


def _run_end(text: str, start: int) -> int:
    stop = _OUTSIDE_RUN.search(text, start)
    return stop.start() if stop else len(text)


_OUTSIDE_RUN = LazyPattern(r"[^\w\s*-]")
_NOUN_AHEAD = LazyPattern(_GENERIC_NOUN, re.IGNORECASE)
assert not any(re.search(r"[^\w\s-]", form) for form in _VERB_FORMS)  # (see _generic_starts)
_WORD = LazyPattern(r"[^\W\d_]+(?:-[^\W\d_]+)?")  # letters of any script
_LETTER = LazyPattern(r"[^\W\d_]")
#: The first word of every Latin-script delegation verb, in every form: the verb-led
#: patterns run only on text that holds one of them (a set lookup, not a regex scan).
_VERB_WORDS = frozenset(form.split()[0].lower() for form in _VERB_FORMS)
_VERB_LED = frozenset((_VERB_NAME, _GENERIC, _ROLE))
#: Each gate once (patterns may share one), and per pattern in `_PATTERNS` order: the
#: pattern, its gate's index in `_GATE_LIST` (-1: none), whether it is verb-led. Worked out
#: once: `_matches` runs per text, and looking these up there cost more than most scans.
_GATE_LIST = list({id(gate): gate for gate in _GATES.values()}.values())
_PLAN = tuple(
    (
        pattern,
        next((i for i, g in enumerate(_GATE_LIST) if g is _GATES.get(pattern)), -1),
        pattern in _VERB_LED,
    )
    for pattern in _PATTERNS
)
assert all(gate >= 0 or verb_led for _, gate, verb_led in _PLAN)  # (see `_matches`)
#: Every gate's words: an ASCII text holding none of them is turned away by each gate.
_ANY_GATE_WORD = re.compile(
    "|".join(sorted({re.escape(word) for gate in _GATE_LIST for word in gate.words or ()}))
)
_NONE_ADMITTED = [False] * len(_GATE_LIST)
assert all(gate.words is not None for gate in _GATE_LIST)  # else a gate may admit any text
#: The part of each verb word before its hyphen ("re" of "re-spawn"), as bytes, and the
#: table that blanks every byte but a letter, cutting ASCII text into such pieces.
_VERB_HEADS = frozenset(word.split("-")[0].encode() for word in _VERB_WORDS)
_LETTERS_ONLY = bytes(c if chr(c).isascii() and chr(c).isalpha() else 32 for c in range(256))
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_NON_ASCII_VERBS = tuple(sorted(word for word in _VERB_WORDS if not word.isascii()))


def prose_delegations(passage: Passage, vocabulary: frozenset[str] = frozenset()) -> list[Found]:
    """Every delegation to an agent written in prose in `passage`, in text order, one per
    named agent (a generic "spawn a subagent" is named `subagent`)."""
    text = passage.text
    found: list[Found] = []
    if ("->" in text or "→" in text) and "\n" not in text.strip():
        chain = _chain(passage, vocabulary)
        if chain:
            return chain
    matches = _matches(text)
    if not matches:
        return _tool_launch(passage) if "runSubagent" in text else found

    def add(name: str, start: int, end: int, *, named: bool = False) -> None:
        """`named`: the form itself says it is an agent (`@agent-x`, `<mode>`), so no
        word list second-guesses it."""
        name = clean(name)
        if not named and name.lower() in _ADJECTIVE_SET and name != "general-purpose":
            # "Launch **parallel** subagents", "Background agents": how, not who (the noun is
            # the launch); "general-purpose" is also the name of Claude Code's own agent
            return
        if (
            not named
            and text[start - 1 : start] not in ("`", "*", '"', "“", "@")
            and _WHICH_ONE.search(text, max(0, start - 40), start)
            and not _AGENT_NOUN_AFTER.match(text, end)
        ):
            # "delegate to the right specialist": whichever fits, none named
            name, named = GENERIC_NAME, True
        if not name or (not named and ordinary(name)) or API_NAME.match(name):
            return
        if negated(text, start):
            return  # "Do NOT spawn sub-agents", "never delegate to the reviewer"
        if any(f.start <= start < f.end or start <= f.start < end for f in found):
            return
        found.append(Found(name, passage.span(start, end), start, end))

    for pattern in (_AT_MENTION, _RUN_SUBAGENT, _NEW_TASK_MODE, _TASK_SHORTHAND, _AGENT_KEY):
        for match in matches.get(pattern, ()):
            groups = match.groupdict()
            key = next((k for k in ("at", "name", "marked") if groups.get(k)), "name")
            add(match[key], *match.span(key), named=True)
    for match in matches.get(_NOUN_NAME, ()):
        named = first_group(match, ("bold", "code", "quoted"))
        if named:
            add(match[named], *match.span(named))
    for match in matches.get(_AS_AGENT, ()):
        named = name_group(match)
        if named:
            add(match[named], *match.span(named))
    for match in matches.get(_ARROW, ()):
        routed = name_group(match)
        if routed and (
            match["noun"]
            or match["key"]
            or clean(match[routed]).lower() in vocabulary
            or re.search(r"(?:^|[-_])(?:sub)?agent$", match[routed], re.IGNORECASE)
            or (_ROUTED_ROLE.search(match[routed]) and _routing_item(text, match))
            or (
                match[routed][:1].isupper()
                and _ROLE_TITLE.fullmatch(match[routed])
                and _routing_item(text, match)
            )
        ):
            add(match[routed], *match.span(routed))
    for match in matches.get(_ROLE, ()):
        if not _THING_AHEAD.match(text, match.end()):
            add(match["role"], *match.span("role"))
    for match in (*matches.get(_TO_AGENT, ()), *matches.get(_DE_TO_AGENT, ())):
        groups = match.groupdict()
        key = next((k for k in ("name", "named", "role", "titled") if groups.get(k)), "marked")
        if key != "marked" or _marked_recipient(match, vocabulary):
            # ("delegate to `plan` agent": marked and called an agent, a name even if a
            # word of the workflow's own)
            called = key == "marked" and _AGENT_NOUN_AFTER.match(text, match.end()) is not None
            add(match[key], *match.span(key), named=called)
    for match in matches.get(_VERB_NAME, ()):
        _verb_name(match, text, vocabulary, add)
    if vocabulary:
        for match in _STRONG_KNOWN.finditer(text):
            # "re-dispatch implementer with review feedback": a role the document names
            # elsewhere, plain after a launching verb
            after = match.end()
            if NOT_AGENT_AFTER.match(text, after) or _THING_AHEAD.match(text, after):
                continue  # "invoke bazinga-db skill": the name qualifies a skill
            if _NOUN_AHEAD.match(text, match.start("plain")):
                continue  # "spawn workers": unnamed ones, read as such below
            if match["plain"].lower() in vocabulary and match["plain"] not in NOT_A_NAME:
                add(match["plain"], *match.span("plain"))
    for match in matches.get(_ZH_VERB, ()):
        if match["unnamed"]:
            add(GENERIC_NAME, *match.span("unnamed"), named=True)
            continue
        written = first_group(match, ("bold", "code", "quoted", "mixed", "latin", "cjk"))
        if (
            written
            and not (written == "latin" and ordinary(match[written]))
            and _zh_named(match, written, text, vocabulary)
        ):
            if written == "cjk" and _ZH_HOW_MANY.match(match[written]):
                # "同时启动多个专业 agent", "启动该批次的所有任务" (all of the batch's tasks):
                # how many agents, not who; "使用相应的上下文": a phrase, no agent at all
                if match[written].endswith("任务") or _ZH_AGENT_AFTER.match(
                    text, match.end(written)
                ):
                    add(GENERIC_NAME, *match.span(written), named=True)
                continue
            add(match[written], *match.span(written))
            if written == "latin":
                # "激活 Frontend Developer + Rapid Prototyper": the same form again
                more = _ANOTHER_NAME.match(text, match.end(written))
                if more is not None and more["title"]:
                    add(more["title"], *more.span("title"))
    for match in matches.get(_PAREN_LIST, ()):
        if negated(text, match.start()):
            continue
        for name in re.finditer(r"`([\w:.-]+)`", match["list"]):
            start = match.start("list") + name.start(1)
            add(name[1], start, start + len(name[1]), named=True)
    for match in matches.get(_CJK_GENERIC, ()):
        if match["name"]:
            add(match["name"], *match.span("name"))
        else:
            add(GENERIC_NAME, *match.span("generic"), named=True)
    for match in matches.get(_NAME_VERB, ()):
        before = first_group(match, ("bold", "code", "at", "latin"))
        if (
            before == "latin"
            and match["verb"] in _WEAK_NAME_VERBS
            and not match["noun"]
            and not re.search(r"\w[-_]\w", match[before])  # ("security-reviewer を使用")
            and clean(match[before]).lower() not in vocabulary
        ):
            continue  # "git commit を実行してはならない": a command, not an agent
        if match["verb"] == "切り替え" and not match["noun"]:
            continue  # "`main` に切り替え": a branch switched to; an agent is called one
        if before:
            add(match[before], *match.span(before))
    named_nouns = {m.start("generic") for m in matches.get(_NOUN_NAME, ())}
    named_nouns |= {m.start() for m in matches.get(_PAREN_CHAIN, ())}  # "subagents (a → b)"
    for match in matches.get(_GENERIC, ()):
        if match.start("generic") in named_nouns:
            continue  # "spawn subagent `pm`": the noun of a named launch
        if found and _BACK_REFERENCE.search(text, match.end("verb"), match.start("generic")):
            continue  # "use a Haiku agent …, and ask the agent to …": the same agent again
        if text[match.start("verb") - 1 : match.start("verb")] in ('"', "“"):
            continue  # 'you need not say "run a subagent"': the words quoted, not a launch
        if match["verb"].lower().endswith("ing") and _WHEN_CLAUSE.search(
            text, 0, match.start("verb")
        ):
            continue  # "When spawning agents, include …": when it happens, not a launch
        if _HOW_TO.search(text, max(0, match.start("verb") - 20), match.start("verb")):
            continue  # "Decide when to use agents", "Learn how to spawn subagents": about it
        if NOT_AGENT_AFTER.match(text, match.end()):
            continue
        if match["generic"][:1].isupper() and ROLE_AS_TITLE.match(text, match.start("generic")):
            continue  # "ESCALATE to Agents Orchestrator": the noun starts a role's title
        named_after = _NAME_AFTER_NOUN.match(text, match.end())
        if named_after:
            # "Use o agente frontend-specialist para …", "spawn the agent code-reviewer": the
            # noun, then the agent's hyphenated name
            add(named_after["name"], *named_after.span("name"))
        else:
            add(GENERIC_NAME, *match.span("generic"), named=True)
    for match in matches.get(_AS_GENERIC, ()):
        if not any(0 <= match.start() - f.end <= 2 for f in found):  # "X as a subagent"
            add(GENERIC_NAME, *match.span("generic"), named=True)
    for match in matches.get(_TO_GENERIC, ()):
        group = "generic" if match["generic"] else "generic2"
        if NOT_AGENT_AFTER.match(text, match.end()):
            continue  # "delegate the work to specialized sub-agent skills"
        if not any(f.start <= match.start(group) < f.end for f in found):
            add(GENERIC_NAME, *match.span(group), named=True)
    for match in matches.get(_SPAWN_TASK, ()):
        add(GENERIC_NAME, *match.span("generic"), named=True)
    for match in matches.get(_MENTION_FIRST, ()):
        named = first_group(match, ("code", "words"))
        if named:
            add(match[named], *match.span(named), named=True)
    for match in matches.get(_PAREN_CHAIN, ()):
        if not _CHAIN_LEAD.search(text, max(0, match.start() - 80), match.start()):
            continue  # "coordination between specialist agents (a → b)": said of them, not run
        for name in re.finditer(r"[A-Za-z][\w-]*", match["chain"]):
            start = match.start("chain") + name.start()
            add(name[0], start, start + len(name[0]))
    for match in matches.get(_TASK_FOR, ()):
        named = first_group(match, ("bold", "code", "title"))
        if named:
            add(match[named], *match.span(named))
    if not found and "runSubagent" in text and _TOOL_CALLED.search(text):
        return _tool_launch(passage)  # ("runSubagent 호출": no form above named an agent)
    found.sort(key=lambda f: f.start)
    return found


#: A Chinese phrase after the verb that counts or qualifies rather than names: "多个专业"
#: (several specialised), "所有" (all), "该批次的所有任务" (all tasks of this batch).
_ZH_HOW_MANY = LazyPattern(r"(?:多个|几个|所有|全部|每个|各个|一些|这些|那些|该|各)|.*的")
_ZH_AGENT_AFTER = LazyPattern(
    r"\s*(?:" + alternation("agent", only=("zh",)) + r"|(?:sub-?)?agents?\b)", re.IGNORECASE
)

#: "使用" (use), "调用" (call) and "启动" (start) take tools, commands and functions as often as
#: agents ("调用查看", "启动命令"): like English "use", each makes an agent of a plain name only
#: with the noun after it ("使用代码审查智能体"), a name the document already delegates to, a
#: role ("研究员", "架构师") or, called or started, a hyphenated name ("调用 task-executor").
_ZH_WEAK = frozenset({"使用", "调用", "启动"})
_ZH_NOUN_AFTER = LazyPattern(r"\s*(?:" + alternation("agent", only=("zh",)) + r")")
_ZH_ROLE = LazyPattern(r"[\u4e00-\u9fff](?:师|员|者|家|官)$")


def _zh_named(match: re.Match[str], written: str, text: str, vocabulary: frozenset[str]) -> bool:
    if _ZH_THING_AFTER.match(text, match.end()) or _THING_LAST.search(match[written]):
        return False
    if match["verb"] not in _ZH_WEAK or written in ("bold", "code", "quoted"):
        return True
    if _ZH_NOUN_AFTER.match(text, match.end()):
        return True
    name = match[written]
    if written == "latin" and re.search(r"\s(?:sub-?)?agent$", name, re.IGNORECASE):
        return True  # "调用 detector agent": the noun read with the name, in English
    if written == "cjk" and _ZH_HOW_MANY.match(name):
        return True  # "同时启动该批次的所有任务": how many, which the caller weighs
    if written in ("cjk", "mixed") and _ZH_ROLE.search(name):
        return True
    if (
        written == "latin"
        and match["verb"] != "使用"  # ("使用 exa-code、WebSearch": tools as often)
        and name.isascii()
        and re.search(r"[a-z0-9]-[a-z]", name)
    ):
        return True  # "调用 task-executor": hyphenated as agents' names are
    return clean(name).lower() in vocabulary


#: "使用 `cn-patent-application` skill", "使用 `ccw team` CLI": a skill or a tool, not an agent
#: (the noun after the name, or the last word of a name read up to it).
_THINGS = r"(?:(?i:skills?|tools?|commands?|cli|scripts?|mcp)\b|技能|工具|命令|脚本)"
_ZH_THING_AFTER = LazyPattern(r"\s*" + _THINGS)
_THING_LAST = LazyPattern(r"\s" + _THINGS + r"$")


#: "the agent", "that subagent": a singular noun pointing back at an agent already named.
_BACK_REFERENCE = LazyPattern(r"\s(?:the|that|this|same)\s+(?:task\s+)?(?:\*\*)?$", re.IGNORECASE)

#: A negation just before the verb: the sentence forbids the delegation.
_NEGATED = LazyPattern(
    r"\b(?:not|never|n't|without|avoid|no\s+need\s+to|instead\s+of|rather\s+than)\b[^.;:\n]{0,25}$"
    # "- ❌ UI/UX design (→ Designer's responsibility)": an item of a list of what not to do
    r"|(?:^|\n)[ \t]*(?:[-*+][ \t]+)?[" + "".join(PROHIBITION_MARKS) + r"][^\n]*$",
    re.IGNORECASE,
)


def negated(text: str, start: int) -> bool:
    """Is what starts at `start` said not to be done? Not where the negation is in a
    clause saying when ("If the subsystem is not understood, call `investigator`")."""
    window = max(0, start - 40)
    found = _NEGATED.search(text, window, start)
    if found is None:
        return False
    return not (
        "," in text[found.start() : start]
        and _WHEN_OPEN.search(text, max(0, window - 80), found.start()) is not None
    )


#: A clause saying when, still open (no comma yet) where a negation follows.
_WHEN_OPEN = LazyPattern(r"\b(?:if|when|whenever|unless|once|where)\b[^,.;:\n]*$", re.IGNORECASE)


#: A word after "agent" that makes a compound noun of it ("agent name", "agent lists"):
#: the sentence speaks about agents rather than launching one.
_NOUN_COMPOUND = LazyPattern(
    r"\s+(?:names?|lists?|definitions?|files?|rosters?|config(?:uration)?s?|counts?|ids?"
    r"|descriptions?|frontmatter|catalog(?:ue)?s?|registry|format|templates?)\b",
    re.IGNORECASE,
)

#: "… for each affected spec", "… per module": one launch per item.
_FOR_EACH_AFTER = LazyPattern(r"\s+(?:for\s+(?:each|every)|per|one\s+per)\b", re.IGNORECASE)

#: "When spawning agents, …", "- Before invoking subagents:": a clause saying when, at the start
#: of a sentence or item, right before the verb; or later in it ("templates used by the
#: orchestrator when invoking subagents").
_WHEN_CLAUSE = LazyPattern(
    r"(?:(?:^|[.!?:]\s+|\n)[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+)?(?:\*\*)?(?:on|upon)"
    r"|\b(?:when|whenever|while|before|after))\s+$",
    re.IGNORECASE,
)
#: "when to", "how to", "whether to" right before the verb: the launch is spoken of.
_HOW_TO = LazyPattern(r"\b(?:when|how|whether)\s+to\s+$", re.IGNORECASE)
#: A determiner (and an adjective) right before a launch verb: the verb's word used as a
#: noun ("this identical dispatch", "the first launch", "each spawn"). ("Fix the issue using
#: the X agent" is no such case: "the" there is the object's.)
_VERB_AS_NOUN = LazyPattern(
    r"\b(?:the|this|that|these|those|each|every|its|their|your|our)\s+"
    r"(?:(?:same|identical|first|second|final|initial|next|last|previous|parallel|single)\s+)?$",
    re.IGNORECASE,
)
#: "launch **both Task tools in a single message**": how many are launched, in bold.
_COUNTED = LazyPattern(
    r"(?:both|all|two|three|four|five|six|several|multiple|\d+)\s", re.IGNORECASE
)
#: "the right specialist", "the appropriate reviewer": a word just before the name saying
#: the agent is whichever fits ("the appropriate developer agent" still says which kind:
#: the noun after the name, `_AGENT_NOUN_AFTER`).
_WHICH_ONE = LazyPattern(
    r"\b(?:right|appropriate|relevant|correct|suitable|matching|corresponding|respective"
    r"|proper)\s+$",
    re.IGNORECASE,
)
_AGENT_NOUN_AFTER = LazyPattern(r"\s+(?:sub-?)?agents?\b", re.IGNORECASE)
#: "**1 `reviewer`**", "**2 `researcher`s**": a count, then one agent's name in code.
_COUNTED_MARKED = LazyPattern(r"(?:\d+|one|two|three|a|an|un|una|um|uma)\s+`(?P<name>[\w:.-]+)`s?")
#: Three words or more, all in capitals: a label ("SSE ON ESCALATION"), not an agent's name.
_SHOUTED = LazyPattern(r"(?:[A-Z0-9][A-Z0-9_-]*\s+){2,}[A-Z0-9][A-Z0-9_-]*")
#: "one subagent", "a single sub-agent": a count of unnamed agents.
_HOW_MANY = LazyPattern(
    r"(?:one|a|an|single|another|a\s+single|one\s+fresh|a\s+fresh)\s+(?:sub-?)?agent\b",
    re.IGNORECASE,
)


class _Add(Protocol):
    def __call__(self, name: str, start: int, end: int, *, named: bool = False) -> None: ...


#: A plain word after a name that a weak verb ("use", "using") governs: the name qualifies
#: it ("using ArchitectUX foundation") rather than being the one set to work.
_ATTRIBUTIVE = LazyPattern(
    r"\s+(?!(?:to|for|and|or|in|on|with|as|at|from|when|if|then|after|before|via|by|until"
    r"|while|so|but|is|are|was|will|should|can|may|must|which|that|who|the|a|an|this|these"
    r"|its|their|each|all|first|next|now|again|directly|immediately|instead|only|also|here"
    r"|once|twice|later|too|both|together|proactively|mode|persona|role)\b)[a-z]{3,}\b(?![-(])"
)


def _verb_name(
    match: re.Match[str],
    text: str,
    vocabulary: frozenset[str],
    add: _Add,
) -> None:
    group = name_group(match)
    if group is None:
        return
    name = clean(match[group])
    after = match.end()
    if _VERB_AS_NOUN.search(text, max(0, match.start("verb") - 30), match.start("verb")):
        return  # "this identical dispatch **degrades to serial**": the verb's word as a noun
    # "ESCALATE to Agents Orchestrator": a role's title led by the agent noun names an agent
    # (its words alone are ordinary ones), not how many
    agent_title = (
        group == "title"
        and name.split()[0].lower() in ("agent", "agents")
        and ROLE_AS_TITLE.fullmatch(name) is not None
    )
    if group == "bold":
        counted = _COUNTED_MARKED.fullmatch(match[group])
        if counted is not None:
            # "lanza **1 `reviewer`**": how many, then who (the name in code in the bold)
            start = match.start(group) + counted.start("name")
            add(counted["name"], start, start + len(counted["name"]))
            return
    if match[group].startswith("/"):
        return  # "run `/subagents-doctor`": a slash command, whatever its name says
    if (
        (
            re.search(r"\b(?:sub-?)?(?:agents|agentes|agenten|agenti)\b", match[group], re.I)
            and not agent_title
        )
        or _HOW_MANY.match(match[group])
        or (group == "bold" and _COUNTED.match(match[group]))
    ):
        # "Launch **two agents simultaneously**", "Spawn **one subagent**": how many, not who
        add(GENERIC_NAME, *match.span(group), named=True)
        return
    # ("Spawn agent: mem-manager" is a line of its own: "Prompt: …" below it is no noun)
    keyed = match["key"] is not None and text[after : after + 1] in ("\n", "")
    if (
        (NOT_AGENT_AFTER.match(text, after) or _THING_AHEAD.match(text, after))
        and not match["noun"]
        and not keyed
    ):
        return  # "invoke the project emulation skill": the name qualifies a skill
    of_kind = _KIND_AHEAD.match(text, after) if not match["noun"] and not keyed else None
    if of_kind is not None:
        # "Launch use-case example agents", "Dispatch the `ceil(n / size)` judge sub-agents":
        # a kind of agent, none named; an instruction launches such agents, unnamed ones
        # ("before launching Phase 1 subagents" launches none)
        if _instruction(text, match):
            add(GENERIC_NAME, match.start(group), of_kind.end(), named=True)
        return
    known = name.lower() in vocabulary
    strong = _strong(match["verb"])
    marked = group in ("bold", "code", "at", "kebab", "quoted")
    if not (strong or marked or match["noun"]) and _ATTRIBUTIVE.match(text, after):
        return  # "using ArchitectUX foundation": the name qualifies a thing, runs nothing
    # "- Deploy academic-researcher for …", "Use `staff-engineer` to plan": an instruction
    # naming a hyphenated role ("deploy api-gateway" runs no agent, "# → triggers
    # performance-engineer" is a comment)
    noun = (
        match["noun"]
        or AGENT_SUFFIX.search(match[group])
        or (group == "kebab" and _ROUTED_ROLE.search(name) and _instruction(text, match))
        # ("Gọi `planner` …": a role word in backticks, alone, is a role's name too)
        or (group == "code" and _ROLE_NAME.search(name) and _instruction(text, match))
        # ("Run @glm, @deepseek and @qwen agents": the noun after the last of the names)
        or (marked and _MARKED_THEN_NOUN.match(text, after))
    )
    if not (noun or known or (strong and (marked or group == "title"))):
        return
    if group == "plain" and name.lower() in NOT_A_NAME:
        return  # "a generic subagent", "a fresh agent": no name at all
    if group == "plain" and match["noun"] and _NOUN_COMPOUND.match(text, match.end("noun")):
        return  # "use the exact agent name", "have hardcoded agent lists": about agents
    kind = group == "plain" or (group == "kebab" and _DESCRIBING_KEBAB.search(name) is not None)
    if kind and (match["noun"] or "").rstrip().lower().endswith("s"):
        # "spawn these research agents:", "Use the phase-specific sub-agents" name a kind
        # of agent, not one; "Dispatch fix subagents for each affected spec" launches
        # unnamed ones of that kind, one per item
        if strong and _FOR_EACH_AFTER.match(text, match.end("noun")):
            add(GENERIC_NAME, match.start(group), match.end("noun"), named=True)
        return
    if group == "title" and " " not in name and name.lower() in _ADJECTIVE_WORDS:
        return  # "Independent subagents must be launched in parallel": which kind, no name
    if group == "title" and not (noun or known) and " " not in name and len(name) < 3:
        return  # "spawn PM" needs the noun or the vocabulary: two capitals are too little
    if group in ("title", "quoted") and not known and _SHOUTED.fullmatch(name):
        return  # "SPAWN SSE ON ESCALATION", "Launch EXPLORATION AGENT NOW": a label in capitals
    if group == "bold" and not known and len(name.split()) > 4:
        return  # "launch **the reviewers for every changed package**": a phrase, not a name
    # `use the "task" agent`: quoted and called an agent, a name even if a tool's word
    add(name, *match.span(group), named=group == "quoted" or agent_title)
    # "Spawn `a` and `b` in parallel", "activate X, Y and Z": the same form repeated.
    position = after
    while True:
        more = _ANOTHER_NAME.match(text, position)
        if not more:
            break
        other = name_group(more)
        if other is None or (other == "title" and group != "title"):
            break
        add(more[other], *more.span(other))
        position = more.end()


#: More marked names, then the agent noun they share ("…, @deepseek and @qwen agents").
_MARKED_THEN_NOUN = LazyPattern(
    r"(?:[ \t]*(?:,|and|or|&|\+)?[ \t]*(?:@[\w.:-]+|`[^`\n]+`|\*\*[^*\n]+\*\*))+"
    r"[ \t]+(?:sub-?)?agents?\b",
    re.IGNORECASE,
)
#: A hyphenated name right after a singular agent noun ("the agent `code-reviewer`").
_NAME_AFTER_NOUN = LazyPattern(r"(?<![sS])[ \t]+`?(?P<name>[a-z][a-z0-9]*(?:-[a-z0-9]+)+)`?\b(?!-)")
#: A hyphenated word that describes agents rather than names one ("phase-specific",
#: "context-isolated", "review-focused", "per-ticket"): before a plural noun, a kind.
_DESCRIBING_KEBAB = LazyPattern(
    r"^(?:per|non|full|fresh|current|follow)-|-(?:specific|related|focused|isolated|selected"
    r"|appropriate|capable|capability|context|session|ticket|conflicting|up|based|driven|aware"
    r"|level|only|free|scoped|wide|safe)$",
    re.IGNORECASE,
)
#: A hyphenated name that says which role its agent plays ("l2-frontend-specialist").
_ROUTED_ROLE = LazyPattern(r"[-_]" + _ROLE_WORDS + r"$", re.IGNORECASE)
#: "- `research` → Researcher", "- API work → Senior Developer": a case routed to a role
#: written as its role word, capitalised (a word of seniority before it allowed).
_ROLE_TITLE = LazyPattern(
    r"(?:(?:senior|lead|principal|staff|junior|chief|tech)\s+)?" + _ROLE_WORDS, re.IGNORECASE
)
#: A role written as a title, as a list of agents to launch names its members ("**Architect**",
#: "**DevOps Engineer**", "**Senior QA Analyst**"): capitalised words, a role word last.
ROLE_AS_TITLE = LazyPattern(
    r"(?-i:(?:[A-Z][\w/&+.-]*\s+){0,2}(?=[A-Z]))" + _ROLE_WORDS, re.IGNORECASE
)
#: A list item that is a case and where it goes, nothing after ("- Frontend tasks → x").
#: (A list item's text reaches the reader without its marker: the marker is optional.)
_ROUTING_ITEM = LazyPattern(r"[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)?[^\n→]{2,80}$")


def _instruction(text: str, match: re.Match[str]) -> bool:
    """Does the verb of `match` lead its line (after a list marker), its sentence, or the
    main clause after one that says when ("If the subsystem is new, call `investigator`")?"""
    before = before_on_line(text, match.start())
    marker = " \t-*+>•0123456789.)"
    return not before.strip(marker) or _LEADS_AFTER.search(before.lstrip(marker)) is not None


#: What may stand before an instruction on its line: an earlier sentence, or a clause
#: saying when or in which case ("Otherwise, ", "Once the plan is approved, ").
_LEADS_AFTER = LazyPattern(
    r"[.!?][ \t]+$|^(?:if|when|whenever|once|after|before|unless|otherwise|then|next|finally"
    r"|first|afterwards|in\s+that\s+case|else)\b[^.!?;]*,[ \t]*$",
    re.IGNORECASE,
)


def _marked_recipient(match: re.Match[str], vocabulary: frozenset[str]) -> bool:
    """Is the marked name work is sent to an agent: handed over by a verb that only hands
    work to someone, or named as roles are ("`qa-expert`") or as the document's agents?"""
    name = match["marked"]
    return bool(
        _TO_SOMEONE.match(match.group())
        # ("Send the game description to `architect`": a role word alone names a role too)
        or _ROLE_NAME.search(name)
        or name.lower() in vocabulary
    )


def _routing_item(text: str, match: re.Match[str]) -> bool:
    """Does the arrow of `match` end a list item that routes a case to a role ("- Frontend
    tasks → l2-frontend-specialist")? A chain of roles in prose ("a → b → c") or a
    comment about one ("# → security-engineer auto-activates") routes nothing."""
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    after = text[match.end() : len(text) if end < 0 else end]
    return not after.strip(" .,;:`*") and bool(_ROUTING_ITEM.match(text, start, match.start()))


#: A word or two, then a noun of `NOT_AGENT_AFTER` (no agent noun between): the name opens
#: the name of a skill, a command, a tool ("the project emulation skill").
_THING_AHEAD = LazyPattern(
    r"(?:[ \t]+(?!(?:sub-?)?agents?\b)[\w-]+){1,2}?[ \t]+"
    r"(?:skill|skills|command|commands|tool|tools|script|workflow|mcp|server|hook)\b",
    re.IGNORECASE,
)

#: "Launch use-case example agents": the name and a word or two qualify a kind of agent
#: (plural), which names none of them ("codebase-locator and codebase-analyzer agents" names two).
_KIND_AHEAD = LazyPattern(
    r"(?:[ \t]+(?!(?:sub-?)?agents\b|and\b|or\b)[\w-]+){1,2}[ \t]+(?:sub-?)?agents\b", re.IGNORECASE
)


#: "Run #tool:runSubagent tool instructing the agent to …": the tool, run without naming an
#: agent, launches an unnamed one ("after #tool:runSubagent returns" runs nothing).
_RUN_TOOL = LazyPattern(
    # ("Dispatch one #runSubagent per changed file": one unnamed agent for each)
    r"\b(?:run|use|call|invoke|dispatch|launch|spawn|start)\s+(?:the\s+|one\s+|an?\s+)?"
    r"`?(?P<tool>#?(?:tool:)?(?:agent/)?runSubagent)\b`?"
    r"(?!\s*(?:\(|agentName|with\s*:))",  # "with:" then `agentName:`: named below
    re.IGNORECASE,
)


#: "#tool:agent/runSubagent 호출": the tool, then "call" in a language that says it after.
_TOOL_CALLED = LazyPattern(
    r"`?(?P<tool>#?(?:tool:)?(?:agent/)?runSubagent)`?\s*(?:を\s*)?(?:호출|调用|呼び出|起動|実行)"
)


def _tool_launch(passage: Passage) -> list[Found]:
    """The unnamed agent a sentence naming no agent launches with the subagent tool."""
    tool = _RUN_TOOL.search(passage.text) or _TOOL_CALLED.search(passage.text)
    if tool is None or negated(passage.text, tool.start()):
        return []
    start, end = tool.span("tool")
    return [Found(GENERIC_NAME, passage.span(start, end), start, end)]


#: "planner -> tdd-guide -> code-reviewer" alone on its line (in a code block, a list item):
#: the agents of a pipeline, in order.
_CHAIN = LazyPattern(
    r"^[ \t]*(?:[-*+][ \t]+)?(?P<chain>`?[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*`?"
    r"(?:[ \t]*(?:->|→|=>)[ \t]*`?[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*`?)+)[ \t]*$"
)
_CHAIN_NAME = LazyPattern(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")
#: A lead-in ending in a colon, then the chain ("1) Invoke in order with the Task tool: …").
_LED_CHAIN = LazyPattern(
    r"^[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+)?(?P<lead>[^\n:：`]{3,80})[:：][ \t]*"
    r"(?P<chain>`?[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*`?"
    r"(?:[ \t]*(?:->|→|=>)[ \t]*`?[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*`?){2,})[ \t]*$"
)
#: A lead-in that launches agents: a delegation verb of the language table, or the agent tool.
_LAUNCHING_LEAD = LazyPattern(
    r"\b(?:" + alternation("delegate", skip=_SPACELESS) + r"|invoca|invoke|invoque|dispatch"
    r"|task\s+tool|agent\s+tool|sub-?agents?|agents?)\b",
    re.IGNORECASE,
)
#: A name that says its bearer is a role: "reviewer", "code-reviewer", "tdd_guide".
_ROLE_NAME = LazyPattern(r"(?:^|[-_])" + _ROLE_WORDS + r"$|(?:^|[-_])(?:explorer|guide|writer)$")


def chain_line(text: str) -> bool:
    """Is `text` one line that chains names with arrows ("planner -> tdd-guide"), maybe
    after a lead-in that launches them ("Invoke in order: a → b → c")?"""
    return ("->" in text or "→" in text) and (
        _CHAIN.match(text) is not None or _LED_CHAIN.match(text) is not None
    )


def _chain(passage: Passage, vocabulary: frozenset[str]) -> list[Found]:
    """The agents of a pipeline written as a chain of names ("planner -> tdd-guide ->
    code-reviewer"), when each is a role or a known agent (not "main -> develop ->
    release"); after a lead-in that launches agents ("Invoca in ordine con Task tool:
    system-architect → db-steward → docs-scribe"), each hyphenated name is one."""
    text = passage.text
    chain = _CHAIN.match(text) or _LED_CHAIN.match(text)
    if chain is None:
        return []
    launching = "lead" in chain.re.groupindex and _LAUNCHING_LEAD.search(chain["lead"])
    names = list(_CHAIN_NAME.finditer(text, chain.start("chain"), chain.end("chain")))
    if not all(
        _ROLE_NAME.search(name[0])
        or name[0] in vocabulary
        or (launching and ("-" in name[0] or "_" in name[0]))
        for name in names
    ):
        return []  # ("- fixable → debugger → implementer → re-verify": a case, then actions)
    return [Found(name[0], passage.span(*name.span()), *name.span()) for name in names]


#: ", `b`", " and Z", ", and, when needed, `researcher`": one more name in the same form;
#: "run `sdd-explore` then `sdd-propose`", "run `a` → `b` → `c`": the next one after it.
_ANOTHER_NAME = LazyPattern(
    # ("`@security-auditor` (Audit), `@migrator` (Schema), …": a note after each name)
    r"(?:[ \t]*[(（][^()（）\n]{1,30}[)）])?"
    r"(?:\s*,\s*(?:and\s+|or\s+|dan\s+|und\s+|y\s+|e\s+|et\s+)?|\s+(?:and|or|AND|OR)\s+"
    # ("…, dan `@logic-builder`": "and" in other languages, before a marked name)
    r"|\s+(?:dan|und|y|e|et|ve|và|и)\s+(?=[`*@])|\s*\+\s*|\s*&\s*"
    r"|\s*,?\s+(?:and\s+)?then\s+|\s*(?:→|->)\s*(?=[`*])|[ \t]+(?=@[A-Za-z])"
    # "`scout` and, when needed, `researcher`": a short clause between marked names
    r"|\s*,?\s*(?:and|or)\s*,[^`*\n]{1,30},\s*)" + NAME
)


@lru_cache(maxsize=1024)  # a document says the same few verbs again and again
def _strong(verb: str) -> bool:
    """Is `verb` (in any inflection: "dispatches", "spawning") a strong delegation verb?"""
    head, _, rest = verb.lower().partition(" ")
    stems = {head, re.sub(r"(?:es|s|ed|ing)$", "", head), re.sub(r"(?:s|d|ing)$", "", head)}
    stems |= {stem + "e" for stem in list(stems)}
    return any(
        re.fullmatch(_STRONG, f"{stem} {rest}".strip(), re.IGNORECASE) for stem in stems if stem
    )


def invocation(found: Found, description: str | None = None) -> Invocation:
    return Invocation(
        form="line",
        agent=found.name,
        agent_span=found.span,
        span=found.span,
        first_line=found.span.line,
        description=description,
        provenance="inferred",
    )


__all__ = ["GENERIC_NAME", "Found", "invocation", "prose_delegations"]
