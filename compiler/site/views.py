"""View-models of the site's own pages (index, agents, rules) and the navigation a document
page gets, prepared here so the templates only print fields."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from compiler.site.entries import STATUS_ORDER, STATUS_TEXT, DocumentEntry
from compiler.site.slugs import unique_slugs


@dataclass(frozen=True)
class Crumb:
    text: str
    href: str


@dataclass(frozen=True)
class NavView:
    crumbs: tuple[Crumb, ...]
    title: str
    previous: Crumb | None
    next: Crumb | None
    simulations: tuple[Crumb, ...] = ()
    markdown: str = ""  # the page's Markdown export, for docs sites


@dataclass(frozen=True)
class IndexRow:
    entry: DocumentEntry
    status_text: str
    status_rank: int
    agents_text: str  # the agents the agents page lists (`compiler.site.agent_filter`)
    agent_count: int
    simulation_text: str  # "2/2 pass", "" when no scenario
    simulation_tone: str
    coverage_text: str  # "decision paths taken: 2/3", "" without scenarios or decisions


@dataclass(frozen=True)
class IndexView:
    rows: tuple[IndexRow, ...]
    dialects: tuple[str, ...]
    statuses: tuple[tuple[str, str, int], ...]  # (status, text, count)
    documents: int
    pages: int


@dataclass(frozen=True)
class AgentUse:
    document: str
    href: str
    step: str
    step_href: str


@dataclass(frozen=True)
class AgentView:
    name: str
    anchor: str
    documents: int
    uses: tuple[AgentUse, ...]


@dataclass(frozen=True)
class RuleView:
    code: str
    slug: str
    severity: str
    category: str
    summary: str
    what: Any  # Markup
    why: Any
    example: Any


def navigation(
    entry: DocumentEntry,
    previous: DocumentEntry | None,
    following: DocumentEntry | None,
    page: str,
) -> NavView:
    """Breadcrumbs (site, each folder, the page) and the neighbouring documents, with
    links relative to a page one folder down (`docs/`, `sim/`). `page` is the site path of
    the page the navigation goes on: on a simulation page the document is a crumb too."""
    crumbs = [Crumb("All playbooks", "../index.html")]
    parts = entry.key.split("/")[:-1]
    for depth in range(len(parts)):
        folder = "/".join(parts[: depth + 1])
        crumbs.append(Crumb(parts[depth], f"../index.html#folder={_quote(folder)}"))
    title = entry.title
    for simulation in entry.simulations:
        if simulation.href == page:
            crumbs.append(Crumb(entry.title, f"../{entry.href}"))
            title = f"simulation: {simulation.name}"
        elif simulation.montecarlo_href and simulation.montecarlo_href == page:
            crumbs.append(Crumb(entry.title, f"../{entry.href}"))
            title = f"Monte Carlo: {simulation.name}"
    return NavView(
        crumbs=tuple(crumbs),
        title=title,
        previous=Crumb(previous.title, f"../{previous.href}") if previous else None,
        next=Crumb(following.title, f"../{following.href}") if following else None,
        simulations=tuple(
            crumb
            for s in entry.simulations
            if s.href
            for crumb in (
                Crumb(f"{s.name} ({'passes' if s.passed else 'fails'}, {s.total})", f"../{s.href}"),
                Crumb("Monte Carlo", f"../{s.montecarlo_href}"),
            )
            if crumb.href != f"../{page}" and crumb.href != "../"
        ),
        markdown=f"../md/{entry.slug}.md",
    )


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def index_view(entries: Sequence[DocumentEntry]) -> IndexView:
    from compiler.site.agent_filter import listed_agent

    called = _called_agents(entries)
    rows = []
    for entry in entries:
        sims = entry.simulations
        passed = sum(s.passed for s in sims)
        agents = [a for a in entry.agents if listed_agent(a, a in called)]
        rows.append(
            IndexRow(
                entry=entry,
                status_text=STATUS_TEXT[entry.status],
                status_rank=STATUS_ORDER[entry.status],
                agents_text=", ".join(agents),
                agent_count=len(agents),
                simulation_text=f"{passed}/{len(sims)} pass" if sims else "",
                simulation_tone=("ok" if passed == len(sims) else "error") if sims else "",
                coverage_text=(
                    f"decision paths taken: {entry.paths_taken}/{entry.decision_paths}"
                    if sims and entry.decision_paths
                    else ""
                ),
            )
        )
    counts = {status: sum(e.status == status for e in entries) for status in STATUS_ORDER}
    return IndexView(
        rows=tuple(rows),
        dialects=tuple(sorted({d for e in entries for d in e.dialect.split(", ") if d})),
        statuses=tuple(
            (status, STATUS_TEXT[status], count)
            for status, count in sorted(counts.items(), key=lambda kv: STATUS_ORDER[kv[0]])
            if count
        ),
        documents=len(entries),
        pages=sum(bool(e.href) for e in entries),
    )


def agents_view(entries: Sequence[DocumentEntry]) -> tuple[AgentView, ...]:
    """Every agent that reads as an agent's name (`compiler.site.agent_filter`), with the
    steps that use it."""
    from compiler.site.agent_filter import listed_agent

    called = _called_agents(entries)
    uses: dict[str, list[AgentUse]] = {}
    for entry in entries:
        for step in entry.step_entries:
            if step.agent and listed_agent(step.agent, step.agent in called):
                uses.setdefault(step.agent, []).append(
                    AgentUse(entry.title, entry.href, step.title, f"{entry.href}#{step.anchor}")
                )
    anchors = agent_anchors(uses)
    return tuple(
        AgentView(
            name=name,
            anchor=anchors[name],
            documents=len({u.href for u in found}),
            uses=tuple(found),
        )
        for name, found in sorted(uses.items(), key=lambda kv: (kv[0].lower(), kv[0]))
    )


def _called_agents(entries: Sequence[DocumentEntry]) -> set[str]:
    """Agents some step of the site names in an explicit invocation."""
    return {s.agent for e in entries for s in e.step_entries if s.agent and s.agent_called}


def agent_anchors(names: Any) -> dict[str, str]:
    return {name: f"agent-{slug}" for name, slug in unique_slugs(names).items()}


def rules_view() -> tuple[RuleView, ...]:
    from compiler.rules import all_rules
    from compiler.templating import render_markdown

    return tuple(
        RuleView(
            code=info.code,
            slug=info.slug,
            severity=info.severity,
            category=info.category,
            summary=info.summary,
            what=render_markdown(info.section("What it does") or info.doc),
            why=render_markdown(info.section("Why it matters")),
            example=render_markdown(info.section("Example")),
        )
        for info in all_rules()
    )
