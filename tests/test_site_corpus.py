"""The site of every real document beside the project (../shared/corpus, corpus2) and specs/:
it builds, every document is on the index, and a crawler over every page finds no broken
internal link and no remote asset. Skipped where ../shared is absent."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from compiler.cli.files import markdown_files
from compiler.site.build import build_site
from tests.conftest import CORPUS, SHARED, SPECS, needs_corpus
from tests.site_support import build, crawl

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
