"""Mermaid flowchart text: structure (a subgraph per phase, rhombus decisions, labelled edges)
and safety (no document text can leave its quoted label). Mermaid's own parser checks the
output in tests/test_browser_render.py."""

from __future__ import annotations

import re

from compiler.parse import parse_text
from compiler.render.mermaid import escape, render_mermaid
from tests.conftest import FIXTURES, SEED, SPEC_FILES, needs_seed

HOSTILE = FIXTURES / "render" / "hostile.md"

# Every line drillbook writes has one of these shapes; a label is "…" with no quote inside.
LABEL = r'"[^"]*"'
SHAPE = "|".join(
    rf"{re.escape(opening)}{LABEL}{re.escape(closing)}"
    for opening, closing in (
        ("[", "]"), ("([", "])"), ("{", "}"), ("{{", "}}"), ("[[", "]]"), ("((", "))"), ("[/", "/]")
    )
)  # fmt: skip
LINE = re.compile(
    rf"""^(?:flowchart\ TD
    |\ +subgraph\ [A-Za-z0-9_]+\[{LABEL}\]
    |\ +end
    |\ +[A-Za-z0-9_]+(?:{SHAPE})
    |\ +[A-Za-z0-9_]+\ (?:-->|-\.->)(?:\|{LABEL}\|)?\ [A-Za-z0-9_]+
    |\ +[A-Za-z0-9_]+\ ~~~\ [A-Za-z0-9_]+
    |\ +classDef\ [a-z]+\ [a-z0-9:#,\ .-]+
    |\ +class\ [A-Za-z0-9_,]+\ [a-z]+)$""",
    re.VERBOSE,
)


def mermaid(path) -> str:
    return render_mermaid(parse_text(path.read_text(encoding="utf-8"), str(path)))


def test_every_line_has_a_known_shape():
    for path in [*SPEC_FILES, *sorted((FIXTURES / "render").glob("*.md"))]:
        for line in mermaid(path).splitlines():
            assert LINE.match(line), f"{path.name}: {line!r}"


def test_hostile_text_stays_inside_labels():
    text = mermaid(HOSTILE)
    assert "%%" not in text  # no directive, no comment
    assert "<script" not in text.lower() and "<img" not in text.lower()
    assert not re.search(r"^\s*click\b", text, re.MULTILINE)
    for line in text.splitlines():
        assert LINE.match(line), line
    # The words are all still there, encoded.
    assert escape('risk = "high" --> ;') in text
    assert "window.#95;#95;pwned" in text


def test_escape_leaves_only_safe_characters():
    nasty = 'a"b]c[d|e;f%%{init}%%<script>`x`#35;\\\n\tend'
    escaped = escape(nasty)
    assert re.fullmatch(r"(?:[^\W_]|[ .,:/()'?!-]|#\d+;)*", escaped)
    # Mermaid decodes #NN; back to the character: decoding gives the cleaned original.
    decoded = re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), escaped)
    assert decoded == 'a"b]c[d|e;f%%{init}%%<script>`x`#35;\\ end'


def test_structure_of_payments_outage():
    text = mermaid(next(p for p in SPEC_FILES if p.stem == "payments-outage"))
    assert text.startswith("flowchart TD\n")
    assert len(re.findall(r"^  subgraph ", text, re.MULTILINE)) == 5
    # Phase titles are nodes atop their subgraph (never drawn over its first node).
    assert 'subgraph g_phase_2[" "]\n    n_phase_2_title["Phase 2: Focused Investigation"]' in text
    assert "n_phase_2_title ~~~ n_phase_2_decision" in text
    # The decision is a rhombus; conditions label its edges; the default path says so.
    assert 'n_phase_2_decision{"Where are authorisations<br/>failing?"}' in text
    assert 'n_phase_2_decision -->|"gateway error rate above 5#37;"| n_phase_2_path_a' in text
    assert 'n_phase_2_decision -->|"otherwise"| n_phase_2_else' in text
    # Agents are in the boxes; subgraph ids never collide with node ids.
    assert 'n_phase_1["Triage #38; Command<br/>incident-commander"]' in text
    subgraphs = set(re.findall(r"subgraph (\w+)", text))
    nodes = set(re.findall(r"^\s+(\w+)[\[\(\{]", text, re.MULTILINE))
    assert subgraphs and not subgraphs & nodes


def test_loop_back_edge_is_dotted():
    text = mermaid(next(p for p in SPEC_FILES if p.stem == "schema-migration"))
    assert 'n_phase_2_loop_check -.->|"repeat"| n_phase_2_loop' in text


@needs_seed
def test_seed_has_four_parallel_branches():
    text = mermaid(SEED)
    assert len(re.findall(r"n_phase_3_parallel_fork --> n_phase_3_branch_[a-d]\n", text)) == 4
