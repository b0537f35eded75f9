"""The site in headless Chromium: search finds playbooks by agent and by prompt phrase and is
driven by the keyboard, the table sorts and filters, no page makes a network request, and the
hostile fixture runs no script on any page. Screenshots of the main pages at desktop and
phone widths go to the git-ignored `.cache/site-screenshots/` for a person to look at."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import Browser, Page, chromium_binary
from tests.conftest import FIXTURES, ROOT, SPECS
from tests.site_support import build

CHROMIUM = chromium_binary()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary on PATH (apt-get install chromium)"
)
SHOTS = ROOT / ".cache" / "site-screenshots"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("in")
    shutil.copytree(SPECS, source / "specs")
    shutil.copy(FIXTURES / "render" / "hostile.md", source / "specs" / "hostile.md")
    out = tmp_path_factory.mktemp("out") / "site"
    result = build(source / "specs", "-o", out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM is not None
    instance = Browser(CHROMIUM)
    try:
        yield instance
    finally:
        instance.close()


def type_query(page: Page, text: str) -> list[dict[str, str]]:
    page.evaluate(
        "(() => { const i = document.getElementById('search'); i.focus();"
        f" i.value = {json.dumps(text)}; i.dispatchEvent(new Event('input')); }})()"
    )
    time.sleep(0.3)
    return list(
        page.evaluate(
            "[...document.querySelectorAll('#results > li')].map(li => ({"
            " title: li.querySelector('a.result').textContent,"
            " href: li.querySelector('a.result').getAttribute('href'),"
            " hits: [...li.querySelectorAll('a.hit')].map(a => a.getAttribute('href')) }))"
        )
    )


def requests_made(page: Page) -> list[str]:
    """Every resource the page loaded (scripts, styles, images, fetches)."""
    return list(
        page.evaluate(
            "[location.href, ...performance.getEntriesByType('resource').map(e => e.name)]"
        )
    )


def test_search_by_agent_and_by_prompt_phrase(browser, site):
    page = browser.open((site / "index.html").as_uri())
    try:
        assert page.result.problems == []
        by_agent = type_query(page, "acquirer-liaison")
        assert by_agent and by_agent[0]["title"] == "Payments Outage Response"
        assert any("#s-" in href for href in by_agent[0]["hits"])
        by_prompt = type_query(page, "rejecting legitimate traffic")
        assert "Payments Outage Response" in [r["title"] for r in by_prompt]
        assert type_query(page, "zzz-no-such-thing-zzz") == []
        assert "No playbook matches" in page.evaluate(
            "document.getElementById('search-status').textContent"
        )
        assert page.result.problems == []
    finally:
        page.close()


def test_search_is_keyboard_driven(browser, site):
    page = browser.open((site / "index.html").as_uri())
    try:
        page.evaluate("document.body.focus()")
        page.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: '/'}))")
        assert page.evaluate("document.activeElement.id") == "search"
        assert type_query(page, "release")
        page.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown'}))")
        assert page.evaluate("document.activeElement.className") == "result"
        page.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowUp'}))")
        assert page.evaluate("document.activeElement.id") == "search"
        page.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}))")
        assert page.evaluate("document.querySelectorAll('#results li').length") == 0
    finally:
        page.close()


def test_table_sorts_and_filters(browser, site):
    page = browser.open((site / "index.html").as_uri())
    try:
        titles = (
            "[...document.querySelectorAll('#documents-table tbody tr:not([hidden])"
            " td:first-child a')].map(a => a.textContent)"
        )
        page.evaluate("document.querySelectorAll('#documents-table th button')[3].click()")
        steps = page.evaluate(
            "[...document.querySelectorAll('#documents-table tbody tr')]"
            ".map(r => parseInt(r.cells[3].textContent))"
        )
        assert steps == sorted(steps)
        page.evaluate(
            "(() => { const s = document.getElementById('filter-dialect'); s.value = 'plugin';"
            " s.dispatchEvent(new Event('change')); })()"
        )
        assert page.evaluate(titles) == ["Zero-Downtime Schema Migration"]
    finally:
        page.close()


def test_no_page_requests_anything_remote_and_the_hostile_one_runs_nothing(browser, site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        page = browser.open(path.as_uri(), settle=0.2)
        try:
            if path.name == "index.html":
                type_query(page, "hostile")  # search results show hostile titles as text
            assert page.evaluate("typeof window.__pwned") == "undefined", path
            loaded = requests_made(page)
            assert all(url.startswith("file://") for url in loaded), (path, loaded)
            assert page.result.problems == [], (path, page.result.problems)
        finally:
            page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(browser, site, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    doc = next((site / "docs").glob("*payments-outage.html"))
    for name, path in (
        ("index", site / "index.html"),
        ("document", doc),
        ("agents", site / "agents.html"),
    ):
        page = browser.open(path.as_uri())
        try:
            page.screenshot(SHOTS / f"{name}-{width}.png", width, 1100, clip=(0, 0, width, 1100))
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} scrolls sideways at {width}px"
        finally:
            page.close()
    page = browser.open((site / "index.html").as_uri())
    try:
        type_query(page, "rejecting legitimate traffic")
        page.screenshot(SHOTS / f"search-{width}.png", width, 900, clip=(0, 0, width, 900))
    finally:
        page.close()


def test_pages_follow_the_readers_dark_preference(browser, site):
    doc = next((site / "docs").glob("*payments-outage.html"))
    for path in (site / "index.html", doc, site / "agents.html"):
        page = browser.open(path.as_uri())
        try:
            browser.send(
                "Emulation.setEmulatedMedia",
                {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
                session=page.session,
            )
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            text = page.evaluate("getComputedStyle(document.body).color")
            assert background == "rgb(13, 17, 23)", (path.name, background)
            assert text == "rgb(230, 237, 243)", (path.name, text)
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(SHOTS / f"{path.stem}-dark-1280.png", 1280, 900, clip=(0, 0, 1280, 900))
        finally:
            page.close()


LONG_AGENT = "payments_platform/incident_commander_for_cross_region_gateway_failover"


def test_agents_page_fits_a_phone_with_long_agent_names(browser, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "long.md").write_text(
        "# Long Names\n\n## Phase 1: Triage\n"
        f'- Use Task tool with subagent_type="{LONG_AGENT}"\n'
        '- Prompt: "Look at the alerts"\n- Output: triage notes\n\n'
        "## Phase 2: Fix\n"
        '- Use Task tool with subagent_type="plugin::a-rather-long-qualified-fixer-agent-name"\n'
        '- Prompt: "Fix it using [triage notes]"\n- Output: fix\n',
        encoding="utf-8",
    )
    out = tmp_path / "site"
    assert build(docs, "-o", out).exit_code == 0
    assert LONG_AGENT in (out / "agents.html").read_text(encoding="utf-8")
    page = browser.open((out / "agents.html").as_uri())
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(SHOTS / "agents-long-390.png", 390, 900, clip=(0, 0, 390, 900))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the agents page is {width}px wide on a 390px phone"
    finally:
        page.close()
