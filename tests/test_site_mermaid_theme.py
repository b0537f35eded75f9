"""Mermaid flowcharts as docs sites draw them: phase titles never sit on a node, and node text
stays readable in the host's light and dark themes (drillbook sets strokes only, so fills and
text come from the theme). Drawn by the real Mermaid in headless Chromium; screenshots go to
`.cache/site-screenshots/`.

The page imitates MkDocs Material, which colours node text from its own palette (dark text in
light mode, light text in dark mode) whatever the diagram says."""

from __future__ import annotations

import pytest

from tests.conftest import SEED, SPEC_FILES
from tests.test_browser_render import CHROMIUM, browser, mermaid_js, mermaid_of  # noqa: F401

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary on PATH")

OVERLAPS = """(() => {
  const box = (n, id) => { const r = n.getBoundingClientRect();
    return {id: id, l: r.left, t: r.top, r: r.right, b: r.bottom}; };
  const boxes = [...document.querySelectorAll('g.node')].map(n => box(n, n.id));
  [...document.querySelectorAll('.cluster-label')].forEach((n, i) => {
    if (n.textContent.trim()) boxes.push(box(n, 'cluster_title_' + i)); });
  const hit = (a, b) => a.l < b.r - 1 && b.l < a.r - 1 && a.t < b.b - 1 && b.t < a.b - 1;
  const out = [];
  for (const a of boxes) for (const b of boxes)
    if (a.id < b.id && (a.id.includes('_title') || b.id.includes('_title')) && hit(a, b))
      out.push(a.id + ' / ' + b.id);
  return out;
})()"""

CONTRAST = """(() => {
  const lum = c => { const m = c.match(/\\d+(\\.\\d+)?/g); if (!m) return null;
    const [r, g, b] = m.slice(0, 3).map(Number); return (0.299*r + 0.587*g + 0.114*b) / 255; };
  const out = [];
  for (const n of document.querySelectorAll('g.node')) {
    const shape = n.querySelector('rect, polygon, path, circle');
    const label = n.querySelector('.nodeLabel, span, text');
    if (!shape || !label) continue;
    const fill = getComputedStyle(shape).fill, color = getComputedStyle(label).color;
    if (!fill || fill === 'none' || fill.startsWith('url')) continue;
    const a = lum(fill), b = lum(color);
    if (a !== null && b !== null && Math.abs(a - b) < 0.35)
      out.push(n.id + ' ' + fill + ' on ' + color);
  }
  return out;
})()"""


@pytest.mark.parametrize("theme", ["default", "dark"])
def test_phase_titles_clear_of_nodes_and_text_readable(browser, mermaid_js, tmp_path, theme):  # noqa: F811
    from tests.conftest import ROOT

    paths = [*SPEC_FILES, *([SEED] if SEED.exists() else [])]
    harness = tmp_path / "page.html"
    for path in paths:
        text = mermaid_of(path, tmp_path)
        import json

        background = "#fff" if theme == "default" else "#1e2129"
        label = "#000000de" if theme == "default" else "#e2e4e9"
        harness.write_text(
            f"""<!DOCTYPE html><html><head><meta charset="utf-8"></head>
<style>.nodeLabel, .node .label {{ color: {label} !important; }}</style>
<body style="background:{background}"><div id="out"></div>
<script src="{mermaid_js.as_uri()}"></script>
<script>
mermaid.initialize({{startOnLoad: false, theme: "{theme}", securityLevel: "strict"}});
window.__done = mermaid.render("m", {json.dumps(text)})
  .then(r => {{ document.getElementById("out").innerHTML = r.svg; return "ok"; }})
  .catch(e => String(e));
</script></body></html>""",
            encoding="utf-8",
        )
        page = browser.open(harness.as_uri())
        try:
            assert page.evaluate("window.__done", await_promise=True) == "ok", path
            assert page.evaluate(OVERLAPS) == [], path
            assert page.evaluate(CONTRAST) == [], path
            if path == paths[-1]:
                shots = ROOT / ".cache" / "site-screenshots"
                shots.mkdir(parents=True, exist_ok=True)
                page.screenshot(shots / f"mermaid-{theme}.png", 1280, 1000, clip=(0, 0, 1280, 1000))
        finally:
            page.close()
