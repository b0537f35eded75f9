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
from dataclasses import dataclass, field

from compiler.regex import LazyPattern

#: Regex syntax beyond a plain alternation of words: such a hint needs its words given.
_SYNTAX = LazyPattern(r"\\[^.]|(?<!\\)\.|[\[\](){}?*+^$]")
#: The non-ASCII characters a case-insensitive regex matches to an ASCII letter.
_FOLDS_TO_ASCII = LazyPattern("[\u0130\u0131\u017f\u212a]")


@dataclass(frozen=True)
class Lowered:
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
    hint: LazyPattern
    #: one of these is in the lower-cased text of any ASCII text the hint matches (given
    #: words must be literal parts of the hint); None when not known (the text then goes
    #: straight to the regex)
    words: tuple[str, ...] | None
    #: the hint is ASCII, so the words test holds for non-ASCII text too (see above)
    ascii_hint: bool = False
    #: the words as one case-sensitive regex over lower-cased text: a literal search is
    #: quicker than a loop of substring tests; None when there are no words
    _finder: LazyPattern | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, hint: str, words: tuple[str, ...] | None = None) -> Gate:
        known = words if words else _ascii_words(hint)
        finder = LazyPattern("|".join(map(re.escape, known))) if known else None
        return cls(LazyPattern(hint, re.IGNORECASE), known, hint.isascii(), finder)

    def admits(self, text: str, lower: Lowered) -> bool:
        """May `text` hold a match? `lower` is `lowered(text)`."""
        if (
            self.words is not None
            and lower.text is not None
            and (lower.ascii or self.ascii_hint)
            and (self._finder is None or self._finder.search(lower.text) is None)
        ):
            return False
        return self.hint.search(text) is not None


def _ascii_words(hint: str) -> tuple[str, ...] | None:
    """The words of a hint that is a plain alternation (`a|b|c`, `\\.` allowed) that ASCII
    text can match. An alternative in a caseless script (CJK, kana, hangul) matches no ASCII
    text under any case folding, so it adds no word; one with other non-ASCII letters (which
    may fold to ASCII ones, as `ſ` to `s`) leaves the words unknown."""
    if _SYNTAX.search(hint):
        return None
    words: list[str] = []
    for alternative in hint.replace("\\.", ".").split("|"):
        if alternative.isascii():
            words.append(alternative.lower())
        elif any(ch.lower() != ch or ch.upper() != ch for ch in alternative):
            return None
    return tuple(words)
