"""Lint speed, as a ratio against parsing the same documents in the same process.

Target: running every static check on the corpus (reference resolution included) costs at
most 1x parsing it, so `drillbook lint` is at most twice a plain compile. The corpus is
used when ../shared is beside the project, else specs/.
"""

from __future__ import annotations

from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.conftest import best_of
from compiler.checks import check_document
from compiler.parse import parse_text

TARGET_RATIO = 1.0


def test_checks_vs_parse(benchmark: BenchmarkFixture, texts: list[tuple[str, str]]) -> None:
    documents = [parse_text(text, path) for path, text in texts]
    check_document(documents[0], source=texts[0][1])  # import and register the rules once
    baseline = best_of(3, lambda: [parse_text(text, path) for path, text in texts])
    benchmark.pedantic(  # type: ignore[no-untyped-call]
        lambda: [
            check_document(document, source=text)
            for document, (_, text) in zip(documents, texts, strict=True)
        ],
        rounds=3,
    )
    assert benchmark.stats is not None
    ratio = benchmark.stats.stats.min / baseline
    benchmark.extra_info["baseline_s"] = round(baseline, 4)
    benchmark.extra_info["ratio"] = round(ratio, 2)
    print(f"\nlint {len(texts)} documents: checks {ratio:.2f}x parsing (≤ {TARGET_RATIO}x)")
    assert ratio <= TARGET_RATIO
