"""`drillbook site --watch` rebuilds when a document changes, and ignores its own output."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from compiler.cli.site_watch import relevant
from tests.conftest import ROOT
from tests.test_site import playbook

pytest.importorskip("watchfiles", reason="watchfiles is not installed (drillbook[watch])")


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def index_has(site: Path, text: str) -> bool:
    try:
        return text in (site / "index.html").read_text(encoding="utf-8")
    except OSError:
        return False


def test_watch_rebuilds_on_change(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(playbook("First Title"), encoding="utf-8")
    site = tmp_path / "site"
    process = subprocess.Popen(
        [sys.executable, "-m", "compiler", "site", str(docs), "-o", str(site), "--watch"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert wait_for(lambda: index_has(site, "First Title")), "first build"
        time.sleep(0.5)  # let the watcher start
        (docs / "a.md").write_text(playbook("Second Title"), encoding="utf-8")
        assert wait_for(lambda: index_has(site, "Second Title")), "rebuild after a change"
        (docs / "b.md").write_text(playbook("Brand New"), encoding="utf-8")
        assert wait_for(lambda: index_has(site, "Brand New")), "rebuild after a new file"
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_what_counts_as_a_change():
    assert relevant("docs/a.md") and relevant("docs/a.scenario.yaml")
    assert relevant("drillbook.toml")
    assert not relevant("docs/.a.md.swp") and not relevant("docs/~a.md")
    assert not relevant("site/index.html")
