"""Near misses: is a word a likely misspelling of a keyword (`Ouput` for `Output`,
`subagent_typ` for `subagent_type`)? Shared by the parser (keywords that introduce a step)
and the checks (field keys), so both apply the same test.

The test is deliberately strict, because a "did you mean" that is wrong teaches users to
ignore the rule: the first letter must match (typing slips rarely hit it), short words may
differ by one edit and longer ones by two (a swap of neighbours counts as one), and a plural
or singular variant is the same word, not a typo.
"""

from __future__ import annotations

from collections.abc import Iterable


def edit_distance(left: str, right: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    adjacent characters each count one."""
    rows = len(left) + 1
    cols = len(right) + 1
    table = [[0] * cols for _ in range(rows)]
    for i in range(rows):
        table[i][0] = i
    for j in range(cols):
        table[0][j] = j
    for i in range(1, rows):
        for j in range(1, cols):
            cost = 0 if left[i - 1] == right[j - 1] else 1
            best = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and left[i - 1] == right[j - 2] and left[i - 2] == right[j - 1]:
                best = min(best, table[i - 2][j - 2] + 1)
            table[i][j] = best
    return table[-1][-1]


def same_word(left: str, right: str) -> bool:
    """Equal, or one is the other's plural ("Instruction" / "Instructions")."""
    return left == right or left + "s" == right or right + "s" == left


def near_miss(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate `word` most likely misspells, or None. Case does not count as a
    difference; separators (`-`, `_`, spaces) are ignored when counting edits, so
    `subagent-type` is a near miss of `subagent_type`."""
    key = _fold(word)
    if not key:
        return None
    best: tuple[int, str] | None = None
    for candidate in sorted(set(candidates)):
        target = _fold(candidate)
        if word.lower() == candidate.lower() or not target or key[0] != target[0]:
            continue
        if key != target and same_word(key, target):
            continue
        allowed = 1 if min(len(key), len(target)) <= 6 else 2
        distance = edit_distance(key, target)
        if distance <= allowed and (best is None or distance < best[0]):
            best = (distance, candidate)
    return best[1] if best else None


def _fold(word: str) -> str:
    return "".join(ch for ch in word.lower() if ch.isalnum())


def match_case(written: str, word: str) -> str:
    """`word` in the case the author wrote its misspelling in: `Phsae` → `Phase`, `OUPUT` →
    `OUTPUT`, `ouput` → `output`."""
    if written.isupper() and len(written) > 1:
        return word.upper()
    if written[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
