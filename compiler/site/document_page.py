"""One document's share of the site: read, lint and render it (the HTML report with the site's
breadcrumbs), run its scenarios, and describe it for the index, the agents page and search.

`build_document` is a plain top-level function of picklable arguments, so `--jobs N` can run
it in worker processes; it never raises for a bad document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from compiler.checks.config import LintConfig
from compiler.diagnostics import Diagnostic
from compiler.model import DecisionBlock, Document, iter_blocks, iter_steps
from compiler.site.entries import DocumentEntry, SimulationEntry, Status, StepEntry

#: Where the site navigation goes in a cached page; replaced when the site is written, so a
#: page need not be rendered again when only its neighbours changed. Rendered text is
#: escaped, so a document cannot forge this comment.
NAV_MARK = "<!--drillbook:site-nav-->"
#: Prompt text kept per step for search (long prompts are cut; the page has them whole).
PROMPT_CHARS = 1200
#: Runs of the Monte Carlo page of each scenario (seeded by the scenario: reproducible).
MONTE_CARLO_RUNS = 200


@dataclass(frozen=True)
class PageJob:
    key: str  # the path readers see
    path: str  # where to read it
    slug: str
    config: LintConfig
    #: (name shown, file) of each scenario beside the document
    scenarios: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SiteLinks:
    """What `render_report(site=…)` needs to place a page in the site."""

    nav: Any  # Markup
    rules_href: str


@dataclass(frozen=True)
class PageResult:
    entry: DocumentEntry
    #: site-relative path → HTML (with NAV_MARK where the navigation goes)
    pages: dict[str, str] = field(default_factory=dict)


def document_href(slug: str) -> str:
    return f"docs/{slug}.html"


def markdown_href(slug: str) -> str:
    return f"md/{slug}.md"


def build_document(job: PageJob) -> PageResult:
    from compiler.source import UnreadableFile, read_source

    try:
        source = read_source(Path(job.path), job.path)
    except UnreadableFile as exc:
        return _unreadable(job, exc.reason)
    except OSError as exc:
        return _unreadable(job, exc.strerror or str(exc))
    from compiler.checks import check_document
    from compiler.checks.resolve import resolve_workflow
    from compiler.parse import parse_document

    document = parse_document(source)
    diagnostics = [
        _shown_as(d, job.key) for d in check_document(document, job.config, source=source.text)
    ]
    resolutions = [r for w in document.workflows for r in resolve_workflow(w)]
    shown = replace(document, path=job.key)
    simulations, sim_pages = _simulations(job, shown)
    page = _report(shown, diagnostics, resolutions, source.text)
    href = document_href(job.slug)
    entry = _entry(job, shown, diagnostics, simulations, href)
    from compiler.render.publish import publish_page

    # The page for a docs site (Docusaurus, MkDocs): the author's text with the diagram.
    export = {markdown_href(job.slug): publish_page(shown, source.text)}
    return PageResult(entry, {href: page, **sim_pages, **export})


def _shown_as(diagnostic: Diagnostic, key: str) -> Diagnostic:
    """The diagnostic with the reader's path (never the build machine's)."""
    related = tuple(replace(r, file=key) for r in diagnostic.related)
    return replace(diagnostic, file=key, related=related)


def _report(
    document: Document, diagnostics: list[Diagnostic], resolutions: list[Any], text: str
) -> str:
    from markupsafe import Markup

    from compiler.render.report import render_report

    links = SiteLinks(Markup(NAV_MARK), "../rules.html")
    return render_report(document, diagnostics, resolutions=resolutions, source=text, site=links)


def _status(document: Document, diagnostics: list[Diagnostic]) -> Status:
    if not any(w.phases for w in document.workflows):
        return "no-workflow"
    if any(d.severity == "error" for d in diagnostics):
        return "errors"
    if any(d.severity == "warning" for d in diagnostics):
        return "warnings"
    return "clean"


def _entry(
    job: PageJob,
    document: Document,
    diagnostics: list[Diagnostic],
    simulations: tuple[SimulationEntry, ...],
    href: str,
) -> DocumentEntry:
    from compiler.render.report import _title
    from compiler.render.report_view import anchor
    from compiler.render.text import clean

    steps = list(iter_steps(document))
    paths = {
        path.id
        for workflow in document.workflows
        for phase in workflow.phases
        for block in iter_blocks(phase.blocks)
        if isinstance(block, DecisionBlock)
        for path in block.paths
    }
    taken = {step for sim in simulations for step in sim.path} & paths
    return DocumentEntry(
        key=job.key,
        slug=job.slug,
        href=href,
        title=_title(document),
        dialect=", ".join(sorted({w.dialect for w in document.workflows if w.phases})),
        phases=sum(len(w.phases) for w in document.workflows),
        steps=len(steps),
        agents=tuple(sorted({s.agent for s in steps if s.agent})),
        errors=sum(d.severity == "error" for d in diagnostics),
        warnings=sum(d.severity == "warning" for d in diagnostics),
        infos=sum(d.severity == "info" for d in diagnostics),
        status=_status(document, diagnostics),
        step_entries=tuple(
            StepEntry(
                id=s.id,
                title=clean(s.title) or s.id,
                anchor=anchor(s.id),
                agent=s.agent or "",
                agent_called=s.agent is not None and s.provenance == "explicit",
                prompt=" ".join((s.prompt or "").split())[:PROMPT_CHARS],
            )
            for s in steps
        ),
        simulations=simulations,
        decision_paths=len(paths),
        paths_taken=len(taken),
    )


def _unreadable(job: PageJob, reason: str) -> PageResult:
    entry = DocumentEntry(
        key=job.key,
        slug=job.slug,
        href="",
        title=Path(job.key).name,
        dialect="",
        phases=0,
        steps=0,
        agents=(),
        errors=1,
        warnings=0,
        infos=0,
        status="unreadable",
        problem=f"WF901 unreadable-file: {reason}",
    )
    return PageResult(entry)


# --- simulations ------------------------------------------------------------------------

_BODY = re.compile(r"<body[^>]*>")


def _simulations(
    job: PageJob, document: Document
) -> tuple[tuple[SimulationEntry, ...], dict[str, str]]:
    """Each scenario beside the document, run once: its Gantt page and its verdicts. A
    scenario that cannot run is listed with the reason; it never stops the build."""
    entries: list[SimulationEntry] = []
    pages: dict[str, str] = {}
    for name, scenario in job.scenarios:
        href = f"sim/{job.slug}--{_scenario_slug(name)}.html"
        try:
            entry, page, extra = _simulate(job, document, scenario, name, href)
        except Exception as exc:  # a scenario drillbook cannot run is reported, not fatal
            message = str(exc).replace(scenario, name).strip() or type(exc).__name__
            entries.append(
                SimulationEntry(
                    name=name, href="", passed=False, total="", verdicts=(), error=message
                )
            )
            continue
        entries.append(entry)
        pages[href] = page
        pages.update(extra)
    return tuple(entries), pages


def _scenario_slug(name: str) -> str:
    from compiler.site.slugs import slugify

    return slugify(re.sub(r"\.ya?ml$", "", name))


def _simulate(
    job: PageJob, document: Document, scenario: str, name: str, href: str
) -> tuple[SimulationEntry, str, dict[str, str]]:
    from compiler.durations import format_duration
    from compiler.simulate import plan_for, read_scenario, run
    from compiler.simulate.gantt_page import render_html

    loaded = read_scenario(Path(scenario), name)
    plan = plan_for(document, loaded, milestones=job.config.milestones_for(job.path))
    result = run(plan)
    from compiler.simulate.montecarlo import monte_carlo
    from compiler.simulate.report_montecarlo_html import render_montecarlo_html

    runs = monte_carlo(plan, MONTE_CARLO_RUNS, plan.seed, budget=True)
    montecarlo_href = href.replace(".html", ".montecarlo.html")
    montecarlo = _BODY.sub(
        lambda m: m.group(0) + "\n" + NAV_MARK, render_montecarlo_html(runs), count=1
    )
    expected = dict(result.plan.expect.slos)
    as_expected = {v.name for v in result.slos if expected.get(v.name) == v.status != "met"}
    verdicts = tuple(
        f"{v.name}: {v.status}{' (as expected)' if v.name in as_expected else ''} — {v.detail}"
        for v in result.slos
    )
    page = _BODY.sub(lambda m: m.group(0) + "\n" + NAV_MARK, render_html(result), count=1)
    entry = SimulationEntry(
        name=name,
        href=href,
        # the verdict `drillbook test` gives: an objective the scenario expects to be missed
        # passes when it is missed
        passed=result.passed,
        total=format_duration(round(result.total_s)),
        verdicts=verdicts,
        path=tuple(sorted(set(result.path))),
        montecarlo_href=montecarlo_href,
    )
    return entry, page, {montecarlo_href: montecarlo}
