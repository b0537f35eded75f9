"""Rendered output in a real browser (headless Chromium): reports load without console errors
and show their diagram, a hostile document runs no script, and Mermaid itself draws every
Mermaid text drillbook writes.

Skipped, with the reason, when no Chromium is installed (`.ci/run` installs Debian's
`chromium`); the Mermaid check also needs npm, to install the `mermaid` package into the
git-ignored `.cache/mermaid`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli.render_cmd import render_command
from compiler.cli.simulate_cmd import simulate_command
from compiler.model import iter_steps
from compiler.parse import parse_text
from compiler.simulate.mermaid import render_mermaid
from compiler.simulate.report_montecarlo_html import render_montecarlo_html
from tests.browser import Browser, chromium_binary
from tests.conftest import FIXTURES, ROOT, SEED, SPEC_FILES, corpus_files, needs_corpus
from tests.test_simulate_montecarlo_report import hostile_report

CHROMIUM = chromium_binary()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary on PATH (apt-get install chromium)"
)

MERMAID_VERSION = "12.3.0"
MERMAID_DIR = ROOT / ".cache" / "mermaid"
MERMAID_JS = MERMAID_DIR / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
HOSTILE = FIXTURES / "render" / "hostile.md"
RENDER_FIXTURES = sorted((FIXTURES / "render").glob("*.md"))


def render_to(path: Path, fmt: str, target: Path) -> Path:
    result = CliRunner().invoke(render_command, [str(path), "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM is not None
    instance = Browser(CHROMIUM)
    try:
        yield instance
    finally:
        instance.close()


def links_resolve(page) -> list[str]:
    """In-page links whose target does not exist."""
    return list(
        page.evaluate(
            "[...document.querySelectorAll('a[href^=\"#\"]')]"
            ".map(a => a.getAttribute('href').slice(1))"
            ".filter(id => id && !document.getElementById(id))"
        )
    )


@pytest.mark.parametrize("spec", SPEC_FILES, ids=lambda p: p.stem)
def test_spec_report_loads_cleanly_and_shows_its_diagram(browser, spec, tmp_path):
    page = browser.open(render_to(spec, "html", tmp_path / "report.html").as_uri())
    try:
        assert page.result.problems == []
        document = parse_text(spec.read_text(encoding="utf-8"), str(spec))
        steps = len(list(iter_steps(document)))
        drawn = page.evaluate("document.querySelectorAll('.diagram svg .node.step').length")
        assert drawn == steps > 0
        size = page.evaluate(
            "(() => { const r = document.querySelector('.diagram svg').getBoundingClientRect();"
            " return [r.width, r.height]; })()"
        )
        assert size[0] > 200 and size[1] > 200
        # Every in-page link lands somewhere (diagram boxes, diagnostics, the flow table).
        assert links_resolve(page) == []
        # Selecting a box in the diagram jumps to that step's card.
        first = page.evaluate(
            "document.querySelector('.diagram svg .node.step a').getAttribute('href')"
        )
        assert page.evaluate(f"document.querySelector('{first}').tagName") == "ARTICLE"
    finally:
        page.close()


def as_phone(page) -> None:
    """Lay the page out as a 390-pixel-wide phone screen."""
    page.browser.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
        session=page.session,
    )


def deeply_placed_spec(tmp_path: Path) -> Path:
    """The first spec copied under a long, unbreakable directory path (a CI checkout)."""
    deep = tmp_path / ("checkout-" * 8) / ("playbooks-" * 8)
    deep.mkdir(parents=True)
    doc = deep / SPEC_FILES[0].name
    doc.write_bytes(SPEC_FILES[0].read_bytes())
    return doc


@pytest.mark.parametrize("page_kind", ["report", "gantt", "montecarlo"])
def test_a_long_document_path_does_not_widen_the_page_on_a_phone(browser, tmp_path, page_kind):
    doc = deeply_placed_spec(tmp_path)
    target = tmp_path / "page.html"
    if page_kind == "report":
        render_to(doc, "html", target)
    else:
        runs = ["--runs", "50"] if page_kind == "montecarlo" else []
        simulate_to([str(doc), *runs, "--format", "html"], target)
    page = browser.open(target.as_uri())
    try:
        as_phone(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        page.close()


@pytest.mark.parametrize("path", [*SPEC_FILES, *RENDER_FIXTURES], ids=lambda p: p.stem)
def test_report_is_readable_on_a_phone(browser, path, tmp_path):
    page = browser.open(render_to(path, "html", tmp_path / "report.html").as_uri())
    try:
        as_phone(page)
        # The page itself never scrolls sideways (only the diagram and wide tables do, inside
        # their own boxes), and body text stays at a readable size.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert size >= 14
    finally:
        page.close()


def test_hostile_document_runs_no_script(browser, tmp_path):
    page = browser.open(render_to(HOSTILE, "html", tmp_path / "hostile.html").as_uri(), 0.8)
    try:
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert (
            page.evaluate("document.querySelectorAll('script, iframe, object, embed').length") == 0
        )
        handlers = page.evaluate(
            "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
            ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"
        )
        assert handlers == []
        schemes = page.evaluate(
            "[...document.querySelectorAll('[href], [src], [xlink\\\\:href]')]"
            ".map(e => e.getAttribute('href') || e.getAttribute('src') || '')"
            ".filter(u => /^\\s*(javascript|vbscript|data):/i.test(u))"
        )
        assert schemes == []
        # The hostile text is there, as text.
        assert "<script>window.__pwned" in page.evaluate("document.title")
        body = page.evaluate("document.body.innerText")
        assert "{{ 7*7 }}" in body and "49" not in body.split("{{ 7*7 }}")[0][-5:]
        assert "%%{init" in body
        assert page.result.problems == []
    finally:
        page.close()


def test_standalone_svg_loads_cleanly(browser, tmp_path):
    for path in [*SPEC_FILES, HOSTILE]:
        page = browser.open(render_to(path, "svg", tmp_path / f"{path.stem}.svg").as_uri())
        try:
            assert page.result.problems == []
            assert page.evaluate("document.documentElement.tagName") == "svg"
            assert page.evaluate("document.querySelectorAll('script').length") == 0
        finally:
            page.close()


# --- Mermaid, drawn by Mermaid itself ----------------------------------------------------


@pytest.fixture(scope="module")
def mermaid_js() -> Path:
    """The mermaid npm package, installed once into the git-ignored .cache/mermaid."""
    if MERMAID_JS.exists():
        return MERMAID_JS
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed, so the mermaid package cannot be fetched")
    MERMAID_DIR.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [npm, "install", "--prefix", str(MERMAID_DIR), "--no-audit", "--no-fund",
             "--no-save", "--silent", f"mermaid@{MERMAID_VERSION}"],
            check=True, capture_output=True, timeout=600,
            env={**os.environ, "npm_config_update_notifier": "false"},
        )  # fmt: skip
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"npm could not install mermaid@{MERMAID_VERSION}: {exc}")
    assert MERMAID_JS.exists()
    return MERMAID_JS


def mermaid_results(
    browser, mermaid_js: Path, texts: dict[str, str], tmp_path: Path, timezone: str | None = None
):
    """Render each text with mermaid.render() (in `timezone`, when given); name → "ok" or the
    error, and the page."""
    harness = tmp_path / "mermaid.html"
    payload = json.dumps(texts).replace("</", "<\\/")
    harness.write_text(
        f"""<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<script src="{mermaid_js.as_uri()}"></script>
<script>
mermaid.initialize({{startOnLoad: false, securityLevel: "strict"}});
window.__texts = {payload};
window.__run = async () => {{
  const out = {{}}; let i = 0;
  for (const [name, text] of Object.entries(window.__texts)) {{
    try {{
      const {{svg}} = await mermaid.render("m" + (i++), text);
      const box = document.createElement("div"); box.dataset.name = name;
      box.innerHTML = svg; document.body.append(box);
      out[name] = "ok";
    }} catch (e) {{ out[name] = String((e && e.message) || e); }}
  }}
  return out;
}};
</script></body></html>""",
        encoding="utf-8",
    )
    page = browser.open(harness.as_uri())
    if timezone is not None:
        browser.send("Emulation.setTimezoneOverride", {"timezoneId": timezone}, page.session)
    return page.evaluate("window.__run()", await_promise=True), page


def mermaid_of(path: Path, tmp_path: Path) -> str:
    return render_to(path, "mermaid", tmp_path / f"{path.stem}.mmd").read_text(encoding="utf-8")


def test_mermaid_accepts_every_spec_and_fixture(browser, mermaid_js, tmp_path):
    paths = [*SPEC_FILES, *RENDER_FIXTURES] + ([SEED] if SEED.exists() else [])
    texts = {path.name: mermaid_of(path, tmp_path) for path in paths}
    results, page = mermaid_results(browser, mermaid_js, texts, tmp_path)
    try:
        assert results == {name: "ok" for name in texts}
        # Hostile text comes out of Mermaid as the same text: nothing was interpreted.
        drawn = page.evaluate("document.querySelector('[data-name=\"hostile.md\"]').textContent")
        assert 'Is it "bad" --> ; | <b>x</b>' in drawn
        assert "%%{init}%% ?" in drawn
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate("document.querySelectorAll('div[data-name] script').length") == 0
    finally:
        page.close()


@needs_corpus
def test_mermaid_accepts_a_corpus_sample(browser, mermaid_js, tmp_path):
    files = corpus_files()
    sample = files[:: max(1, len(files) // 30)]
    texts = {
        f"{index}-{path.name}": mermaid_of(path, tmp_path) for index, path in enumerate(sample)
    }
    results, page = mermaid_results(browser, mermaid_js, texts, tmp_path)
    page.close()
    assert results == {name: "ok" for name in texts}


def test_mermaid_draws_every_simulated_gantt_without_a_today_line(browser, mermaid_js, tmp_path):
    texts = {}
    for spec in SPEC_FILES:
        target = tmp_path / f"{spec.stem}.gantt.mmd"
        result = CliRunner().invoke(
            simulate_command, [str(spec), "--format", "mermaid", "-o", str(target)]
        )
        assert result.exit_code in (0, 1), result.output
        texts[spec.name] = target.read_text(encoding="utf-8")
    results, page = mermaid_results(browser, mermaid_js, texts, tmp_path)
    try:
        assert results == {name: "ok" for name in texts}
        # Mermaid draws `g.today` at the wall-clock time unless the chart turns it off.
        assert page.evaluate("document.querySelectorAll('div[data-name] .today').length") == 0
        assert page.evaluate("document.querySelectorAll('div[data-name] rect.task').length") > 0
    finally:
        page.close()


# --- simulation pages: the Gantt on a phone, the Monte Carlo report ---------------------


def simulate_to(args: list[str], target: Path) -> Path:
    result = CliRunner().invoke(simulate_command, [*args, "-o", str(target)])
    assert result.exit_code in (0, 1), result.output
    return target


def visible_width(page, selector: str) -> float:
    return float(
        page.evaluate(f"document.querySelector('{selector}').getBoundingClientRect().width")
    )


@pytest.mark.parametrize("spec", SPEC_FILES, ids=lambda p: p.stem)
def test_gantt_on_a_phone_shows_the_bars_and_the_whole_objectives_table(browser, spec, tmp_path):
    page = browser.open(simulate_to([str(spec), "--format", "html"], tmp_path / "g.html").as_uri())
    try:
        assert page.result.problems == []
        assert visible_width(page, "svg.db-gantt.wide") > 800
        assert visible_width(page, "svg.db-gantt.stacked") == 0  # hidden on a desktop
        as_phone(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert visible_width(page, "svg.db-gantt.wide") == 0
        assert 300 < visible_width(page, "svg.db-gantt.stacked") <= 390
        # Every bar is on the screen and wide enough to see (labels sit above, not beside).
        bars = page.evaluate(
            "[...document.querySelectorAll('svg.db-gantt.stacked rect.bar')]"
            ".map(r => r.getBoundingClientRect()).map(b => [b.left, b.right, b.width])"
        )
        assert bars and all(left >= 0 and right <= 390 for left, right, _ in bars)
        assert max(width for _, _, width in bars) > 20
        # Tables fit the screen: nothing is cut off at the right edge.
        for table in page.evaluate(
            "[...document.querySelectorAll('table.stack')]"
            ".map(t => [t.getBoundingClientRect().right, t.scrollWidth, t.clientWidth])"
        ):
            right, scroll, client = table
            assert right <= 390 and scroll <= client + 1
    finally:
        page.close()


def test_monte_carlo_report_loads_cleanly_and_fits_a_phone(browser, tmp_path):
    args = [
        str(SPEC_FILES[0].parent / "release-train.md"),
        "--runs", "300", "--what-if", "slots+1", "--what-if", "faster:phase-2:20%",
        "--format", "html",
    ]  # fmt: skip
    page = browser.open(simulate_to(args, tmp_path / "mc.html").as_uri())
    try:
        assert page.result.problems == []
        assert page.evaluate("document.querySelectorAll('svg.db-histogram').length") == 2
        assert visible_width(page, "svg.db-histogram") > 300
        assert page.evaluate("document.querySelectorAll('#what-if ~ div tbody tr').length") >= 3
        assert links_resolve(page) == []
        as_phone(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert 250 < visible_width(page, "svg.db-histogram") <= 390
    finally:
        page.close()


def test_monte_carlo_report_of_a_hostile_document_runs_no_script(browser, tmp_path):
    target = tmp_path / "hostile-mc.html"
    target.write_text(render_montecarlo_html(*hostile_report()), encoding="utf-8")
    page = browser.open(target.as_uri(), 0.8)
    try:
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate("document.querySelectorAll('script, img, iframe').length") == 0
        assert "<script>window.__pwned=1</script>" in page.evaluate("document.title")
        assert page.result.problems == []
    finally:
        page.close()


@pytest.mark.parametrize("timezone", ["Asia/Kolkata", "America/Los_Angeles"])
def test_a_simulated_gantt_of_days_starts_at_midnight_in_any_time_zone(
    browser, mermaid_js, tmp_path, timezone
):
    from tests.simulation_builders import document, phase, simulate, step

    doc = document(phase("phase-1", step("a")), phase("phase-2", step("b")))
    result = simulate(
        doc,
        {
            "steps": {"a": {"duration": "20h"}, "b": {"duration": "10h"}},
            "slo": [{"name": "RTO", "within": "26h", "until": "phase-1"}],
        },
    )
    texts = {"days": render_mermaid(result)}
    results, page = mermaid_results(browser, mermaid_js, texts, tmp_path, timezone)
    try:
        assert results == {"days": "ok"}
        ticks = page.evaluate(
            "[...document.querySelectorAll('.tick text')].map(t => t.textContent)"
        )
        assert ticks[0] == "01 00:00" and "02 00:00" in ticks
        assert page.evaluate("document.querySelectorAll('.today').length") == 0
    finally:
        page.close()
