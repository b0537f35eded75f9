"""Cheap tests run before an expensive pattern: a `Gate` says whether a text may hold a
match at all, and is never wrong when it says no.

The hint is a case-insensitive regex the pattern cannot match without. For most text a
case-insensitive search for an ASCII word is a substring test on the lower-cased text, far
quicker than a regex scan of every position: so a gate also knows the words (lower case)
one of which every match of its hint contains, and tries them first. That holds for ASCII
text; for other text it holds when the hint itself is ASCII and the text has none of the
four characters IGNORECASE matches to an ASCII letter (İ ı ſ K): the hint's letters can then
match only ASCII letters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from compiler.regex import LazyPattern

#: Regex syntax beyond a plain alternation of words: such a hint needs its words given.
_SYNTAX = LazyPattern(r"\\[^.]|(?<!\\)\.|[\[\](){}?*+^$]")
#: The non-ASCII characters a case-insensitive regex matches to an ASCII letter.
_FOLDS_TO_ASCII = LazyPattern("[\u0130\u0131\u017f\u212a]")


class Lowered(NamedTuple):
    """A text in lower case for the gates' word tests, once per text."""

    #: `text.lower()`; None when the text holds a character that folds to an ASCII letter
    #: (no word test is sound then)
    text: str | None
    ascii: bool


def lowered(text: str) -> Lowered:
    if text.isascii():
        return Lowered(text.lower(), True)
    return Lowered(None if _FOLDS_TO_ASCII.search(text) else text.lower(), False)


@dataclass(frozen=True)
class Gate:
    """A cheap test of whether a text may hold a match of a pattern (see the module docstring)."""

    hint: LazyPattern
    #: one of these is in the lower-cased text of any ASCII text the hint matches (given
    #: words must be literal parts of the hint); None when not known (the text then goes
    #: straight to the regex)
    words: tuple[str, ...] | None
    #: the hint is ASCII, so the words test holds for non-ASCII text too (see above)
    ascii_hint: bool = False
    #: the words are the hint's own alternatives (not given): an ASCII text holding one
    #: of them is matched by the hint, so the regex need not be asked
    exact: bool = False

    @classmethod
    def of(cls, hint: str, words: tuple[str, ...] | None = None) -> Gate:
        known = words if words else _ascii_words(hint)
        exact = not words and known is not None
        return cls(LazyPattern(hint, re.IGNORECASE), known, hint.isascii(), exact)

    def admits(self, text: str, lower: Lowered) -> bool:
        """May `text` hold a match? `lower` is `lowered(text)`."""
        if self.words is not None and lower.text is not None and (lower.ascii or self.ascii_hint):
            if not holds_any(lower.text, self.words):
                return False
            if self.exact and lower.ascii:
                return True  # (one of the hint's words, in any case: see `exact`)
        return self.hint.search(text) is not None


def holds_any(text: str, words: tuple[str, ...]) -> bool:
    """Is one of `words` in `text`? A substring test each, in a plain loop: over the texts
    the recognisers gate (a line or a paragraph, ~100-170 characters), quicker than one
    regex alternation of the words, by half for the gates here (1 to 4 words) and still by
    a fifth for a table's 45. (Not `any(…)`: its generator costs more than the tests.)"""
    for word in words:  # noqa: SIM110  (see above)
        if word in text:
            return True
    return False


#: The four non-ASCII characters IGNORECASE matches to an ASCII letter, and that letter.
_ASCII_FOLD = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}


def _ascii_words(hint: str) -> tuple[str, ...] | None:
    """The words of a hint that is a plain alternation (`a|b|c`, `\\.` allowed) that ASCII
    text can match. An alternative with another non-ASCII character (any of Cyrillic, CJK,
    `ş`, `É`) matches no ASCII text under IGNORECASE, so it adds no word; one whose only
    non-ASCII characters are of those four is spelt in ASCII (`Adım` matches "ADIM")."""
    if _SYNTAX.search(hint):
        return None
    words: list[str] = []
    for alternative in hint.replace("\\.", ".").split("|"):
        if all(ch.isascii() or ch in _ASCII_FOLD for ch in alternative):
            words.append("".join(_ASCII_FOLD.get(ch, ch) for ch in alternative).lower())
    return tuple(words)


# --- word-gated patterns ----------------------------------------------------------------

#: Characters `re.IGNORECASE` matches to letters `str.lower()` does not turn them into (re's
#: extra case equivalences: ſ ~ s, ı ~ i, ᲀ ~ в, ς ~ σ …, and the letters they pair with
#: outside ASCII), and İ, whose lower case is two characters. A word test over the
#: lower-cased text is sound only for a text holding none of them, with words holding none.
#: (The letters of a regex character class: `ᲀ-ᲈ` is a range.)
_CASE_TRAPS = (
    "\u00b5\u0130\u0131\u017f\u0345\u0390\u03b0"  # µİıſͅΐΰ
    "\u03b2\u03b5\u03b8\u03b9\u03ba\u03bc\u03c0"  # βεθικμπ
    "\u03c1\u03c2\u03c3\u03c6\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5"  # ρςσφϐϑϕϖϰϱϵ
    "\u0432\u0434\u043e\u0441\u0442\u044a\u0463\u1c80-\u1c88"  # вдостъѣ ᲀ…ᲈ
    "\u1e61\u1e9b\u1fbe\u1fd3\u1fe3\ua64b\ufb05\ufb06"  # ṡẛιΐΰꙋﬅﬆ
)
_CASE_TRAP = re.compile(f"[{_CASE_TRAPS}]")
#: Pieces of a phrase a word can be: no blanks (a pattern reads them as `\s+`), no traps.
_PIECE_BREAK = re.compile(rf"[\s{_CASE_TRAPS}]+")


def lower_for_words(text: str) -> str | None:
    """`text.lower()`, or None when a word test over it would not be sound (see _CASE_TRAPS)."""
    if text.isascii():
        return text.lower()
    return None if _CASE_TRAP.search(text) else text.lower()


#: The last text a `WordGated` pattern lowered, and what `lower_for_words` made of it: the
#: recognisers ask several gated patterns in a row about one text (two calls in three over
#: the corpora are about the text of the call before). The text is held, so no other string
#: can take its place at its address: `is` tells it is the same one.
_last_lowered: tuple[str, str | None] = ("", "")


def phrase_words(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """A word each phrase of a table cannot be written without: its longest piece (lower
    case) between blanks and case traps. Derived, so a phrase added to the table is covered."""
    words: list[str] = []
    for phrase in phrases:
        pieces = _PIECE_BREAK.split(phrase.lower())
        words.append(max(pieces, key=len))
    return tuple(dict.fromkeys(words))


class WordGated:
    """A case-insensitive pattern that is run only on text holding one of `words`: lower
    case, free of case traps, and such that every match of the pattern holds one of them.
    Long alternations of phrases cost a regex scan of every position even where the text
    holds none of them (most text); substring tests of the lower-cased text are far quicker."""

    def __init__(self, pattern: re.Pattern[str] | LazyPattern, words: tuple[str, ...]) -> None:
        assert words and all(w and w == w.lower() for w in words), words
        assert not any(_CASE_TRAP.search(word) for word in words), words
        self.pattern = pattern
        self.words = words

    def may_match(self, text: str) -> bool:
        global _last_lowered
        last_text, lower = _last_lowered
        if text is not last_text:
            lower = lower_for_words(text)
            _last_lowered = (text, lower)  # one tuple: a thread reads both or neither
        return lower is None or holds_any(lower, self.words)

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.may_match(text) else None

    def match(self, text: str) -> re.Match[str] | None:
        return self.pattern.match(text) if self.may_match(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self.may_match(text) else iter(())
