"""Rendering speed, against parsing the same documents in the same process.

Laying out and writing the SVG diagram of a document costs at most 1.5x parsing it; the
whole HTML report (diagram, steps, context flow, source listing) at most 3x. The seed is
the reference document when ../shared is beside the project, else every spec.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.figures import Figure, Skipped, figure
from benchmarks.timing import ROOT, SEED, interleaved, ms, read_texts


def _inputs() -> tuple[str, list[tuple[str, str]]]:
    if SEED.exists():
        return "the seed", read_texts([SEED])
    return "specs/", read_texts(sorted(Path(ROOT / "specs").glob("*.md")))


def _against_parse(fmt: str, target: float, name: str) -> Figure:
    from compiler.parse import parse_text
    from compiler.render import render_document

    subject, texts = _inputs()
    documents = [parse_text(text, path) for path, text in texts]
    render_document(documents[0], fmt)  # the template environment is built once

    def render() -> None:
        for document, (_, text) in zip(documents, texts, strict=True):
            render_document(document, fmt, diagnostics=[], source=text)

    ours, parse = interleaved(20, render, lambda: [parse_text(text, path) for path, text in texts])
    return Figure(
        f"{name} ({subject})", ours / parse, target, "lower",
        detail=f"render {ms(ours)}, parse {ms(parse)} (best of 20)",
    )  # fmt: skip


@figure("render-svg")
def render_svg() -> Figure | Skipped:
    return _against_parse("svg", 1.5, "render: SVG diagram / drillbook's parse")


@figure("render-html")
def render_html() -> Figure | Skipped:
    return _against_parse("html", 3.0, "render: HTML report / drillbook's parse")
