"""The site of every real document beside the project (../shared/corpus, corpus2) and specs/:
it builds, every document is on the index, and a crawler over every page finds no broken
internal link and no remote asset. Skipped where ../shared is absent."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from compiler.cli.files import markdown_files
from compiler.site.build import build_site
from tests.browser import Browser, chromium_binary
from tests.conftest import CORPUS, ROOT, SHARED, SPECS, needs_corpus
from tests.site_support import build, crawl
from tests.test_site_browser import type_query

SHOTS = ROOT / ".cache" / "site-screenshots"

CORPUS2 = SHARED / "corpus2"
pytestmark = needs_corpus


INPUTS = [CORPUS, *([CORPUS2] if CORPUS2.exists() else []), SPECS]
FULL_BUILD: list[float] = []


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus-site") / "site"
    started = time.perf_counter()
    result = build(*INPUTS, "-o", out)
    FULL_BUILD.append(time.perf_counter() - started)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return out


def test_a_no_change_rebuild_takes_a_fifth_of_the_full_build(corpus_site):
    started = time.perf_counter()
    report = build_site([str(p) for p in INPUTS], corpus_site)
    again = time.perf_counter() - started
    assert report.rebuilt == 0
    assert again <= 0.2 * FULL_BUILD[0], (again, FULL_BUILD[0])


def test_every_document_is_on_the_index(corpus_site):
    index = (corpus_site / "index.html").read_text(encoding="utf-8")
    listed = set(re.findall(r'<code class="path">(.*?)</code>', index))
    for root in (CORPUS, CORPUS2, SPECS):
        if not root.exists():
            continue
        for file in markdown_files(root):
            key = f"{root.name}/{Path(file).relative_to(root).as_posix()}"
            assert key.replace("&", "&amp;") in listed, key


def test_no_broken_link_and_no_remote_asset(corpus_site):
    broken, remote, pages = crawl(corpus_site)
    assert broken == []
    assert remote == []
    assert pages > 300


@pytest.mark.skipif(chromium_binary() is None, reason="no chromium binary on PATH")
def test_search_finds_corpus_playbooks_by_agent_and_prompt_phrase(corpus_site):
    text = (corpus_site / "assets" / "search-index.js").read_text(encoding="utf-8")
    records = json.loads(text.split("=", 1)[1].strip().rstrip(";"))
    # A rare agent and a phrase from the middle of a prompt of another playbook.
    counts: dict[str, int] = {}
    for record in records:
        for agent in record[4]:
            counts[agent] = counts.get(agent, 0) + 1
    by_agent = next(r for r in records if r[4] and counts[r[4][-1]] == 1)
    agent = by_agent[4][-1]
    by_prompt = next(r for r in records[len(records) // 2 :] if any(len(s[3]) > 80 for s in r[5]))
    prompt = next(s[3] for s in by_prompt[5] if len(s[3]) > 80)
    phrase = " ".join(prompt.split()[3:8])
    binary = chromium_binary()
    assert binary is not None
    browser = Browser(binary)
    try:
        page = browser.open((corpus_site / "index.html").as_uri(), settle=0.5)
        for query, wanted in ((agent, by_agent[0]), (phrase, by_prompt[0])):
            found = type_query(page, query)
            assert wanted in [r["href"] for r in found], (query, found[:3])
        loaded = page.evaluate(
            "[location.href, ...performance.getEntriesByType('resource').map(e => e.name)]"
        )
        assert all(url.startswith("file://") for url in loaded)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(SHOTS / "corpus-search-1280.png", 1280, 900, clip=(0, 0, 1280, 900))
        page.close()
        page = browser.open((corpus_site / "index.html").as_uri(), settle=0.5)
        page.screenshot(SHOTS / "corpus-index-1280.png", 1280, 1100, clip=(0, 0, 1280, 1100))
        page.close()
    finally:
        browser.close()
