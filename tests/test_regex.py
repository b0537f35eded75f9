"""`LazyPattern`: compiled on first use, and then the same as the compiled pattern."""

from __future__ import annotations

import re

import pytest

from compiler.regex import LazyPattern

SOURCE = r"(?P<word>st\w+)\s*(?P<num>\d+)?"
TEXT = "Step 1, stage 2 and STAGE"


def test_nothing_is_compiled_before_the_first_match(monkeypatch):
    compiled: list[str] = []
    real_compile = re.compile

    def counting_compile(source: str, flags: int = 0) -> re.Pattern[str]:
        compiled.append(source)
        return real_compile(source, flags)

    monkeypatch.setattr(re, "compile", counting_compile)
    pattern = LazyPattern(SOURCE, re.IGNORECASE)
    assert pattern.pattern == SOURCE  # readable without compiling
    assert compiled == []
    pattern.search(TEXT)
    pattern.search(TEXT)
    pattern.match(TEXT)
    assert compiled == [SOURCE]  # once, whichever method came first


@pytest.mark.parametrize(
    "call",
    [
        lambda p: p.match(TEXT),
        lambda p: p.match(TEXT, 8),
        lambda p: p.fullmatch("stage 2"),
        lambda p: p.search(TEXT, 2, 20),
        lambda p: list(p.finditer(TEXT)),
        lambda p: p.findall(TEXT),
        lambda p: p.sub("<\\g<word>>", TEXT),
        lambda p: p.sub(lambda m: m["word"].upper(), TEXT, 1),
        lambda p: p.subn("x", TEXT),
        lambda p: p.split(TEXT, 1),
    ],
)
def test_every_method_answers_as_the_compiled_pattern_does(call):
    compiled = re.compile(SOURCE, re.IGNORECASE)
    first, later = LazyPattern(SOURCE, re.IGNORECASE), LazyPattern(SOURCE, re.IGNORECASE)
    later.search("")  # compiled by another method first
    expected = _comparable(call(compiled))
    assert _comparable(call(first)) == expected
    assert _comparable(call(first)) == expected  # again, once compiled
    assert _comparable(call(later)) == expected


def _comparable(result: object) -> object:
    """Match objects compare by identity: compare their spans and groups instead."""
    if isinstance(result, re.Match):
        return (result.span(), result.groupdict())
    if isinstance(result, list):
        return [_comparable(item) for item in result]
    return result
