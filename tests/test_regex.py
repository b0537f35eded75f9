"""`LazyPattern`: compiled on first use, and then the same as the compiled pattern."""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # (CPython's regex engine: no stubs)
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from compiler import regex, regex_cache
from compiler.regex import LazyPattern
from tests.conftest import ROOT

SEED_LIKE = ROOT / "specs" / "payments-outage.md"
SOURCE = r"(?P<word>st\w+)\s*(?P<num>\d+)?"
TEXT = "Step 1, stage 2 and STAGE"


def test_nothing_is_compiled_before_the_first_match(monkeypatch):
    compiled: list[str] = []

    def counting_compile(source: str, flags: int = 0) -> re.Pattern[str]:
        compiled.append(source)
        return re.compile(source, flags)

    monkeypatch.setattr(regex, "compile_pattern", counting_compile)
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


def _every_lazy_pattern() -> list[LazyPattern]:
    """The LazyPatterns of the parser, the rules and the CLI (their modules imported)."""
    import compiler.checks.rules
    import compiler.cli.lint_run
    import compiler.parse  # noqa: F401

    found: dict[int, LazyPattern] = {}
    for name, module in list(sys.modules.items()):
        if name.startswith("compiler"):
            for value in vars(module).values():
                # (a WordGated holds one as its `pattern`)
                pattern = value if isinstance(value, LazyPattern) else getattr(value, "pattern", 0)
                if isinstance(pattern, LazyPattern):
                    found[id(pattern)] = pattern
    return list(found.values())


def test_the_engine_code_kept_in_the_cache_compiles_to_the_same_pattern():
    """What the cache keeps for a pattern, handed to the engine, is the pattern `re` makes
    (patterns compare equal when their source, flags and engine code are equal)."""
    patterns = _every_lazy_pattern()
    assert len(patterns) > 150
    for lazy in patterns:
        entry = regex_cache._generate(lazy.pattern, lazy.flags)
        rebuilt = _sre.compile(lazy.pattern, *marshal.loads(marshal.dumps(entry)))
        fresh = re._compiler.compile(lazy.pattern, lazy.flags)  # type: ignore[attr-defined]
        assert rebuilt == fresh, lazy.pattern
        assert rebuilt.groupindex == fresh.groupindex


_LINT = "from compiler.cli import main; main(['lint', '--format', 'json', {path!r}])"


def _lint(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _LINT.format(path=str(SEED_LIKE))],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path), **env},
        cwd=ROOT,
    )


def test_a_lint_keeps_its_compiled_patterns_and_the_next_one_uses_them(tmp_path):
    first = _lint(tmp_path)
    kept = tmp_path / "drillbook" / regex_cache.cache_file().name
    assert kept.is_file()
    maker, entries = marshal.loads(kept.read_bytes())
    assert maker == regex_cache._MAKER and len(entries) > 20
    stamp = kept.stat().st_mtime_ns
    second = _lint(tmp_path)
    assert (second.stdout, second.stderr) == (first.stdout, first.stderr)
    assert kept.stat().st_mtime_ns == stamp  # nothing new to keep: not written again


@pytest.mark.parametrize("damage", [b"", b"not marshal", b"\xff" * 40])
def test_a_damaged_cache_is_ignored_and_rewritten(tmp_path, damage):
    expected = _lint(tmp_path / "clean")
    kept = tmp_path / "drillbook" / regex_cache.cache_file().name
    kept.parent.mkdir(parents=True)
    kept.write_bytes(damage)
    again = _lint(tmp_path)
    assert (again.stdout, again.stderr) == (expected.stdout, expected.stderr)
    assert marshal.loads(kept.read_bytes())[0] == regex_cache._MAKER


def test_no_cache_is_written_when_turned_off_or_unwritable(tmp_path):
    off = _lint(tmp_path / "off", DRILLBOOK_NO_CACHE="1")
    assert not (tmp_path / "off" / "drillbook").exists()
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would go")
    unwritable = _lint(blocked)
    homeless = _lint(tmp_path, XDG_CACHE_HOME="", HOME="")  # nowhere to keep it at all
    assert unwritable.stderr == off.stderr == homeless.stderr == ""  # no traceback at exit
    assert unwritable.stdout == off.stdout == homeless.stdout
