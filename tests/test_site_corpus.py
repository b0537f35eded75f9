"""The site of every real document beside the project (../shared/corpus, corpus2) and specs/:
it builds, every document is on the index, and a crawler over every page finds no broken
internal link and no remote asset. Skipped where ../shared is absent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compiler.cli.files import markdown_files
from tests.conftest import CORPUS, SHARED, SPECS, needs_corpus
from tests.site_support import build, crawl

CORPUS2 = SHARED / "corpus2"
pytestmark = needs_corpus


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    inputs = [CORPUS, *([CORPUS2] if CORPUS2.exists() else []), SPECS]
    out = tmp_path_factory.mktemp("corpus-site") / "site"
    result = build(*inputs, "-o", out, "--jobs", "0")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return out


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
