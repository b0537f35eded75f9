"""Gates before expensive patterns (compiler.parse.gates): quicker, never a wrong "no"."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compiler.parse.delegation import _GATES
from compiler.parse.gates import Gate, _ascii_words, ascii_lower


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
    assert not gate.admits("Run the reviewer.", ascii_lower("Run the reviewer."))
    assert gate.admits("Run it AS A subagent", ascii_lower("Run it AS A subagent"))
    assert not Gate.of("使用").admits("use it", ascii_lower("use it"))
    assert Gate.of("使用").admits("使用 x", ascii_lower("使用 x"))


_TEXT = st.text(
    alphabet=st.sampled_from("asASnTtk K-=>→@_:#.<> \n使用ſ") | st.characters(), max_size=40
)


@given(_TEXT)
def test_every_delegation_gate_admits_whatever_its_hint_matches(text):
    for gate in _GATES.values():
        if gate.hint.search(text):
            assert gate.admits(text, ascii_lower(text))
