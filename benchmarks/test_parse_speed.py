"""Parsing speed, as a ratio against markdown-it's own block parse of the same text.

Target: drillbook's parse (markdown-it + recognition + the frozen model) costs at most 4x a
plain markdown-it parse of the same documents, measured in the same process.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.conftest import best_of
from compiler.parse import parse_text

TARGET_RATIO = 4.0


def test_parse_vs_markdown_it(benchmark: BenchmarkFixture, texts: list[tuple[str, str]]) -> None:
    markdown = MarkdownIt("commonmark")
    baseline = best_of(5, lambda: [markdown.parse(text) for _, text in texts])
    benchmark.pedantic(  # type: ignore[no-untyped-call]
        lambda: [parse_text(text, path) for path, text in texts], rounds=5
    )
    assert benchmark.stats is not None
    ratio = benchmark.stats.stats.min / baseline
    benchmark.extra_info["baseline_s"] = round(baseline, 4)
    benchmark.extra_info["ratio"] = round(ratio, 2)
    print(f"\nparse {len(texts)} documents: {ratio:.2f}x markdown-it (target ≤ {TARGET_RATIO}x)")
    assert ratio <= TARGET_RATIO
