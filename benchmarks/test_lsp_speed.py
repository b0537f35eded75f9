"""Re-lint latency in the editor, as a ratio against `drillbook lint` of the same text.

What a keystroke costs once typing pauses: the language server's analysis (parse, every
check, configuration and suppressions — what `drillbook lint` runs) and then a hover on a
reference (which reads the resolution the analysis kept). Target: at most 1.5x a lint
of the same documents (parse + checks), measured in the same process.
"""

from __future__ import annotations

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.conftest import best_of
from compiler.checks import check_document
from compiler.parse import parse_text

pytest.importorskip("pygls", reason="the language server needs drillbook[lsp]")

from compiler.lsp.analysis import Point, analyse
from compiler.lsp.describe import hover_text

TARGET_RATIO = 1.5


def _edit(texts: list[tuple[str, str]]) -> None:
    for path, text in texts:
        analysis = analyse(text, path)
        for wf in analysis.workflows[:1]:
            for entry in wf.resolved[:1]:
                span = entry.resolution.reference.span
                hover_text(analysis, Point(span.line, span.column))


def test_relint_and_hover_vs_lint(
    benchmark: BenchmarkFixture, texts: list[tuple[str, str]]
) -> None:
    path, text = texts[0]
    check_document(parse_text(text, path), source=text)  # import and register the rules once
    baseline = best_of(
        3, lambda: [check_document(parse_text(text, path), source=text) for path, text in texts]
    )
    benchmark.pedantic(lambda: _edit(texts), rounds=3)  # type: ignore[no-untyped-call]
    assert benchmark.stats is not None
    ratio = benchmark.stats.stats.min / baseline
    benchmark.extra_info["baseline_s"] = round(baseline, 4)
    benchmark.extra_info["ratio"] = round(ratio, 2)
    print(f"\nre-lint + hover {len(texts)} documents: {ratio:.2f}x lint (≤ {TARGET_RATIO}x)")
    assert ratio <= TARGET_RATIO
