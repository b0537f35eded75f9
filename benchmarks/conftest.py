"""Benchmark inputs: the corpus when ../shared is beside the project, else specs/."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SEED = ROOT.parent / "shared" / "seeds" / "incident-response-example.md"


def documents() -> list[tuple[str, str]]:
    folder = CORPUS if CORPUS.exists() else ROOT / "specs"
    paths = sorted(p for p in folder.rglob("*.md") if p.name != "README.md")
    return [(str(p), p.read_bytes().decode("utf-8").replace("\r\n", "\n")) for p in paths]


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of `runs` timings of `work` (the least disturbed by other load)."""
    fastest = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest


@pytest.fixture(scope="session")
def texts() -> list[tuple[str, str]]:
    return documents()
