"""Regular expressions compiled when first used, not when their module is imported.

The parser's pattern tables hold a few hundred expressions. Compiled at import, they were
the largest single cost of a fresh `drillbook lint` (issue 10: cold start), although one
document uses about half of them. A `LazyPattern` keeps the source text and compiles it on
its first match; from then on it costs what a compiled pattern costs (see `_compile`).
The tables stay tables: `X = LazyPattern(r"…", re.IGNORECASE)` where they said
`X = re.compile(r"…", re.IGNORECASE)`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

from compiler.regex_cache import compile_pattern

#: The compiled pattern's methods that a `LazyPattern` stands in for.
_METHODS = ("match", "fullmatch", "search", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """A `re.Pattern[str]` compiled on first use. `pattern` and `flags` are readable before
    that (a table may build one expression from another's source without compiling it)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"

    def _compile(self) -> re.Pattern[str]:
        compiled = compile_pattern(self.pattern, self.flags)  # from the cache when it can
        # The compiled pattern's own bound methods go into the instance, where they shadow
        # the methods below: later matches call `re.Pattern.match` directly, without a
        # wrapper call each (the parser matches close to a million times over the corpus).
        for name in _METHODS:
            self.__dict__[name] = getattr(compiled, name)
        return compiled

    # Each method runs at most once per pattern (see `_compile`).

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self._compile().match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        return self._compile().fullmatch(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self._compile().search(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self._compile().finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self._compile().findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self._compile().sub(repl, string, count)

    def subn(
        self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0
    ) -> tuple[str, int]:
        return self._compile().subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self._compile().split(string, maxsplit)
