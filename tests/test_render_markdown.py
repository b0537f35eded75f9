"""Docs-site Markdown: front matter kept, a mermaid block, a step table, the diagnostics; and
document text that stays text when GitHub, Docusaurus (MDX) or MkDocs render the page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

from compiler.diagnostics import Diagnostic
from compiler.model import Document, iter_steps
from compiler.parse import parse_text
from compiler.render.docs_page import md_text, render_docs_page
from compiler.render.mermaid import render_mermaid
from tests.conftest import FIXTURES, SPEC_FILES

HOSTILE = FIXTURES / "render" / "hostile.md"


def load(path: Path) -> Document:
    return parse_text(path.read_text(encoding="utf-8"), str(path))


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = re.match(r"^---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, "no front matter block"
    return yaml.safe_load(match.group(1)), text[match.end() :]


class Cells(HTMLParser):
    """Text of each table cell and the tags used, from rendered HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: set[str] = set()
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def rendered(markdown: str) -> Cells:
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    parser = Cells()
    parser.feed(html)
    return parser


def test_front_matter_is_kept():
    for path in SPEC_FILES:
        document = load(path)
        page = render_docs_page(document, [])
        if document.front_matter:
            data, _ = split_front_matter(page)
            assert data == document.front_matter
        else:
            assert not page.startswith("---")
    payments = render_docs_page(load(next(p for p in SPEC_FILES if "payments" in p.stem)), [])
    assert split_front_matter(payments)[0]["sidebar_position"] == 2


def test_page_has_mermaid_block_step_table_and_diagnostics():
    path = next(p for p in SPEC_FILES if p.stem == "payments-outage")
    document = load(path)
    finding = Diagnostic(
        file=str(path), line=43, column=3, end_line=43, end_column=9, severity="warning",
        code="WF201", rule="unresolved-reference", message="'x' | {not} <found>",
    )  # fmt: skip
    page = render_docs_page(document, [finding])
    assert "```mermaid\n" + render_mermaid(document).rstrip("\n") + "\n```" in page
    cells = rendered(split_front_matter(page)[1])
    header, *steps = [row for row in cells.rows if len(row) == 6]
    assert header == ["Phase", "Step", "Agent", "When", "Produces", "Reads"]
    assert [row[1] for row in steps] == [s.title for s in iter_steps(document)]
    assert steps[1][3] == "Path A: Gateway Fault, when gateway error rate above 5%"
    assert ["43", "warning", "WF201 unresolved-reference", "'x' | {not} <found>"] in cells.rows


def test_unlinted_and_clean_pages_say_which():
    document = load(SPEC_FILES[0])
    assert "Not linted" in render_docs_page(document, None)
    assert "No findings" in render_docs_page(document, [])


def test_hostile_text_renders_as_the_same_text():
    document = load(HOSTILE)
    _, body = split_front_matter(render_docs_page(document, None))
    cells = rendered(body)
    # Only Markdown's own structure: no tag from the document became an element.
    assert cells.tags <= {"h1", "h2", "blockquote", "p", "table", "thead", "tbody", "tr",
                          "th", "td", "pre", "code", "em"}  # fmt: skip
    titles = [row[1] for row in cells.rows if len(row) == 6][1:]
    assert titles == [s.title for s in iter_steps(document)]
    # MDX would evaluate {…} and parse <…> as JSX: neither appears raw outside the code block.
    prose = re.sub(r"```mermaid.*?```", "", body, flags=re.DOTALL)
    assert not re.search(r"[{}<]", prose.replace("<!--", ""))


def test_md_text_escapes_markdown_mdx_and_html():
    assert str(md_text("a|b")) == "a&#124;b"
    assert str(md_text("{{ x }}")) == "&#123;&#123; x &#125;&#125;"
    assert str(md_text("<b>*x*</b>")) == "&#60;b&#62;&#42;x&#42;&#60;/b&#62;"
    assert str(md_text("- not a list", line_start=True)) == "&#45; not a list"
    assert str(md_text("45 minutes")) == "45 minutes"
    assert str(md_text("1. not a list", line_start=True)) == "&#49;. not a list"
    assert str(md_text("plain words, 3 of them")) == "plain words, 3 of them"
