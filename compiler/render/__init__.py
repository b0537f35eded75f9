"""Rendering: the HTML report, the SVG diagram (laid out here), Mermaid, Graphviz DOT and
docs-site Markdown. Everything renders from the model (and the graph built from it); the
diagnostics and reference resolutions to show are passed in, so rendering never runs the
checks itself."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from compiler.diagnostics import Diagnostic
from compiler.model import Document

FORMATS: tuple[str, ...] = ("html", "svg", "mermaid", "dot", "md")

#: Output file suffix → format, for `render -o FILE` without `--format`.
SUFFIXES: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".svg": "svg",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".dot": "dot",
    ".gv": "dot",
    ".md": "md",
    ".markdown": "md",
}


def render_document(
    document: Document,
    fmt: str,
    *,
    diagnostics: Sequence[Diagnostic] | None = None,
    resolutions: Iterable[Any] | None = None,
    source: str | None = None,
    replace_page: bool = False,
) -> str:
    """`document` rendered as `fmt` (one of FORMATS). `diagnostics` None means the document
    was not linted; the HTML report and the Markdown page say so instead of showing none.

    Markdown keeps the author's page (`source`) and adds the diagram and a step table where
    the workflow is, with `diagnostics` (when given) as a findings table at the end;
    `replace_page` (or no `source`) writes drillbook's own page instead."""
    if fmt == "html":
        from compiler.render.report import render_report

        return render_report(document, diagnostics, resolutions=resolutions, source=source)
    if fmt == "svg":
        from compiler.render.svg import render_svg

        return render_svg(document)
    if fmt == "mermaid":
        from compiler.render.mermaid import render_mermaid

        return render_mermaid(document)
    if fmt == "dot":
        from compiler.render.dot import render_dot

        return render_dot(document)
    if fmt == "md":
        if source is not None and not replace_page:
            from compiler.render.publish import publish_page

            return publish_page(document, source, diagnostics=diagnostics)
        from compiler.render.docs_page import render_docs_page

        return render_docs_page(document, diagnostics)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
