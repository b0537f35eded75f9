"""How names compare: the normalisation every reference and produced item goes through.

A reference rarely repeats an item's name letter for letter (`[all investigation results]`,
`[customer impact]` for "Customer impact analysis"), so names are compared as sets of
content words: lower case, punctuation dropped, filler words dropped, plural endings folded.
"""

from __future__ import annotations

import difflib
from collections import Counter
from functools import lru_cache

from compiler.regex import LazyPattern


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words that say how much or which of something, not what it is (DESIGN §4).
FILLER = _wordset(
    "a an the all any each every complete completed full entire whole final current "
    "latest selected chosen relevant resulting result results data output outputs from "
    "previous prior earlier above preceding of and or for to in on at by with into its "
    "their this that these those our your his her it is are be as so such"
)

#: Words that name a kind of container rather than its content ("Branch A results").
STRUCTURAL = _wordset(
    "phase phases stage stages step steps branch branches path paths option options route "
    "routes track tracks stream streams lane lanes agent agents work findings finding"
)

#: Words that turn a reference into an aggregate over a container's outputs.
AGGREGATE_MARKERS = frozenset(("all", "selected", "chosen", "every", "combined", "aggregated"))

#: Letters and digits of any script ("incident brief", "影响评估", "план обновления").
_WORD = LazyPattern(r"[^\W_]+")

#: At or above this difflib ratio two names are a likely misspelling of one another.
FUZZY_RATIO = 0.85


def words(text: str) -> list[str]:
    """Lower-case alphanumeric words, in order."""
    return _WORD.findall(text.lower())


def singular(word: str) -> str:
    """Fold a plural ending so "systems" meets "system" (crude, applied to both sides)."""
    if len(word) > 5 and word.endswith(("yses", "eses")):
        return word[:-2] + "is"  # analyses → analysis, hypotheses → hypothesis
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """The exact-match key: words joined by single spaces, plural endings folded."""
    return " ".join(singular(word) for word in words(text))


@lru_cache(maxsize=8192)
def content_tokens(text: str) -> frozenset[str]:
    """The words that carry meaning: filler dropped, plurals folded."""
    return frozenset(singular(w) for w in words(text) if w not in FILLER)


@lru_cache(maxsize=8192)
def title_tokens(text: str) -> frozenset[str]:
    """Content words minus words naming a kind of container ("Branch A results" → {a})."""
    return frozenset(singular(w) for w in words(text) if w not in FILLER and w not in STRUCTURAL)


def has_aggregate_marker(text: str) -> bool:
    return any(word in AGGREGATE_MARKERS for word in words(text))


def similarity(left: str, right: str) -> float:
    """difflib ratio of the normalised names (1.0 = identical)."""
    return difflib.SequenceMatcher(None, normalise(left), normalise(right)).ratio()


def similarity_from(left: str, right: str, cutoff: float) -> float:
    """`similarity(left, right)` when it may reach `cutoff`, else 0.0. The full ratio is
    quadratic; difflib's two upper bounds (lengths, then letters in common) rule most pairs
    out first, so a search for names at least `cutoff` alike gets the same answer sooner."""
    a, b = normalise(left), normalise(right)
    total = len(a) + len(b)
    # difflib's real_quick_ratio, before building a matcher: the lengths alone
    if total and 2.0 * min(len(a), len(b)) / total < cutoff:
        return 0.0
    # difflib's quick_ratio, the letters in common, without building a matcher for it
    if total and 2.0 * (_letters(a) & _letters(b)).total() / total < cutoff:
        return 0.0
    return difflib.SequenceMatcher(None, a, b).ratio()


@lru_cache(maxsize=8192)
def _letters(text: str) -> Counter[str]:
    """The letters of a name, counted once: a near-miss search compares one reference
    with every produced item, and every item with each reference. (Read, never changed.)"""
    return Counter(text)


def quote(text: str) -> str:
    return "'" + " ".join(text.split()) + "'"
