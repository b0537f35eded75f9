"""The real-world corpus (../shared/corpus): every document compiles, and the agent
invocations people wrote become steps with their agent."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from compiler.model import Document, iter_steps
from compiler.parse import parse_document
from compiler.source import read_source
from tests.conftest import corpus_files, needs_corpus

# An occurrence of `subagent_type` and the agent it names, read independently of the
# parser's own pattern table: `subagent_type="x"`, `subagent_type: "x"`, `` `subagent_type`: x ``.
OCCURRENCE = re.compile(r"subagent_type`?\**\s*[=:]\s*[\"'`]?(?P<agent>[A-Za-z0-9_][\w.:/@+-]*)")


def _occurrences(path: Path) -> list[tuple[int, str | None]]:
    found: list[tuple[int, str | None]] = []
    text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    for number, line in enumerate(text.split("\n"), start=1):
        for match in re.finditer(r"subagent_type", line):
            named = OCCURRENCE.match(line, match.start())
            found.append((number, named["agent"].rstrip(".:,") if named else None))
    return found


def covered(document: Document, line: int, agent: str | None) -> bool:
    """Whether a step with this agent spans the line where the invocation is written."""
    return any(
        step.agent == agent and step.span.line <= line <= step.span.end_line
        for step in iter_steps(document)
    )


def coverage(files: list[Path]) -> tuple[int, int, Counter[str]]:
    hits = total = 0
    misses: Counter[str] = Counter()
    for path in files:
        document = parse_document(read_source(path))
        for line, agent in _occurrences(path):
            total += 1
            if agent is not None and covered(document, line, agent):
                hits += 1
            else:
                misses[path.name] += 1
    return hits, total, misses


@needs_corpus
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name[:60])
def test_every_corpus_document_compiles(path: Path) -> None:
    document = parse_document(read_source(path))
    steps = list(iter_steps(document))
    ids = [step.id for step in steps]
    assert len(ids) == len(set(ids)), "step ids must be unique"
    lines = len(read_source(path).lines)
    for step in steps:
        assert 1 <= step.span.line <= step.span.end_line <= lines
        if step.agent_span is not None:
            assert step.span.line <= step.agent_span.line <= step.span.end_line


@needs_corpus
def test_agent_invocations_become_steps() -> None:
    files = corpus_files()
    hits, total, misses = coverage(files)
    share = hits / total
    print(f"\ncorpus: {hits}/{total} agent invocations are steps with their agent ({share:.1%})")
    print("most misses:", misses.most_common(5))
    assert total > 1000
    assert share >= 0.95
