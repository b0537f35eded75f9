"""Compiled regular expressions kept between runs, as Python keeps bytecode (issue 10).

A fresh `drillbook lint` of the seed compiles about a hundred of the parser's patterns, some
24 ms of a ~230 ms run: for each, CPython's `re` parses the pattern and generates the
engine's code in Python, in every process anew. That code depends only on the pattern, its
flags and the interpreter, so it is kept in a file in the user's cache folder, the way
`__pycache__` keeps bytecode, and a later run hands it straight to the engine
(`_sre.compile`), skipping both steps.

This reads CPython internals (`re._parser`, `re._compiler`, `_sre`), so it trusts nothing:
the file names the interpreter and engine it was made by and is ignored for any other, and
anything unexpected (no such internals, an unreadable or corrupt file, a read-only cache
folder) falls back to `re.compile` silently. The compiled pattern is the same object either
way (`tests/test_regex.py` compares them). `DRILLBOOK_NO_CACHE=1` turns the cache off.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
import re
import sys
from pathlib import Path

try:  # the engine and the two halves of `re.compile` (CPython 3.11+)
    import _sre  # type: ignore[import-not-found]  # (no stubs: CPython's engine)
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # another interpreter: compile the ordinary way
    _sre = None

#: Who made a file: its entries are only valid for the same interpreter and engine.
_MAKER = f"{sys.version}|{getattr(_sre, 'MAGIC', 0)}"
#: (flags, code, groups, groupindex, indexgroup): what `_sre.compile` takes after the pattern.
Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]

_entries: dict[tuple[str, int], Entry] | None = None  # loaded on first use
_used: set[tuple[str, int]] = set()  # the keys this run compiled
_added = False
#: More entries than drillbook's patterns (old ones, after upgrades): keep this run's only.
_MAX_ENTRIES = 4096


def compile_pattern(pattern: str, flags: int) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, from the cache when it holds the pattern."""
    global _added
    if _sre is None or os.environ.get("DRILLBOOK_NO_CACHE"):
        return re.compile(pattern, flags)
    entries = _load()
    key = (pattern, int(flags))  # an int, not a `re.RegexFlag`: marshal keeps plain values
    _used.add(key)
    entry = entries.get(key)
    if entry is None:
        try:
            entry = _generate(pattern, flags)
        except Exception:  # internals not as expected: the ordinary way
            return re.compile(pattern, flags)
        entries[key] = entry
        if not _added:
            _added = True
            atexit.register(_save)
    try:
        compiled: re.Pattern[str] = _sre.compile(pattern, *entry)
    except Exception:  # a stale or damaged entry
        entries.pop(key, None)
        return re.compile(pattern, flags)
    return compiled


def _generate(pattern: str, flags: int) -> Entry:
    """What `re._compiler.compile` hands the engine for `pattern` (CPython 3.11–3.13)."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (
        int(flags | parsed.state.flags),
        [int(word) for word in code],
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def cache_file() -> Path:
    """Where the compiled patterns are kept: drillbook's folder in the user's cache. No
    absolute place to put it (no home folder, a relative XDG_CACHE_HOME, which the XDG spec
    says to ignore) is an `OSError`: then nothing is kept."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA", "")
    else:
        home = os.environ.get("HOME", "")
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        base = xdg if os.path.isabs(xdg) else os.path.join(home, ".cache") if home else ""
    if not os.path.isabs(base):
        raise OSError("no cache folder")
    return Path(base) / "drillbook" / f"regex-{sys.implementation.cache_tag}.marshal"


def _load() -> dict[tuple[str, int], Entry]:
    global _entries
    if _entries is None:
        _entries = {}
        try:
            maker, stored = marshal.loads(cache_file().read_bytes())
            if maker == _MAKER and isinstance(stored, dict):
                _entries = stored
        except Exception:  # no file yet, or not one of ours: start afresh
            pass
    return _entries


def _save() -> None:
    """Write the patterns compiled so far, atomically (at exit, when this run added some)."""
    if not _entries:
        return
    entries = _entries
    if len(entries) > _MAX_ENTRIES:
        entries = {key: entry for key, entry in entries.items() if key in _used}
    try:
        path = cache_file()  # (no home folder at all raises here)
    except Exception:
        return
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch.write_bytes(marshal.dumps((_MAKER, entries)))
        os.replace(scratch, path)
    except Exception:  # a read-only or full disk, anything: the next run compiles again
        with contextlib.suppress(OSError):
            scratch.unlink(missing_ok=True)
