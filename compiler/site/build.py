"""`drillbook site`: gather every document first, then write (as mkdocs does). Documents whose
cached result is still valid are not read again; the others are built, in worker processes
with `jobs` > 1. The site is written to a temporary folder and swapped in at the end."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from compiler.site import cache
from compiler.site.document_page import NAV_MARK, PageJob, PageResult, build_document
from compiler.site.inputs import SiteInput, gather_inputs
from compiler.site.output import building, check_target

#: Called with (documents done, documents in all) while the site is built.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildReport:
    documents: int
    pages: int  # HTML files written
    rebuilt: int  # documents built afresh (the rest came from the cache)
    unreadable: int
    errors: int  # documents with lint errors


def build_site(
    paths: list[str],
    target: Path,
    *,
    force: bool = False,
    jobs: int = 1,
    config_file: str | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the site of `paths` into `target`. Raises InputError / OutputError (nothing
    written) for unusable arguments."""
    check_target(target, [Path(p) for p in paths], force)
    inputs = gather_inputs(paths, config_file, output=target)
    fingerprints: dict[int, str] = {}
    keys = [cache.cache_key(item, fingerprints) for item in inputs]
    results: dict[int, PageResult] = {}
    todo: list[int] = []
    for index, key in enumerate(keys):
        found = cache.load_cached(target, key) if key and target.is_dir() else None
        if found is not None:
            results[index] = found
        else:
            todo.append(index)
    done = len(results)
    if progress:
        progress(done, len(inputs))
    for index, result in _run(inputs, todo, jobs):
        results[index] = result
        done += 1
        if progress:
            progress(done, len(inputs))
    ordered = [results[i] for i in range(len(inputs))]
    with building(target) as writer:
        for key, result in zip(keys, ordered, strict=True):
            if key:
                cache.store(writer.folder, key, result)
        pages = write_pages(writer.write, ordered)
        writer.write(f"{cache.STATE_DIR}/.gitignore", "cache/\n")
    entries = [r.entry for r in ordered]
    return BuildReport(
        documents=len(inputs),
        pages=pages,
        rebuilt=len(todo),
        unreadable=sum(e.status == "unreadable" for e in entries),
        errors=sum(e.status == "errors" for e in entries),
    )


def _run(inputs: list[SiteInput], todo: list[int], jobs: int) -> Iterator[tuple[int, PageResult]]:
    """Each document of `todo` built, yielded as soon as it is done (so the progress bar moves
    while the site builds, not all at once at the end)."""
    work = [
        PageJob(
            inputs[i].key, inputs[i].path, inputs[i].slug, inputs[i].config, inputs[i].scenarios
        )
        for i in todo
    ]
    workers = min(jobs if jobs > 0 else (os.cpu_count() or 1), len(work))
    if workers <= 1:
        for i, job in zip(todo, work, strict=True):
            yield i, build_document(job)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # map yields in order, each result when it is ready: the order (and so the output)
        # stays the same whatever the worker count
        yield from zip(todo, pool.map(build_document, work, chunksize=1), strict=True)


def write_pages(write: Callable[[str, str], None], results: list[PageResult]) -> int:
    """Every page of the site through `write(relative path, text)`; the number of pages."""
    from markupsafe import Markup

    from compiler.site.links import repoint_links
    from compiler.site.search_index import search_index_js
    from compiler.site.views import agents_view, index_view, navigation, rules_view
    from compiler.templating import environment, render_template

    entries = [r.entry for r in results]
    with_pages = [e for e in entries if e.href]
    position = {e.key: at for at, e in enumerate(with_pages)}
    page_of = {e.key: e.href for e in with_pages}
    pages = 0
    for result in results:
        entry = result.entry
        if not entry.href:
            continue
        at = position[entry.key]
        previous = with_pages[at - 1] if at > 0 else None
        following = with_pages[at + 1] if at + 1 < len(with_pages) else None
        for relative, html in sorted(result.pages.items()):
            if not relative.endswith(".html"):
                write(relative, html)  # the Markdown export, as published
                continue
            view = navigation(entry, previous, following, relative)
            nav = Markup(render_template("site-nav.html.j2", nav=view))
            page = repoint_links(html, entry.key, page_of)
            write(relative, page.replace(NAV_MARK, nav, 1))
            pages += 1
    site_pages = {
        "index.html": render_template("site-index.html.j2", view=index_view(entries), root=""),
        "agents.html": render_template("site-agents.html.j2", agents=agents_view(entries), root=""),
        "rules.html": render_template("site-rules.html.j2", rules=rules_view(), root=""),
    }
    for relative, html in site_pages.items():
        write(relative, html)
        pages += 1
    loader = environment().loader
    assert loader is not None
    for asset in ("site.css", "site.js"):
        write(f"assets/{asset}", loader.get_source(environment(), asset)[0])
    write("assets/search-index.js", search_index_js(entries))
    return pages
