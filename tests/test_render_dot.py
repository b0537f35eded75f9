"""Graphviz DOT: `dot` accepts it for every document, and text comes out of Graphviz exactly
as written (nothing in a title can close a string or start a statement)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from compiler.parse import parse_text
from compiler.render.dot import quote, render_dot
from tests.conftest import FIXTURES, SEED, SPEC_FILES, corpus_files, needs_corpus

DOT = shutil.which("dot")
needs_dot = pytest.mark.skipif(DOT is None, reason="Graphviz `dot` is not installed")
RENDER_FIXTURES = sorted((FIXTURES / "render").glob("*.md"))


def dot_of(path) -> str:
    return render_dot(parse_text(path.read_text(encoding="utf-8"), str(path)))


def run_dot(text: str) -> str:
    assert DOT is not None
    result = subprocess.run([DOT, "-Tsvg"], input=text, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    return result.stdout


@needs_dot
def test_dot_accepts_every_spec_fixture_and_the_seed():
    paths = [*SPEC_FILES, *RENDER_FIXTURES] + ([SEED] if SEED.exists() else [])
    for path in paths:
        run_dot(dot_of(path))


@needs_dot
def test_hostile_text_survives_graphviz_verbatim():
    import html

    svg = run_dot(dot_of(FIXTURES / "render" / "hostile.md"))
    # Graphviz draws each label line as its own <text>; the lines are the document's text.
    drawn = [html.unescape(line) for line in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert 'Is it "bad" --> ; | <b>x</b>' in drawn
    assert "backticks bold _em_ \\\\ backslash" in drawn
    assert "<script" not in svg and "<img" not in svg


@needs_dot
@needs_corpus
def test_dot_accepts_the_corpus():
    for path in corpus_files():
        run_dot(dot_of(path))


def test_quote_escapes_what_dot_interprets():
    assert quote('a"b') == '"a\\"b"'
    assert quote("a\\") == '"a\\\\"'
    assert quote("x\\ny") == '"x\\\\ny"'


def test_structure():
    text = dot_of(next(p for p in SPEC_FILES if p.stem == "payments-outage"))
    assert text.startswith('digraph "Payments Outage Response" {')
    assert len(re.findall(r'subgraph "cluster_', text)) == 5
    assert re.search(r'"phase-2/decision" \[shape=diamond', text)
    assert '"phase-2/decision" -> "phase-2/else" [label="otherwise"];' in text
    loop = dot_of(next(p for p in SPEC_FILES if p.stem == "schema-migration"))
    assert re.search(r'"phase-2/loop/check" -> "phase-2/loop" \[.*constraint=false', loop)
