"""The author's page, published (`render --format md`, the MkDocs plugin, the site's Markdown
export): the page is kept as written — front matter, prose, prompts, the recorded run — and
drillbook adds, where the workflow is, the diagram and a compact step table. Lint findings are
for authors: they are added only on request.

The page is made safe for MDX 3 (Docusaurus) and for renderers with raw HTML off: outside code,
`{`, `}` and `<` are escaped (CommonMark, MDX and Python-Markdown all read `\\{` and `&lt;`
back as the character), and HTML comments, which MDX rejects, are dropped."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from compiler.diagnostics import Diagnostic, sorted_diagnostics
from compiler.model import Document, Step, iter_steps
from compiler.render import labels
from compiler.render.docs_page import md_text
from compiler.render.text import clean

_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_HTML_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")
_HTML_COMMENT = re.compile(r"\s*<!--.*?-->")


@dataclass(frozen=True)
class Regions:
    """0-based line ranges (start, end exclusive) that are code, and the front matter end."""

    code: tuple[tuple[int, int], ...]
    front_matter_end: int


def publish_page(
    document: Document,
    source: str,
    *,
    diagnostics: Sequence[Diagnostic] | None = None,
    diagram: str = "mermaid",
    mdx_safe: bool = True,
) -> str:
    """`source` (the document's text) with the diagram and step table added after the
    workflow; `diagnostics` given: a findings table at the end. `diagram` is "mermaid" (a
    fenced block) or "svg" (drillbook's own drawing, inline: no script needed). `mdx_safe`
    False keeps the author's text byte for byte (MkDocs pages may hold HTML on purpose)."""
    lines = source.replace("\r\n", "\n").split("\n")
    regions = _regions(lines)
    at = _insertion_index(document, regions, len(lines))
    out: list[str] = []
    for index, line in enumerate(lines):
        if index == at:
            out += ["", *_glance(document, diagram), ""]
        if mdx_safe and _is_prose(index, regions):
            if _HTML_COMMENT_LINE.match(line):
                continue
            line = _safe_line(line)
        out.append(line)
    if at is not None and at >= len(lines):
        out += ["", *_glance(document, diagram), ""]
    text = "\n".join(out)
    if diagnostics is not None:
        text = text.rstrip("\n") + "\n\n" + "\n".join(_findings(diagnostics)) + "\n"
    return text


def _regions(lines: list[str]) -> Regions:
    from markdown_it import MarkdownIt

    front_end = 0
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                front_end = index + 1
                break
    body = "\n".join([""] * front_end + lines[front_end:])
    tokens = MarkdownIt("commonmark").parse(body)
    code = tuple(
        (token.map[0], token.map[1])
        for token in tokens
        if token.type in ("fence", "code_block") and token.map is not None
    )
    return Regions(code, front_end)


def _is_prose(index: int, regions: Regions) -> bool:
    if index < regions.front_matter_end:
        return False
    return not any(start <= index < end for start, end in regions.code)


def _safe_line(line: str) -> str:
    """Escape `{`, `}` and `<` outside inline code spans."""
    parts: list[str] = []
    at = 0
    for match in _CODE_SPAN.finditer(line):
        parts.append(_escape(line[at : match.start()]))
        parts.append(match.group(0))
        at = match.end()
    parts.append(_escape(line[at:]))
    return "".join(parts)


def _escape(text: str) -> str:
    text = _HTML_COMMENT.sub("", text)  # authors' notes (expect markers, suppressions)
    return text.replace("{", "\\{").replace("}", "\\}").replace("<", "&lt;")


def _insertion_index(document: Document, regions: Regions, count: int) -> int | None:
    """Where the added block goes: after the fence holding the workflow, else just before
    its first phase."""
    workflow = next((w for w in document.workflows if w.phases), None)
    if workflow is None:
        return None
    first = workflow.phases[0].span.line - 1
    for start, end in regions.code:
        if start <= first < end:
            return min(end, count)
    return max(first, regions.front_matter_end)


def _glance(document: Document, diagram: str) -> list[str]:
    lines = ["**Workflow at a glance** (drawn by drillbook from this page)", ""]
    if diagram == "svg":
        from compiler.render.svg import render_svg

        svg = " ".join(render_svg(document).split("\n"))
        # A light card: the drawing has its own colours, readable on light and dark themes.
        card = "background:#fff;border-radius:8px;padding:8px;overflow-x:auto;max-width:100%"
        lines.append(f'<div class="drillbook-diagram" style="{card}">{svg}</div>')
    else:
        from compiler.render.mermaid import render_mermaid

        mermaid = render_mermaid(document).rstrip("\n")
        fence = "```"
        while fence in mermaid:
            fence += "`"
        lines += [f"{fence}mermaid", mermaid, fence]
    lines += ["", "| Phase | Step | Agent |", "| --- | --- | --- |"]
    for workflow in document.workflows:
        for phase in workflow.phases:
            caption = str(md_text(labels.phase_caption(phase)))
            for step in iter_steps(phase):
                lines.append(f"| {caption} | {_step_text(step)} | {md_text(_agent(step))} |")
                caption = ""  # the phase once, on its first row
    return lines


def _step_text(step: Step) -> str:
    title = md_text(step.title or step.id)
    return f"{title} (optional)" if step.optional else str(title)


def _agent(step: Step) -> str:
    return labels.agent_text(step) or "—"


def _findings(diagnostics: Sequence[Diagnostic]) -> list[str]:
    lines = ["## Lint findings", ""]
    found = sorted_diagnostics(list(diagnostics))
    if not found:
        return [*lines, "`drillbook lint` reports nothing for this page."]
    lines += ["| Line | Severity | Rule | Message |", "| --- | --- | --- | --- |"]
    for d in found:
        lines.append(
            f"| {d.line} | {d.severity} | {d.code} {d.rule} | {md_text(clean(d.message))} |"
        )
    return lines
