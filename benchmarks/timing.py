"""What the benchmark modules share: where the inputs are and how a time is taken."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "incident-response-example.md"
CORPORA = (SHARED / "corpus", SHARED / "corpus2")


def drillbook_command() -> list[str]:
    """The installed console script beside this interpreter, as users run it."""
    script = Path(sys.executable).parent / "drillbook"
    return [str(script)] if script.exists() else [sys.executable, "-m", "compiler"]


#: Files of a corpus folder that are its paperwork, not documents.
_PAPERWORK = {"README.md", "MANIFEST.md", "LICENSES.md"}


def corpus_paths() -> list[Path]:
    """Every document of ../shared/corpus and corpus2 (empty when ../shared is absent)."""
    return sorted(
        path
        for folder in CORPORA
        if folder.is_dir()
        for path in folder.rglob("*.md")
        if path.name not in _PAPERWORK and "LICENSES" not in path.parts
    )


def read_texts(paths: list[Path]) -> list[tuple[str, str]]:
    """(path, text) with the line endings `drillbook` reads (CRLF folded, no BOM)."""
    from compiler.source import normalise_text

    return [(str(p), normalise_text(p.read_bytes().decode("utf-8"))) for p in paths]


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of `runs` timings of `work` in seconds (the least disturbed by load)."""
    fastest = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest


def interleaved(runs: int, *works: Callable[[], object]) -> list[float]:
    """Best-of-`runs` timings of several works taken in turn (a, b, a, b, …), so a burst of
    load on the machine disturbs each side alike and their ratio stays fair."""
    fastest = [float("inf")] * len(works)
    for _ in range(runs):
        for i, work in enumerate(works):
            start = time.perf_counter()
            work()
            fastest[i] = min(fastest[i], time.perf_counter() - start)
    return fastest


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"
