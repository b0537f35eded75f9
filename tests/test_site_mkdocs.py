"""The MkDocs plugin in a real `mkdocs build` of a small docs project: workflow pages gain the
diagram and step table (the author's text kept), other pages are untouched, findings appear
only on request, `strict: true` fails the build on lint errors; with Material, light and dark,
screenshots go to `.cache/site-screenshots/` for a person to look at."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
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


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seeds is not beside the project")
def test_findings_name_the_lines_of_the_file_as_lint_does(tmp_path):
    """The seed has front matter; its WF301 names the producer's line in its message. The
    build log says what `drillbook lint` says, both lines included."""
    from tests.conftest import run_cli

    folder = project(tmp_path, "  - drillbook", "  name: mkdocs", hostile=False)
    done = mkdocs_build(folder)
    assert done.returncode == 0, done.stderr
    logged = [line for line in done.stderr.splitlines() if "WF301" in line]
    linted = [line for line in run_cli("lint", str(SEED)).stdout.splitlines() if " WF301 " in line]
    assert logged and len(logged) == len(linted)
    for log_line, lint_line in zip(logged, linted, strict=True):
        where, _, message = lint_line.partition(" WF301 parallel-read-race [error] ")
        line, column = where.rstrip(":").rsplit(":", 2)[-2:]
        assert f"seed.md:{line}:{column}:" in log_line
        assert message in log_line


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


#: Material draws each Mermaid diagram into a closed shadow root; the test opens it to read
#: the colours (loaded after Material's bundle, before the diagrams are drawn).
OPEN_SHADOWS = """const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  return attach.call(this, Object.assign({}, init, {mode: "open"}));
};
"""

#: For every node of every diagram: the contrast (WCAG ratio) between its label's colour and
#: what shows behind the label — the node's fill over the phase frame's fill over the page,
#: each composited with its alpha and fill-opacity.
NODE_CONTRAST = """(() => {
  const rgba = c => { const m = (c || '').match(/[\\d.]+/g);
    if (!m || c === 'none') return [0, 0, 0, 0];
    return [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1]; };
  const paint = el => { const s = getComputedStyle(el); const c = rgba(s.fill);
    c[3] *= parseFloat(s.fillOpacity || '1') * parseFloat(s.opacity || '1'); return c; };
  const over = (top, under) => { const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]); };
  const lum = c => { const f = v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05); };
  const page = rgba(getComputedStyle(document.body).backgroundColor);
  const out = [];
  for (const host of document.querySelectorAll('div.mermaid')) {
    const root = host.shadowRoot; if (!root) continue;
    const frames = [...root.querySelectorAll('g.cluster > rect')];
    for (const node of root.querySelectorAll('g.node')) {
      const label = node.querySelector('.nodeLabel'); const shape = node.querySelector(
        'rect, polygon, path, circle');
      if (!label || !shape || !label.textContent.trim()) continue;
      const r = label.getBoundingClientRect(); const x = r.left + r.width / 2,
        y = r.top + r.height / 2;
      const frame = frames.filter(f => { const b = f.getBoundingClientRect();
        return b.left <= x && x <= b.right && b.top <= y && y <= b.bottom; }).pop();
      let behind = frame ? over(paint(frame), page) : page;
      behind = over(paint(shape), behind);
      const text = over(rgba(getComputedStyle(label).color), behind);
      out.push([label.textContent.trim().slice(0, 40), ratio(text, behind)]);
    }
  }
  return out;
})()"""


@pytest.mark.skipif(chromium_binary() is None, reason="no chromium binary on PATH")
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_material_mermaid_diagram_is_readable_light_and_dark(tmp_path, scheme):
    """`diagram: mermaid` in a real Material build, drawn by the real Mermaid (Material uses
    the page's `mermaid` when there is one, so nothing is fetched): every node's label
    contrasts with what is behind it, in the light scheme and in slate."""
    pytest.importorskip("material", reason="mkdocs-material is not installed")
    from tests.test_browser_render import MERMAID_JS

    if not MERMAID_JS.exists():
        pytest.skip("the mermaid package is not in .cache/mermaid (tests/test_browser_render)")
    theme = f"  name: material\n  font: false\n  palette:\n    scheme: {scheme}"
    folder = project(tmp_path, "  - drillbook:\n      diagram: mermaid", theme, hostile=False)
    js = folder / "docs" / "js"
    js.mkdir()
    shutil.copy(MERMAID_JS, js / "mermaid.min.js")
    (js / "open-shadows.js").write_text(OPEN_SHADOWS, encoding="utf-8")
    with (folder / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(
            "markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n"
            "        - name: mermaid\n          class: mermaid\n"
            "          format: !!python/name:pymdownx.superfences.fence_code_format\n"
            "extra_javascript:\n  - js/mermaid.min.js\n  - js/open-shadows.js\n"
        )
    done = mkdocs_build(folder)
    assert done.returncode == 0, done.stderr
    name = "seed" if SEED.exists() else "payments-outage"
    binary = chromium_binary()
    assert binary is not None
    browser = Browser(binary)
    try:
        page = browser.open((folder / "out" / name / "index.html").as_uri(), settle=0.5)
        for _ in range(50):  # Mermaid draws after the page has loaded
            if page.evaluate("!!document.querySelector('div.mermaid')?.shadowRoot"):
                break
            time.sleep(0.1)
        contrasts = page.evaluate(NODE_CONTRAST)
        assert len(contrasts) >= 8, contrasts  # the diagram was drawn and read
        unreadable = [(label, round(r, 2)) for label, r in contrasts if r < 3]
        top = page.evaluate(
            "document.querySelector('div.mermaid').getBoundingClientRect().top + window.scrollY"
        )
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / f"mkdocs-material-mermaid-{scheme}.png"
        page.screenshot(shot, 1280, 1200, clip=(0, max(int(top) - 40, 0), 1280, 1200))
        assert unreadable == [], unreadable
    finally:
        browser.close()
