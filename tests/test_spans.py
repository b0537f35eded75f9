"""Span arithmetic: positions made once, exact in the original file."""

from __future__ import annotations

from compiler.model import Span
from compiler.parse.elements import TextLine, View, parse_elements, repair_nested_fences
from compiler.parse.text import Passage, cut_line
from compiler.parse.values import prompt_references, split_list
from compiler.source import Source


def test_textline_span_is_one_based_and_end_exclusive() -> None:
    line = TextLine("hello world", line=4, column=10)
    assert line.span(6, 11) == Span(line=4, column=16, end_line=4, end_column=21)
    assert line.span() == Span(line=4, column=10, end_line=4, end_column=21)


def test_passage_maps_offsets_across_lines() -> None:
    passage = Passage.of([TextLine("first", 3, 5), TextLine("second line", 4, 7)])
    start = passage.text.index("line")
    assert passage.span(start, start + 4) == Span(line=4, column=14, end_line=4, end_column=18)
    whole = passage.span(0, len(passage.text))
    assert (whole.line, whole.column, whole.end_line, whole.end_column) == (3, 5, 4, 18)


def test_cut_line_keeps_position() -> None:
    piece = cut_line(TextLine("a,   b  ", 1, 1), 2)
    assert (piece.text, piece.column) == ("b", 6)


def test_split_list_gives_each_item_its_column() -> None:
    parts = list(split_list(TextLine("alpha, beta (x, y), and gamma.", 2, 11)))
    assert [(p.text, p.column) for p in parts] == [
        ("alpha", 11),
        ("beta (x, y)", 18),
        ("gamma", 35),
    ]


def test_each_bracketed_reference_gets_its_own_span() -> None:
    text = "Use [incident classification, affected systems] and $ARGUMENTS."
    refs = prompt_references(Passage.of([TextLine(text, 9, 20)]))
    found = {(r.text, r.kind): (r.span.column, r.span.end_column) for r in refs}
    first = text.index("incident")
    second = text.index("affected")
    assert found[("incident classification", "bracket")] == (20 + first, 20 + first + 23)
    assert found[("affected systems", "bracket")] == (20 + second, 20 + second + 16)
    assert ("$ARGUMENTS", "variable") in found


def test_sub_view_maps_dedented_fence_content_back() -> None:
    view = View.whole("intro\n  ```markdown\n  ## Phase 1: A\n  - x\n  ```\n")
    sub = view.sub(2, 3, indent=2)
    assert sub.lines == ("## Phase 1: A", "- x")
    anchored = sub.text_line(1, "x")
    assert (anchored.line, anchored.column) == (4, 5)


def test_list_item_text_is_anchored_after_its_marker() -> None:
    source = Source("d.md", "# T\n\n   - Prompt: go\n")
    (heading, item) = parse_elements(View.whole(source.text))
    assert (item.lines[0].line, item.lines[0].column) == (3, 6)
    assert item.lines[0].text == "Prompt: go"
    del heading


def test_nested_fence_repair_keeps_line_lengths() -> None:
    lines = ["```", "text", "   ```bash", "   make", "   ```", "more", "```", "## After"]
    repaired = repair_nested_fences(lines)
    assert [len(a) for a in repaired] == [len(b) for b in lines]
    assert repaired[2] == "   ~~~bash" and repaired[4] == "   ~~~"
    assert repaired[6] == "```"


def test_single_word_references_count_but_capitalised_placeholders_do_not() -> None:
    text = "Decide from [regression report, changelog]; fill [TODO] and [ERROR_SIGNATURE]."
    refs = prompt_references(Passage.of([TextLine(text, 1, 1)]))
    assert [r.text for r in refs] == ["regression report", "changelog"]
