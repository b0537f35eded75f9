"""Gates before expensive patterns (compiler.parse.gates): quicker, never a wrong "no"."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compiler.parse.delegation import _GATES, _VERB_WORDS, _WORD, _verb_starts
from compiler.parse.gates import Gate, _ascii_words, lowered


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
    assert _ascii_words("ſpawn") is None  # folds to "spawn" under IGNORECASE


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
