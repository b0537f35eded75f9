"""The HTML report: self-contained, inert whatever the document says, and complete (diagram,
requirements, steps, context flow, diagnostics linked to their lines, recorded run)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import markupsafe

from compiler.checks.resolve import resolve_workflow
from compiler.diagnostics import Diagnostic
from compiler.model import iter_steps
from compiler.parse import parse_text
from compiler.render.report import render_report
from compiler.render.report_view import anchor
from tests.conftest import FIXTURES, SEED, SPEC_FILES, corpus_files, needs_corpus, needs_seed

HOSTILE = FIXTURES / "render" / "hostile.md"


class Page(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.title = ""
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        self._in_title = tag == "title" and not self.title

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False

    def hrefs(self) -> list[str]:
        return [str(a["href"]) for _, a in self.elements if a.get("href")]


def report(path, diagnostics=None, with_flow=True, source=True) -> str:
    text = path.read_text(encoding="utf-8")
    document = parse_text(text, str(path))
    resolutions = (
        [r for w in document.workflows for r in resolve_workflow(w)] if with_flow else None
    )
    return render_report(
        document, diagnostics, resolutions=resolutions, source=text if source else None
    )


def test_report_is_self_contained_and_scriptless():
    for path in [*SPEC_FILES, HOSTILE]:
        page = Page(report(path, []))
        tags = {tag for tag, _ in page.elements}
        assert not tags & {"script", "link", "iframe", "object", "embed", "base", "img"}
        for tag, attrs in page.elements:
            assert not any(name.startswith("on") for name in attrs), (path.name, tag, attrs)
            assert "src" not in attrs, (path.name, tag)
        for href in page.hrefs():
            assert not re.match(r"\s*(javascript|vbscript|data):", href, re.I), href
        policy = [a for t, a in page.elements if a.get("http-equiv") == "Content-Security-Policy"]
        assert policy and "default-src 'none'" in str(policy[0]["content"])
        # No font or image fetched by the CSS (url(#id) is the SVG's own arrowhead).
        assert not re.search(r"url\((?!#)|@import", report(path, []))


def test_hostile_text_is_shown_as_text():
    source = HOSTILE.read_text(encoding="utf-8")
    document = parse_text(source, str(HOSTILE))
    text = report(HOSTILE, [])
    page = Page(text)
    assert page.title.startswith(document.title or "?")  # decoded title == the raw title
    step = next(iter_steps(document))
    assert str(markupsafe.escape(step.title)) in text
    assert "{{ 7*7 }}" in text and "{% if true %}" in text  # no template was evaluated


def test_every_step_has_a_card_and_the_diagram_links_to_it():
    for path in SPEC_FILES:
        document = parse_text(path.read_text(encoding="utf-8"), str(path))
        page = Page(report(path, []))
        for step in iter_steps(document):
            assert anchor(step.id) in page.ids
        internal = [h[1:] for h in page.hrefs() if h.startswith("#")]
        assert internal and all(target in page.ids for target in internal)
        svg_links = [
            a for t, a in page.elements if t == "a" and str(a.get("href", "")).startswith("#s-")
        ]
        assert len(svg_links) >= len(list(iter_steps(document)))


def test_diagnostics_link_to_their_line_and_their_step():
    path = next(p for p in SPEC_FILES if p.stem == "payments-outage")
    finding = Diagnostic(
        file=str(path), line=44, column=30, end_line=44, end_column=50, severity="warning",
        code="WF201", rule="unresolved-reference", message="'the thing' is never produced",
    )  # fmt: skip
    text = report(path, [finding])
    page = Page(text)
    assert "#L44" in page.hrefs() and "L44" in page.ids
    assert "1 warning" in text
    assert "'the thing' is never produced" in html.unescape(text)
    # The finding is also shown on the card of the step it points into (path A, line 43+).
    card = text.split(f'id="{anchor("phase-2/path-a")}"', 1)[1].split("</article>", 1)[0]
    assert "WF201" in card
    # The flagged span is marked in the snippet.
    line = path.read_text(encoding="utf-8").splitlines()[43]
    assert f"<mark>{html.escape(line[29:49], quote=True)}</mark>" in text


def test_unlinted_report_says_so():
    text = report(SPEC_FILES[0], None)
    assert "not linted" in text and "rendered without linting" in text


def test_context_flow_marks_references_nothing_provides():
    source = (
        '# Flow\n\n## Phase 1: Make\n- Use Task tool with subagent_type="maker"\n'
        '- Prompt: "Make it."\n- Output: widget\n\n## Phase 2: Use\n'
        '- Use Task tool with subagent_type="user"\n'
        '- Prompt: "Use the widget and the gizmo for $ARGUMENTS."\n'
        "- Input: widget, gizmo\n- Output: result\n"
    )
    document = parse_text(source, "flow.md")
    resolutions = [r for w in document.workflows for r in resolve_workflow(w)]
    text = html.unescape(render_report(document, None, resolutions=resolutions, source=source))
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", text.split('id="context-flow"')[1], re.DOTALL)
    widget = next(r for r in rows if ">widget<" in r)
    assert "phase-1 · Make" in widget and "phase-2 · Use" in widget
    gizmo = next(r for r in rows if "gizmo" in r)
    assert "nothing provides it" in gizmo and "unresolved" in gizmo
    assert "1 not provided" in text  # gizmo only: $ARGUMENTS is the workflow's input
    arguments = next(r for r in rows if "$ARGUMENTS" in r)
    assert "workflow input" in arguments and "phase-2 · Use" in arguments


def test_recorded_run_and_requirements_are_shown():
    text = html.unescape(report(next(p for p in SPEC_FILES if p.stem == "payments-outage"), []))
    run = text.split('id="recorded-run"')[1]
    assert "1h8m in all" in run
    assert "Path B - Acquirer Outage" in run and "acquirer-liaison (sonnet)" in run
    requirements = text.split('id="requirements"')[1].split("</section>")[0]
    assert "RTO (Recovery Time Objective)" in requirements and "within 45m" in requirements
    assert "every 20m" in requirements


def test_long_prompt_is_rendered_as_markdown_in_a_scroll_box():
    text = report(FIXTURES / "render" / "long-prompt.md", [])
    assert 'class="prompt long"' in text
    assert '<a href="https://example.com/docs">safe link</a>' in text
    assert "<code>inline code</code>" in text


@needs_seed
def test_seed_report_shows_every_part():
    from compiler.checks import check_document

    source = SEED.read_text(encoding="utf-8")
    text = html.unescape(report(SEED, check_document(parse_text(source, str(SEED)), source=source)))
    for heading in ("Requirements", "Diagram", "Phases &amp; steps", "Context flow",
                    "Diagnostics", "Recorded run", "Source"):  # fmt: skip
        assert f">{html.unescape(heading)}</h2>" in text
    assert "In parallel: 4 branches" in text
    assert "Decision: Investigation approach based on incident symptoms" in text
    assert "parallel race" in text  # monitoring analysis read from a sibling branch


@needs_corpus
def test_every_corpus_document_renders_in_every_format():
    from compiler.checks import check_document
    from compiler.render import FORMATS, render_document

    files = corpus_files()
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        document = parse_text(text, str(path))
        diagnostics = check_document(document, source=text)
        resolutions = [r for w in document.workflows for r in resolve_workflow(w)]
        for fmt in FORMATS:
            out = render_document(
                document, fmt, diagnostics=diagnostics, resolutions=resolutions, source=text
            )
            assert out.endswith("\n"), (path.name, fmt)
        page = Page(render_document(document, "html", diagnostics=diagnostics, source=text))
        assert not {tag for tag, _ in page.elements} & {"script", "iframe", "img", "object"}
        assert all(not name.startswith("on") for _, a in page.elements for name in a)


def test_a_reference_lint_lets_pass_is_not_marked_as_a_problem():
    """Lint reads prose `Context:` items leniently; the page must not contradict it."""
    from compiler.checks import check_document

    source = (
        '# Prose\n\n## Phase 1: Make\n### 1. Make\n- Use Task tool with subagent_type="maker"\n'
        '- Prompt: "Make it."\n- Output: widget\n- Context: existing architecture notes\n'
    )
    document = parse_text(source, "prose.md")
    resolutions = [r for w in document.workflows for r in resolve_workflow(w)]
    assert [r.status for r in resolutions] == ["unresolved"]
    diagnostics = check_document(document, source=source)
    assert not [d for d in diagnostics if d.code.startswith("WF2")]
    linted = html.unescape(render_report(document, diagnostics, resolutions=resolutions))
    assert "not provided" not in linted
    unlinted = html.unescape(render_report(document, None, resolutions=resolutions))
    assert "1 not provided" in unlinted
