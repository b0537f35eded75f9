"""The MkDocs plugin (`drillbook[mkdocs]`): during `mkdocs build` / `serve`, every page that
holds a workflow keeps its text and gains the diagram and a compact step table where the
workflow is; where a scenario sits beside the page, its simulated timeline. Lint findings are
shown to readers only when `findings: true`; `strict: true` fails the build on lint errors.

    plugins:
      - drillbook:
          diagram: svg        # or mermaid (needs Mermaid set up in the theme)
          findings: false
          strict: false
          simulate: true
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

log = logging.getLogger("mkdocs.plugins.drillbook")


class DrillbookConfig(base.Config):  # type: ignore[no-untyped-call]
    diagram = c.Choice(("svg", "mermaid"), default="svg")
    findings = c.Type(bool, default=False)
    strict = c.Type(bool, default=False)
    simulate = c.Type(bool, default=True)


class DrillbookPlugin(BasePlugin[DrillbookConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.errors: list[str] = []

    def on_pre_build(self, *, config: Any) -> None:
        self.errors = []

    def on_page_markdown(self, markdown: str, /, *, page: Any, config: Any, files: Any) -> str:
        from compiler.parse import parse_text

        source_path = page.file.abs_src_path
        shown = page.file.src_uri
        document = parse_text(markdown, shown)
        if not any(w.phases for w in document.workflows):
            return markdown  # not a playbook: the page stays exactly as written
        # Linted as the file is (front matter included), so that every line a finding
        # names — its own and the producer's "(line 74)" in its message — is the file's.
        whole = _file_text(source_path)
        linted = parse_text(whole, shown) if whole is not None else document
        diagnostics = _lint(linted, whole if whole is not None else markdown, source_path)
        for d in diagnostics:
            if d.severity == "error":
                where = f"{shown}:{d.line}:{d.column}"
                self.errors.append(f"{where}: {d.code} {d.rule}: {d.message}")
                log.warning("drillbook: %s", self.errors[-1])
        from compiler.render.publish import publish_page

        text = publish_page(
            document,
            markdown,
            diagnostics=diagnostics if self.config.findings else None,
            diagram=self.config.diagram,
            mdx_safe=False,
        )
        if self.config.diagram == "mermaid":
            text = _host_coloured(document, text)
        if self.config.simulate and source_path:
            text += _timeline(document, Path(source_path))
        return text

    def on_post_build(self, *, config: Any) -> None:
        if self.config.strict and self.errors:
            raise PluginError(
                f"drillbook: {len(self.errors)} lint error(s) in workflow pages "
                f"(strict: true):\n" + "\n".join(self.errors)
            )


#: The phase frames' outline: mid grey reads on a light page and on a dark one.
FRAME_STROKE = "#8b949e"


def _host_coloured(document: Any, text: str) -> str:
    """The page with drillbook's Mermaid diagram (not the author's own diagrams) drawn in the
    host theme's colours. Material fills a node with a translucent tint of its accent and
    colours its text from the scheme (light text on slate); Mermaid's theme still fills each
    phase frame (subgraph) with a pale colour of its own, which turned the nodes inside pale
    and their light text unreadable. Frames without a fill show the page's own background."""
    from compiler.render.mermaid import render_mermaid

    diagram = render_mermaid(document).rstrip("\n")
    frames = re.findall(r"^\s*subgraph (\S+?)\[", diagram, re.M)
    if not frames or diagram not in text:
        return text
    styles = "\n".join(f"  style {frame} fill:none,stroke:{FRAME_STROKE}" for frame in frames)
    return text.replace(diagram, f"{diagram}\n{styles}", 1)


def _file_text(source_path: str | None) -> str | None:
    """The page's file as the author wrote it (MkDocs hands over the page without its front
    matter); None when there is no file or it cannot be read."""
    if not source_path:
        return None
    try:
        return Path(source_path).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return None


def _lint(document: Any, text: str, source_path: str | None) -> list[Any]:
    from compiler.checks import check_document
    from compiler.checks.config import LintConfig, find_config, load_config
    from compiler.checks.ruleset import resolve_code

    found = find_config(Path(source_path)) if source_path else None
    config = load_config(found, resolve_code) if found else LintConfig()
    diagnostics: list[Any] = check_document(document, config, source=text)
    return diagnostics


def _timeline(document: Any, source: Path) -> str:
    """The simulated run of the scenario beside the page (`PAGE.scenario.yaml`), as drillbook's
    Gantt drawing; a scenario that cannot run is logged, never fatal."""
    from compiler.simulate.discovery import default_scenario

    scenario = default_scenario(source)
    if scenario is None:
        return ""
    try:
        from compiler.simulate import plan_for, read_scenario, run
        from compiler.simulate.gantt import render_svg

        result = run(plan_for(document, read_scenario(scenario, scenario.name)))
        svg = " ".join(render_svg(result).split("\n"))
    except Exception as exc:  # a broken scenario must not break the docs build
        log.warning("drillbook: cannot simulate %s: %s", scenario.name, exc)
        return ""
    card = "background:#fff;border-radius:8px;padding:8px;overflow-x:auto;max-width:100%"
    return (
        f"\n\n**Simulated timeline** ({scenario.name}, drawn by drillbook)\n\n"
        f'<div class="drillbook-timeline" style="{card}">{svg}</div>\n'
    )
