"""The MkDocs plugin in a real `mkdocs build` of a small docs project: workflow pages gain the
diagram and step table (the author's text kept), other pages are untouched, findings appear
only on request, `strict: true` fails the build on lint errors; with Material, light and dark,
screenshots go to `.cache/site-screenshots/` for a person to look at."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import Browser, chromium_binary
from tests.conftest import FIXTURES, ROOT, SEED, SPECS

pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install 'drillbook[mkdocs]')")

SHOTS = ROOT / ".cache" / "site-screenshots"
ERROR_DOC = FIXTURES / "lint" / "rules" / "WF202-used-before-produced.md"


def project(
    tmp_path: Path, plugin: str, theme: str = "mkdocs", *, seed: bool = True, hostile: bool = True
) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Team docs\n\nNothing to see <b>here</b>.\n", "utf-8")
    shutil.copy(SPECS / "payments-outage.md", docs / "payments-outage.md")
    shutil.copy(SPECS / "payments-outage.scenario.yaml", docs / "payments-outage.scenario.yaml")
    if hostile:
        shutil.copy(FIXTURES / "render" / "hostile.md", docs / "hostile.md")
    if seed and SEED.exists():
        shutil.copy(SEED, docs / "seed.md")
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: Playbooks\ntheme:\n{theme}\nplugins:\n{plugin}\n", encoding="utf-8"
    )
    return tmp_path


def mkdocs_build(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", "out"],
        cwd=folder, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_workflow_pages_gain_the_diagram_and_others_stay(tmp_path):
    folder = project(tmp_path, "  - drillbook", "  name: mkdocs")
    done = mkdocs_build(folder)
    assert done.returncode == 0, done.stderr
    page = (folder / "out" / "payments-outage" / "index.html").read_text(encoding="utf-8")
    assert 'class="drillbook-diagram"' in page and "<svg" in page
    assert "Workflow at a glance" in page and "acquirer-liaison" in page
    assert "Triage the payments outage" in page  # the author's prompts are kept
    assert 'class="drillbook-timeline"' in page  # the scenario beside the page
    assert "WF" not in page.split("Workflow at a glance")[1].split("</table>")[0]
    index = (folder / "out" / "index.html").read_text(encoding="utf-8")
    assert "drillbook" not in index and "<b>here</b>" in index
    hostile = (folder / "out" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "drillbook-diagram" in hostile
    assert "<script>window.__pwned" not in hostile.split("drillbook-diagram")[1]


def test_findings_on_request_and_strict_fails_on_errors(tmp_path):
    folder = project(
        tmp_path,
        "  - drillbook:\n      findings: true\n      strict: true",
        "  name: mkdocs",
        seed=False,
    )
    shutil.copy(ERROR_DOC, folder / "docs" / "broken.md")
    done = mkdocs_build(folder)
    assert done.returncode != 0
    assert "WF202" in done.stderr and "strict" in done.stderr
    line = next(
        n
        for n, text in enumerate(ERROR_DOC.read_text("utf-8").splitlines(), 1)
        if "expect: WF202" in text
    )
    assert f"broken.md:{line}:" in done.stderr  # lines of the file, front matter included
    (folder / "docs" / "broken.md").unlink()
    done = mkdocs_build(folder)
    assert done.returncode == 0, done.stderr
    page = (folder / "out" / "payments-outage" / "index.html").read_text(encoding="utf-8")
    assert "Lint findings" in page


@pytest.mark.skipif(chromium_binary() is None, reason="no chromium binary on PATH")
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_material_build_light_and_dark(tmp_path, scheme):
    pytest.importorskip("material", reason="mkdocs-material is not installed")
    theme = f"  name: material\n  font: false\n  palette:\n    scheme: {scheme}"
    # Without the hostile page: MkDocs itself prints a page's front-matter title raw in the
    # navigation of every page, which no plugin can prevent.
    folder = project(tmp_path, "  - drillbook", theme, hostile=False)
    done = mkdocs_build(folder)
    assert done.returncode == 0, done.stderr
    name = "seed" if SEED.exists() else "payments-outage"
    page_path = folder / "out" / name / "index.html"
    binary = chromium_binary()
    assert binary is not None
    browser = Browser(binary)
    try:
        page = browser.open(page_path.as_uri(), settle=0.5)
        loaded = page.evaluate(
            "[location.href, ...performance.getEntriesByType('resource').map(e => e.name)]"
        )
        assert all(url.startswith("file://") for url in loaded), loaded
        top = page.evaluate(
            "document.querySelector('.drillbook-diagram').getBoundingClientRect().top"
            " + window.scrollY"
        )
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / f"mkdocs-material-{scheme}.png"
        page.screenshot(shot, 1280, 1000, clip=(0, max(int(top) - 80, 0), 1280, 1000))
        assert page.evaluate("typeof window.__pwned") == "undefined"
    finally:
        browser.close()
