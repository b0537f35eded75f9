"""Cheap tests run before an expensive pattern: a `Gate` says whether a text may hold a
match at all, and is never wrong when it says no.

The hint is a case-insensitive regex the pattern cannot match without. Most text is ASCII,
and for ASCII text a case-insensitive search for an ASCII word is a substring test on the
lower-cased text, far quicker than a regex scan of every position: so a gate also knows the
words (lower case) one of which every ASCII match of its hint contains, and tries them first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Regex syntax beyond a plain alternation of words: such a hint needs its words given.
_SYNTAX = re.compile(r"\\[^.]|(?<!\\)\.|[\[\](){}?*+^$]")


@dataclass(frozen=True)
class Gate:
    hint: re.Pattern[str]
    #: one of these is in the lower-cased text of any ASCII text the hint matches; None
    #: when not known (ASCII text then goes straight to the regex)
    words: tuple[str, ...] | None

    @classmethod
    def of(cls, hint: str, words: tuple[str, ...] | None = None) -> Gate:
        return cls(re.compile(hint, re.IGNORECASE), words if words else _ascii_words(hint))

    def admits(self, text: str, ascii_lower: str | None) -> bool:
        """May `text` hold a match? `ascii_lower` is `text.lower()` when the text is ASCII,
        else None."""
        if (
            ascii_lower is not None
            and self.words is not None
            and not any(word in ascii_lower for word in self.words)
        ):
            return False
        return self.hint.search(text) is not None


def ascii_lower(text: str) -> str | None:
    return text.lower() if text.isascii() else None


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
