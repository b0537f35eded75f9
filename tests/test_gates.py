"""Gates before expensive patterns (compiler.parse.gates): quicker, never a wrong "no"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler.parse import patterns as p
from compiler.parse.delegation import _GATES, _VERB_WORDS, _WORD, _verb_starts
from compiler.parse.gates import _CASE_TRAP, Gate, _ascii_words, lowered, phrase_words
from compiler.parse.languages import words
from compiler.parse.misspellings import _AGENT_KEY as _MISSPELT_AGENT_KEY


def test_words_of_a_plain_alternation():
    assert _ascii_words(r"agent_spawn|runs\.|spawn_agent") == (
        "agent_spawn",
        "runs.",
        "spawn_agent",
    )
    assert _ascii_words("→|->|=>") == ("->", "=>")
    assert _ascii_words("使用|委任") == ()  # a caseless script: no ASCII text holds it


def test_words_unknown_where_the_hint_is_more_than_words():
    assert _ascii_words(r"\bas\s+an?\s") is None
    assert _ascii_words("a.b") is None  # a bare dot is any character


def test_words_of_an_alternative_ascii_text_can_match():
    assert _ascii_words("ſpawn") == ("spawn",)  # folds to "spawn" under IGNORECASE
    assert _ascii_words("Adım|Aşama|Phase") == ("adim", "phase")  # ş matches no ASCII letter
    gate = Gate.of("Adım|Aşama")
    assert gate.admits("ADIM 2", lowered("ADIM 2"))
    assert not gate.admits("Asama 2", lowered("Asama 2"))
    assert gate.admits("Aşama 2", lowered("Aşama 2"))


def test_an_ascii_text_without_the_words_is_turned_away():
    gate = Gate.of(r"\bas\s+an?\s", ("as",))
    assert not gate.admits("Run the reviewer.", lowered("Run the reviewer."))
    assert gate.admits("Run it AS A subagent", lowered("Run it AS A subagent"))
    assert not Gate.of("使用").admits("use it", lowered("use it"))
    assert Gate.of("使用").admits("使用 x", lowered("使用 x"))


def test_a_non_ascii_text_is_turned_away_by_an_ascii_hint():
    gate = Gate.of(r"\bTask\s", ("task",))
    assert not gate.admits("Run the reviewer — now.", lowered("Run the reviewer — now."))
    assert gate.admits("Run the TASK — now.", lowered("Run the TASK — now."))
    # "ſ" matches "s" under IGNORECASE: no word test for such a text
    assert gate.admits("Run the Taſk — now.", lowered("Run the Taſk — now."))
    assert Gate.of("→|->").admits("a → b", lowered("a → b"))


_TEXT = st.text(
    alphabet=st.sampled_from("asASnTtk K-=>→@_:#.<> \n使用ſİı—é") | st.characters(), max_size=40
)


@given(_TEXT)
def test_every_delegation_gate_admits_whatever_its_hint_matches(text):
    for gate in _GATES.values():
        if gate.hint.search(text):
            assert gate.admits(text, lowered(text))


@given(_TEXT)
def test_verb_starts_are_those_of_the_word_scan(text):
    lower = lowered(text)
    expected = [m.start() for m in _WORD.finditer(text) if m.group().lower() in _VERB_WORDS]
    assert _verb_starts(text, lower.text if lower.ascii else None) == expected
    for word in ("spawn", "re-dispatch", "Use", "running"):
        padded = f"{text} {word} {text}"
        found = [m.start() for m in _WORD.finditer(padded) if m.group().lower() in _VERB_WORDS]
        assert _verb_starts(padded, padded.lower() if padded.isascii() else None) == found


# --- word-gated patterns ----------------------------------------------------------------

_WORD_GATED = {
    "PARALLEL_CUE": p.PARALLEL_CUE,
    "PARALLEL_WITH_STEP": p.PARALLEL_WITH_STEP,
    "LOOP_RETURN": p.LOOP_RETURN,
    "WAIT_FOR_USER": p.WAIT_FOR_USER,
    "SAVE_FILE": p.SAVE_FILE,
    "CREATE_FILE": p.CREATE_FILE,
    "misspelt agent key": _MISSPELT_AGENT_KEY,
}


def test_case_traps_hold_every_extra_case_equivalence_of_re():
    """A letter re matches case-insensitively to another than its str.lower() would make a
    word test unsound: every such letter outside ASCII is a trap (Python's own table)."""
    casefix = pytest.importorskip("re._casefix")
    letters = {chr(c) for c, equal in casefix._EXTRA_CASES.items() for c in (c, *equal)}
    traps = {ch for ch in letters if not ch.isascii()} | {"İ"}
    assert all(_CASE_TRAP.fullmatch(ch) for ch in traps)
    assert not any(_CASE_TRAP.fullmatch(chr(c)) for c in range(0x3000) if chr(c) not in traps)


def test_phrase_words_are_pieces_without_blanks_or_traps():
    assert phrase_words(("at the same time", "одновременно", "eşzamanlı", "fan-out")) == (
        "same",
        "ременн",
        "eşzamanl",
        "fan-out",
    )


def test_every_phrase_of_the_parallel_table_passes_the_gate():
    for phrase in words("parallel"):
        for written in (phrase, phrase.upper(), phrase.title()):
            text = f"Run them {written}."
            if p.PARALLEL_CUE.pattern.search(text):
                assert p.PARALLEL_CUE.search(text), written


#: Pieces of the words and phrases the gated patterns look for, case traps among them.
_GATED_TEXT = st.lists(
    st.sampled_from(list("asASnTtkK-_=>→ \n\t.`'/ſİıᲂоОвВusrwpcdlmgvebf同时并行"))
    | st.sampled_from(
        ["in parallel", "at once", "wait for", "return to step 2", "save to ", "x.md",
         "docs/a.md", "-o ", "subagent_typ=", '"x"', "user", "before proceeding",
         "одновременно", "同时", "simultáneamente", "CONCURRENTLY with step 3"]
    ),
    max_size=12,
).map("".join)  # fmt: skip


@given(_GATED_TEXT)
def test_a_word_gate_never_turns_away_a_text_its_pattern_matches(text):
    for name, gated in _WORD_GATED.items():
        if gated.pattern.search(text):
            assert gated.search(text), name
        assert [m.span() for m in gated.finditer(text)] == [
            m.span() for m in gated.pattern.finditer(text)
        ], name


def test_verb_starts_survive_a_lone_surrogate() -> None:
    """An editor may send text holding a lone surrogate (JSON allows `\\ud800`): the verb
    scan reads it as a non-letter instead of failing to encode it."""
    assert _verb_starts("\ud800 spawn a reviewer", None) == [2]


#: Sentences each delegation pattern matches (the forms of `compiler.parse.delegation`).
_DELEGATING = [
    "Launch the subagent named `reviewer` now.",
    "Invoca al subagente `desarrollador` para el cambio.",
    "Запусти субагента `tester` сразу.",
    "Schick die Datei an den `reviewer` weiter.",
    "Übergib die Aufgabe an die **architektin**.",
    "レビューは subagent に委任する。",
    "security-reviewer エージェントで確認する。",
    "구현은 서브에이전트에게 위임한다.",
    "Run it as a subagent for the checks.",
    "Delegate the fix to the `debugger` agent.",
    "Use @agent-reviewer for the review.",
    '#runSubagent agentName="tester"',
    "<new_task><mode>code</mode></new_task>",
    'agent_spawn { type: "researcher", agent: "lead" }',
    "Spawn a general task for each phase.",
]


@pytest.mark.parametrize("text", _DELEGATING)
def test_a_delegation_gate_admits_every_text_its_pattern_matches(text):
    matched = [pattern for pattern, gate in _GATES.items() if pattern.search(text)]
    assert matched, "no delegation pattern reads this sentence any more"
    for pattern in matched:
        assert _GATES[pattern].admits(text, lowered(text)), pattern.pattern[:60]
