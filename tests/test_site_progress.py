"""`drillbook site`'s progress bar advances while documents are built, not all at once when the
last one is done (with one worker and with several)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from compiler.site import build as site_build
from compiler.site.build import build_site
from compiler.site.document_page import PageJob, PageResult, build_document

PLAYBOOK = """# Playbook {n}

## Phase 1: Triage
- Use Task tool with subagent_type="triager"
- Prompt: "Look at the alerts"
- Output: triage notes
"""

#: How long a held-back document waits for the progress report it needs before giving up.
PATIENCE_S = 20.0


def _documents(folder: Path, count: int) -> Path:
    folder.mkdir()
    for n in range(count):
        (folder / f"doc{n}.md").write_text(PLAYBOOK.format(n=n), encoding="utf-8")
    return folder


def test_progress_is_reported_after_each_document_with_one_worker(tmp_path, monkeypatch):
    events: list[str] = []

    def recording_build(job: PageJob) -> PageResult:
        events.append(f"build {Path(job.path).name}")
        return build_document(job)

    monkeypatch.setattr(site_build, "build_document", recording_build)
    docs = _documents(tmp_path / "docs", 3)
    build_site([str(docs)], tmp_path / "site", progress=lambda d, t: events.append(f"{d}/{t}"))
    assert events == [
        "0/3",
        "build doc0.md",
        "1/3",
        "build doc1.md",
        "2/3",
        "build doc2.md",
        "3/3",
    ]


def gated_build(job: PageJob) -> PageResult:
    """Runs in a worker: documents 2 and 3 wait until the parent has reported document 0 or 1
    as done (it writes a flag file then). A parent that reports nothing until every document
    is built never writes it, and the document says it waited in vain."""
    flags = Path(os.environ["DRILLBOOK_TEST_FLAGS"])
    if Path(job.path).name in ("doc2.md", "doc3.md"):
        deadline = time.monotonic() + PATIENCE_S
        while not (flags / "reported").exists():
            if time.monotonic() > deadline:
                (flags / f"waited-in-vain-{Path(job.path).stem}").touch()
                break
            time.sleep(0.05)
    return build_document(job)


@pytest.mark.skipif(os.name != "posix", reason="workers inherit the patch through fork")
def test_progress_is_reported_while_workers_are_still_building(tmp_path, monkeypatch):
    import multiprocessing

    if multiprocessing.get_start_method(allow_none=False) != "fork":
        pytest.skip("the patched build reaches the workers only through fork")
    flags = tmp_path / "flags"
    flags.mkdir()
    monkeypatch.setenv("DRILLBOOK_TEST_FLAGS", str(flags))
    monkeypatch.setattr(site_build, "build_document", gated_build)
    docs = _documents(tmp_path / "docs", 4)
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 1:
            (flags / "reported").touch()

    build_site([str(docs)], tmp_path / "site", jobs=2, progress=progress)
    assert sorted(p.name for p in flags.iterdir()) == ["reported"]
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
