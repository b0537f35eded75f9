"""Rendering speed, as ratios against parsing the same documents in the same process.

Targets: laying out and writing the SVG diagram of a document costs at most 1.5x parsing it;
the whole HTML report (diagram, steps, context flow, source listing) at most 3x. The seed is
the reference document when ../shared is beside the project, else every spec.
"""

from __future__ import annotations

from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.conftest import ROOT, SEED, best_of
from compiler.model import Document
from compiler.parse import parse_text
from compiler.render import render_document

SVG_TARGET = 1.5
HTML_TARGET = 3.0


def inputs() -> list[tuple[str, str]]:
    paths = [SEED] if SEED.exists() else sorted((ROOT / "specs").glob("*.md"))
    return [(str(p), Path(p).read_text(encoding="utf-8")) for p in paths]


def parsed(texts: list[tuple[str, str]]) -> list[Document]:
    return [parse_text(text, path) for path, text in texts]


def ratio_against_parse(benchmark: BenchmarkFixture, fmt: str) -> float:
    texts = inputs()
    documents = parsed(texts)
    render_document(documents[0], fmt)  # warm the template cache: a one-off cost
    baseline = best_of(20, lambda: parsed(texts))
    benchmark.pedantic(  # type: ignore[no-untyped-call]
        lambda: [render_document(d, fmt, diagnostics=[], source=t) for d, (_, t) in
                 zip(documents, texts, strict=True)],
        rounds=20,
    )  # fmt: skip
    assert benchmark.stats is not None
    ratio: float = benchmark.stats.stats.min / baseline
    benchmark.extra_info["baseline_s"] = round(baseline, 5)
    benchmark.extra_info["ratio"] = round(ratio, 2)
    print(f"\nrender {fmt} of {len(texts)} document(s): {ratio:.2f}x parsing them")
    return ratio


def test_svg_layout_vs_parse(benchmark: BenchmarkFixture) -> None:
    ratio = ratio_against_parse(benchmark, "svg")
    assert ratio <= SVG_TARGET, f"SVG rendering is {ratio:.1f}x parsing (target {SVG_TARGET}x)"


def test_html_report_vs_parse(benchmark: BenchmarkFixture) -> None:
    ratio = ratio_against_parse(benchmark, "html")
    assert ratio <= HTML_TARGET, f"the report is {ratio:.1f}x parsing (target {HTML_TARGET}x)"
