"""`drillbook site`: what the site holds, how it treats real folders, and its safety rules
(swap on success, foreign folders refused, nothing written outside DIR, safe slugs)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from compiler.site import build as site_build
from compiler.site.output import OutputError, safe_relative
from compiler.site.slugs import slugify, unique_slugs
from tests.conftest import FIXTURES, SPECS
from tests.site_support import build, crawl, tree

HOSTILE = FIXTURES / "render" / "hostile.md"
PLAYBOOK = """# {title}

## Phase 1: Triage
- Use Task tool with subagent_type="{agent}"
- Prompt: "Look at the alerts and {phrase}"
- Output: triage notes

## Phase 2: Fix
- Use Task tool with subagent_type="fixer"
- Prompt: "Fix it using [triage notes]"
- Output: fix
"""


def playbook(title: str, agent: str = "triager", phrase: str = "summarise") -> str:
    return PLAYBOOK.format(title=title, agent=agent, phrase=phrase)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder like real ones: sub-folders, spaces, non-ASCII, duplicates, no workflow, an
    unreadable file."""
    docs = tmp_path / "docs"
    (docs / "deep" / "er" / "still deeper").mkdir(parents=True)
    (docs / "a.md").write_text(playbook("Same Title"), encoding="utf-8")
    (docs / "deep" / "b.md").write_text(playbook("Same Title", agent="other"), encoding="utf-8")
    (docs / "deep" / "er" / "still deeper" / "Ünïcode name with spaces.md").write_text(
        playbook("Déjà vu 事件"), encoding="utf-8"
    )
    (docs / "deep" / "er" / "still deeper" / "事件.md").write_text(
        playbook("CJK"), encoding="utf-8"
    )
    (docs / "notes.md").write_text("# Just notes\n\nNo workflow here.\n", encoding="utf-8")
    (docs / "binary.md").write_bytes(b"\x00\x01\x02 not text \xff\xfe")
    return docs


def index_rows(site: Path) -> dict[str, str]:
    """Document key → its index row's HTML."""
    html = (site / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr data-status.*?</tr>", html, re.S)
    return {re.search(r'<code class="path">(.*?)</code>', r).group(1): r for r in rows}  # type: ignore[union-attr]


# --- what the site holds ----------------------------------------------------------------


def test_specs_site_has_every_page(tmp_path):
    site = tmp_path / "site"
    result = build(SPECS, "-o", site)
    assert result.exit_code == 0, result.output
    for name in ("index.html", "agents.html", "rules.html", "assets/site.js", "assets/site.css"):
        assert (site / name).is_file()
    for spec in SPECS.glob("*.md"):
        page = site / "docs" / f"specs-{spec.stem}.html"
        html = page.read_text(encoding="utf-8")
        assert 'class="site-nav"' in html and 'href="../index.html"' in html
    assert list((site / "sim").glob("*.html")), "documents with scenarios get simulation pages"
    index = (site / "index.html").read_text(encoding="utf-8")
    # payments-outage's three scenarios take each of its decision's three paths
    assert "decision paths taken: 3/3" in index
    rules = (site / "rules.html").read_text(encoding="utf-8")
    for code in ("WF101", "WF201", "WF301", "WF901"):
        assert f'id="{code}"' in rules
    agents = (site / "agents.html").read_text(encoding="utf-8")
    assert "agents.html" not in agents.split("<main>")[1]  # no self-links in the body
    broken, remote, pages = crawl(site)
    assert broken == [] and remote == [] and pages >= 7


def test_scenario_verdicts_are_those_of_drillbook_test(tmp_path):
    """A scenario that expects an objective to be missed passes when it is missed, on the
    index and on the document page, as `drillbook test` says."""
    from click.testing import CliRunner

    from compiler.cli.test_cmd import test_command

    ran = CliRunner().invoke(test_command, [str(SPECS), "--format", "json"])
    passes: dict[str, list[bool]] = {}
    for document in json.loads(ran.output)["documents"]:
        key = "specs/" + Path(document["path"]).name
        passes[key] = [s["passed"] for s in document["scenarios"]]
    assert any(len(p) > 1 for p in passes.values())
    site = tmp_path / "site"
    assert build(SPECS, "-o", site).exit_code == 0
    rows = index_rows(site)
    for key, verdicts in passes.items():
        assert f"{sum(verdicts)}/{len(verdicts)} pass" in rows[key], key
    page = (site / "docs" / "specs-payments-outage.html").read_text(encoding="utf-8")
    assert "acquirer-outage.scenario.yaml (passes," in page


def test_real_folder(folder, tmp_path):
    site = tmp_path / "out"
    result = build(folder, "-o", site)
    assert result.exit_code == 0, result.output
    rows = index_rows(site)
    assert set(rows) == {
        "docs/a.md",
        "docs/binary.md",
        "docs/deep/b.md",
        "docs/deep/er/still deeper/Ünïcode name with spaces.md",
        "docs/deep/er/still deeper/事件.md",
        "docs/notes.md",
    }
    assert (
        'data-status="unreadable"' in rows["docs/binary.md"] and "WF901" in rows["docs/binary.md"]
    )
    assert 'data-status="no-workflow"' in rows["docs/notes.md"]
    pages = sorted(p.name for p in (site / "docs").glob("*.html"))
    assert len(pages) == 5  # the unreadable file has an index entry, not a page
    assert all(re.fullmatch(r"[a-z0-9-]+\.html", name) for name in pages)
    assert "docs-deep-er-still-deeper-unicode-name-with-spaces" in " ".join(pages)
    broken, remote, _ = crawl(site)
    assert broken == [] and remote == []
    # Duplicate titles stay apart: both documents have their own page and entry.
    assert rows["docs/a.md"].count("Same Title") == rows["docs/deep/b.md"].count("Same Title") == 1


def test_breadcrumbs_and_previous_next(folder, tmp_path):
    site = tmp_path / "out"
    build(folder, "-o", site)
    pages = sorted((site / "docs").glob("*.html"))
    html = (site / "docs" / "docs-deep-b.html").read_text(encoding="utf-8")
    nav = html.split('<nav class="site-nav"')[1].split("</nav>")[0]
    assert "index.html#folder=docs%2Fdeep" in nav
    assert 'rel="prev"' in nav and 'rel="next"' in nav
    first = (site / "docs" / "docs-a.html").read_text(encoding="utf-8")
    assert 'rel="prev"' not in first.split("</nav>")[0]
    assert len(pages) == 5


def test_configuration_applies(folder, tmp_path):
    site = tmp_path / "out"
    (folder / "a.md").write_text(playbook("A") + "- Ouptut: typo\n", encoding="utf-8")
    build(folder, "-o", site)
    assert "WF107" in (site / "docs" / "docs-a.html").read_text(encoding="utf-8")
    (folder / "drillbook.toml").write_text('ignore = ["WF107"]\n', encoding="utf-8")
    build(folder, "-o", site)
    assert "WF107" not in (site / "docs" / "docs-a.html").read_text(encoding="utf-8")


def test_no_absolute_paths_in_the_site(folder, tmp_path):
    site = tmp_path / "out"
    build(folder, SPECS, "-o", site)
    for path in site.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert str(tmp_path) not in text, path
            assert str(SPECS.parent) not in text, path


def test_search_index_holds_agents_steps_and_prompts(folder, tmp_path):
    site = tmp_path / "out"
    build(folder, "-o", site)
    text = (site / "assets" / "search-index.js").read_text(encoding="utf-8")
    records = json.loads(text.split("=", 1)[1].rstrip().rstrip(";"))
    titles = {record[1] for record in records}
    assert "Same Title" in titles and "Déjà vu 事件" in titles
    everything = json.dumps(records, ensure_ascii=False)
    assert "triager" in everything and "Look at the alerts" in everything


def test_hostile_document_is_escaped_everywhere(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(HOSTILE, source / "hostile.md")
    site = tmp_path / "out"
    assert build(source, "-o", site).exit_code == 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in html, page
        assert not re.search(r'(?:href|src)="\s*(?:javascript|vbscript|data):', html, re.I), page
        scripts = re.findall(r"<script[^>]*>", html)
        assert all(re.fullmatch(r'<script src="assets/[a-z-]+\.js" defer>', s) for s in scripts), (
            page
        )
    index = (site / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert "</script" not in index.lower()


# --- safety ------------------------------------------------------------------------------


def test_refuses_a_foreign_folder_untouched(tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "thesis.txt").write_text("precious", encoding="utf-8")
    before = tree(target)
    result = build(SPECS, "-o", target)
    assert result.exit_code == 2
    assert "not empty" in result.output and "--force" in result.output
    assert tree(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]  # no temp folder left
    forced = build(SPECS, "-o", target, "--force")
    assert forced.exit_code == 0
    assert not (target / "thesis.txt").exists() and (target / "index.html").exists()


def test_rebuilds_its_own_folder_and_an_empty_one(tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    assert build(SPECS, "-o", target).exit_code == 0
    assert build(SPECS, "-o", target).exit_code == 0  # its own marker: no --force needed


def test_refuses_a_folder_holding_the_input(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(playbook("A"), encoding="utf-8")
    for target in (docs, tmp_path):
        result = build(docs, "-o", target, "--force")
        assert result.exit_code == 2 and "holds the input" in result.output
    assert (docs / "a.md").exists()


def test_a_site_inside_an_input_folder_is_not_read_back_in(tmp_path):
    """`drillbook site docs -o docs/site`: the site's Markdown export is output, not input;
    nor is an older site drillbook wrote elsewhere under the inputs."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(playbook("A"), encoding="utf-8")
    (docs / "b.md").write_text(playbook("B"), encoding="utf-8")
    for _ in range(2):
        result = build(docs, "-o", docs / "site")
        assert result.exit_code == 0, result.output
        assert ": 2 documents," in result.output
    assert (docs / "site" / "md").is_dir()
    assert sorted(index_rows(docs / "site")) == ["docs/a.md", "docs/b.md"]
    elsewhere = tmp_path / "elsewhere"
    assert build(docs, "-o", elsewhere).exit_code == 0
    assert sorted(index_rows(elsewhere)) == ["docs/a.md", "docs/b.md"]


def test_a_failed_build_leaves_the_previous_site(tmp_path, monkeypatch):
    target = tmp_path / "site"
    assert build(SPECS, "-o", target).exit_code == 0
    before = tree(target, cache=True)

    def explode(write, results):
        write("index.html", "half")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(site_build, "write_pages", explode)
    with pytest.raises(RuntimeError):
        site_build.build_site([str(SPECS)], target)
    assert tree(target, cache=True) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_nothing_is_written_outside_the_folder(tmp_path):
    target = tmp_path / "nest" / "site"
    assert build(SPECS, "-o", target).exit_code == 0
    assert sorted(
        p.name for p in tmp_path.rglob("*") if p.parent != target and target not in p.parents
    ) == ["nest", "site"]


def test_unsafe_site_paths_are_refused():
    for bad in ("../x.html", "/etc/passwd", "a/../../b", "", "a\\..\\b"):
        with pytest.raises(ValueError):
            safe_relative(bad)
    assert safe_relative("docs/a.html") == Path("docs/a.html")
    with pytest.raises(OutputError):
        from compiler.site.output import check_target

        check_target(Path("/"), [], True)


# --- slugs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "..",
        ".",
        "/abs/path.md",
        "a\\b.md",
        "CON",
        "<script>.md",
        "名前.md",
        "🚀",
        "",
    ],
)
def test_slugs_are_safe(name):
    slug = slugify(name)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
    assert slug not in (".", "..") and len(slug) <= 120


def test_slugs_are_unique_and_stable():
    keys = ["docs/A B.md", "docs/a-b.md", "docs/a_b.md", "specs/事件.md", "specs/事故.md", "x/Ü.md"]
    first = unique_slugs(keys)
    assert len(set(first.values())) == len(keys)
    assert unique_slugs(reversed(keys)) == first
    assert unique_slugs([*keys, "zzz/new.md"])["docs/a-b.md"] == first["docs/a-b.md"]
    assert first["x/Ü.md"].startswith("x-u")
    assert first["specs/事件.md"] != first["specs/事故.md"]


def test_author_links_become_site_links_or_text():
    from compiler.site.links import repoint_links

    pages = {"docs/guide/other.md": "docs/docs-guide-other.html"}
    page = (
        '<a href="other.md#x">in site</a> <a href="missing.md">gone</a> '
        '<a href="https://example.com">web</a> <a href="#L3">line</a> <span id="L3"></span>'
        '<a class="code" href="../rules.html#WF101">rule</a> <img alt="d" src="img/d.png">'
    )
    result = repoint_links(page, "docs/guide/this.md", pages)
    assert '<a href="../docs/docs-guide-other.html">in site</a>' in result
    assert '<a class="offsite" title="missing.md (not part of this site)">gone</a>' in result
    assert 'href="https://example.com"' in result and 'href="#L3"' in result
    assert 'href="../rules.html#WF101"' in result
    assert "src=" not in result


def test_author_anchor_links_to_missing_sections_become_text():
    from compiler.site.links import repoint_links

    page = '<h2 id="here">x</h2><a href="#here">ok</a> <a href="#1-intro">toc</a>'
    result = repoint_links(page, "docs/a.md", {})
    assert '<a href="#here">ok</a>' in result
    assert '<a class="offsite" title="#1-intro (a section of the original page)">toc</a>' in result


def test_call_style_page_keeps_its_introduction_on_top():
    from compiler.parse import parse_text
    from compiler.render.report import render_report

    spec = SPECS / "release-train.md"
    html = render_report(parse_text(spec.read_text(encoding="utf-8"), str(spec)))
    intro = html.index("The release coordinator cuts a release candidate")
    assert intro < html.index('id="phases"')
    assert "The release coordinator" not in html.split('class="workflow-notes"')[-1][:2000] or (
        'class="workflow-notes"' not in html
    )


def test_the_summary_line_counts_in_words(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(playbook("A"), encoding="utf-8")
    result = build(docs, "-o", tmp_path / "site")
    assert ": 1 document, " in result.output and " 1 documents" not in result.output


@pytest.mark.parametrize(
    ("name", "called", "listed"),
    [
        ("incident-commander", False, True),
        ("plugin::reviewer", False, True),
        ("Explore", False, True),
        ("Plan", True, True),  # a built-in agent, though "plan" is an ordinary word
        ("Backend Architect", False, True),
        ("QA Expert", False, True),
        ("Developer", False, True),  # a role
        ("reviewer", False, True),
        ("asyncio", True, True),  # a Task call names it: the author says so
        # what the verifier found on the corpus site's agents page
        ("--debate", False, False),
        (".agenthub/board/", False, False),
        ("Applies only `safe-add` findings", False, False),
        ("both Task tools in a single message", False, False),
        ("Apply", False, False),
        ("asyncio", False, False),
        ("Bash", True, False),
        ("YOU MUST", False, False),
        ("Each QA", False, False),
        ("git diff --stat", False, False),
        ("references/agents/learnings-researcher.md", False, False),
    ],
)
def test_the_agents_page_lists_names_that_read_as_agents(name, called, listed):
    from compiler.site.agent_filter import listed_agent

    assert listed_agent(name, called) is listed


def test_agents_page_and_index_leave_out_what_is_not_an_agent():
    from compiler.site.entries import DocumentEntry, StepEntry
    from compiler.site.views import agents_view, index_view

    def step(agent: str, called: bool) -> StepEntry:
        return StepEntry(
            id="phase-1", title="T", anchor="a", agent=agent, prompt="", agent_called=called
        )

    entries = [
        DocumentEntry(
            key=f"docs/{n}.md",
            slug=str(n),
            href=f"docs/{n}.html",
            title=str(n),
            dialect="",
            phases=1,
            steps=1,
            agents=tuple(sorted({s.agent for s in steps})),
            errors=0,
            warnings=0,
            infos=0,
            status="clean",
            step_entries=steps,
        )
        for n, steps in enumerate(
            [
                (step("asyncio", False), step("--debate", False), step("fixer", True)),
                (step("asyncio", True), step("Apply", False)),
            ]
        )
    ]
    names = [agent.name for agent in agents_view(entries)]
    assert names == ["asyncio", "fixer"]  # asyncio: a Task call in the second one names it
    rows = index_view(entries).rows
    assert [(r.agent_count, r.agents_text) for r in rows] == [(2, "asyncio, fixer"), (1, "asyncio")]
