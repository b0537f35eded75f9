"""Published Markdown (`render --format md`): the author's page kept, the diagram and a step
table added where the workflow is, findings only on request — and the result compiles as MDX 3
with the real `@mdx-js/mdx` (installed from npm into the git-ignored `.cache/mdx`; skipped,
with the reason, without node/npm)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from compiler.parse import parse_text
from compiler.render.publish import publish_page
from tests.conftest import CORPUS, FIXTURES, ROOT, SEED, SPEC_FILES, needs_corpus

MDX_VERSION = "3.1.1"
MDX_DIR = ROOT / ".cache" / "mdx"
MDX_ENTRY = MDX_DIR / "node_modules" / "@mdx-js" / "mdx" / "index.js"
HOSTILE = FIXTURES / "render" / "hostile.md"
PAGES = [*SPEC_FILES, HOSTILE, *sorted((FIXTURES / "render").glob("*.md"))]


def published(path: Path, **options) -> str:
    text = path.read_text(encoding="utf-8")
    return publish_page(parse_text(text, str(path)), text, **options)


def test_the_authors_page_is_kept_and_the_diagram_added_after_the_workflow():
    if not SEED.exists():
        pytest.skip("../shared/seeds is not beside the project")
    source = SEED.read_text(encoding="utf-8")
    page = published(SEED)
    assert page.startswith("---\n") and source.split("---")[1] in page  # front matter as is
    assert "## Execution Results" in page and "Prompt:" in page  # prose, prompts, the run
    fence_end = page.index("```", page.index("```markdown") + 3)
    glance = page.index("**Workflow at a glance**")
    assert fence_end < glance < page.index("## Execution Results")
    assert "```mermaid\nflowchart TD" in page and "| Phase | Step | Agent |" in page
    assert "WF" not in page.split("**Workflow at a glance**")[1].split("| Phase")[0]


def test_whole_file_workflow_gets_the_block_before_its_first_phase():
    spec = next(p for p in SPEC_FILES if "feature-rollout" in p.stem)
    page = published(spec)
    assert page.index("**Workflow at a glance**") < page.index("## Phase 1")
    assert page.index("Ship a feature") < page.index("**Workflow at a glance**")


def test_findings_only_on_request():
    flawed = FIXTURES / "lint" / "rules" / "WF402-path-without-condition.md"
    from compiler.checks import check_document

    text = flawed.read_text(encoding="utf-8")
    document = parse_text(text, str(flawed))
    assert "WF402" not in publish_page(document, text)
    with_findings = publish_page(document, text, diagnostics=check_document(document))
    assert "## Lint findings" in with_findings and "WF402 path-without-condition" in with_findings


def test_hostile_page_is_inert():
    page = published(HOSTILE)
    outside_code = re.sub(r"```.*?```", "", page, flags=re.S)
    outside_code = re.sub(r"`[^`\n]*`", "", outside_code)
    body = outside_code.split("---", 2)[2]
    assert "<script" not in body and "<img" not in body and "<!--" not in body
    assert not re.search(r"(?<!\\)[{}]", body)


def test_no_workflow_page_is_returned_safe_and_unchanged_otherwise():
    text = "# Notes\n\nUse `{x}` and <b>bold</b> {here}.\n"
    page = publish_page(parse_text(text, "notes.md"), text)
    assert page == "# Notes\n\nUse `{x}` and &lt;b>bold&lt;/b> \\{here\\}.\n"


# --- MDX 3 --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mdx_compiler() -> Path:
    if MDX_ENTRY.exists():
        return MDX_ENTRY
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        pytest.skip("node and npm are needed to install @mdx-js/mdx")
    MDX_DIR.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [npm, "install", "--prefix", str(MDX_DIR), "--no-audit", "--no-fund",
             "--no-save", "--silent", f"@mdx-js/mdx@{MDX_VERSION}"],
            check=True, capture_output=True, timeout=600,
            env={**os.environ, "npm_config_update_notifier": "false"},
        )  # fmt: skip
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"npm could not install @mdx-js/mdx@{MDX_VERSION}: {exc}")
    return MDX_ENTRY


def compile_mdx(entry: Path, pages: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """name → "ok" or the compiler's message. Front matter is removed first, as Docusaurus
    does before handing the page to MDX."""
    bodies = {
        name: re.sub(r"\A---\n.*?\n---\n", "", text, count=1, flags=re.S)
        for name, text in pages.items()
    }
    (tmp_path / "pages.json").write_text(json.dumps(bodies), encoding="utf-8")
    script = tmp_path / "compile.mjs"
    script.write_text(
        f"""import {{compile}} from {json.dumps(entry.as_uri())};
import {{readFileSync}} from "node:fs";
const pages = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = {{}};
for (const [name, text] of Object.entries(pages)) {{
  try {{ await compile(text); out[name] = "ok"; }}
  catch (e) {{ out[name] = String(e && e.message || e); }}
}}
console.log(JSON.stringify(out));
""",
        encoding="utf-8",
    )
    done = subprocess.run(
        ["node", str(script), str(tmp_path / "pages.json")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result: dict[str, str] = json.loads(done.stdout)
    return result


def test_published_markdown_compiles_as_mdx3(mdx_compiler, tmp_path):
    paths = [*PAGES, *([SEED] if SEED.exists() else [])]
    pages = {f"{p.parent.name}/{p.name}": published(p) for p in paths}
    pages.update({f"findings:{name}": text + "\n" for name, text in list(pages.items())[:1]})
    from compiler.checks import check_document

    for path in (HOSTILE, *SPEC_FILES[:1]):
        text = path.read_text(encoding="utf-8")
        document = parse_text(text, str(path))
        pages[f"findings:{path.name}"] = publish_page(
            document, text, diagnostics=check_document(document)
        )
    results = compile_mdx(mdx_compiler, pages, tmp_path)
    failures = {name: message for name, message in results.items() if message != "ok"}
    assert failures == {}
    assert len(results) == len(pages)


def test_the_mdx_check_catches_what_mdx_rejects(mdx_compiler, tmp_path):
    """The harness is honest: raw author text with braces and comments fails."""
    results = compile_mdx(mdx_compiler, {"raw": HOSTILE.read_text(encoding="utf-8")}, tmp_path)
    assert results["raw"] != "ok"


def test_the_sites_markdown_export_compiles_as_mdx3(mdx_compiler, tmp_path):
    from tests.site_support import build

    source = tmp_path / "in"
    shutil.copytree(ROOT / "specs", source)
    shutil.copy(HOSTILE, source / "hostile.md")
    site = tmp_path / "site"
    assert build(source, "-o", site).exit_code == 0
    exported = {p.name: p.read_text(encoding="utf-8") for p in (site / "md").glob("*.md")}
    assert len(exported) == len(list(source.glob("*.md")))
    results = compile_mdx(mdx_compiler, exported, tmp_path)
    assert {name: message for name, message in results.items() if message != "ok"} == {}


@needs_corpus
def test_every_corpus_page_published_compiles_as_mdx3(mdx_compiler, tmp_path):
    from compiler.source import UnreadableFile, read_source

    pages = {}
    for root in (CORPUS, CORPUS.parent / "corpus2"):
        for path in sorted(root.rglob("*.md")) if root.exists() else []:
            try:
                source = read_source(path, str(path))
            except UnreadableFile:
                continue
            pages[str(path.relative_to(root.parent))] = publish_page(
                parse_text(source.text, str(path)), source.text
            )
    results = compile_mdx(mdx_compiler, pages, tmp_path)
    assert {name: message for name, message in results.items() if message != "ok"} == {}
    assert len(results) > 150
