"""Plain `key: value` front matter is read without PyYAML, and reads as PyYAML reads it."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.parse import parse_text
from compiler.parse.front_matter import simple_mapping


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sidebar_position: 3", {"sidebar_position": 3}),
        (
            "title: Incident Response\nslug: incident-response",
            {"title": "Incident Response", "slug": "incident-response"},
        ),
        ("", {}),
        ("a: 1\n\nb: two words", {"a": 1, "b": "two words"}),
        ("a: 1\na: 2", {"a": 2}),  # the last one wins, as in PyYAML
    ],
)
def test_plain_lines_read_as_yaml_does(text, expected):
    assert simple_mapping(text) == expected == (yaml.safe_load(text) or {})


@pytest.mark.parametrize(
    "text",
    [
        "draft: yes",  # YAML 1.1: a boolean
        "draft: Off",
        "parent: null",
        "On: x",  # a boolean key
        "mode: 010",  # octal
        "size: 1_000",
        "ratio: 1.5",
        "time: 1:30",  # sexagesimal
        "date: 2024-01-02",
        "tags: [a, b]",
        "title: 'quoted'",
        "title: Part 1: the start",
        "title: text # a comment",
        "title: trailing ",
        "  indented: 1",
        "list:\n  - a",
        "title: Título",
        "empty:",
    ],
)
def test_anything_else_goes_to_the_yaml_loader(text):
    assert simple_mapping(text) is None


# pieces of keys and values near the edge of what is read without the loader
_KEY = st.lists(st.sampled_from(["a", "X", "_", "-", "0", "yes", "On", "null", "y"]), min_size=1)
_VALUE = st.lists(
    st.sampled_from([*"aZ09 .,_/()'+&-", "yes", "Off", "null", "inf", "  ", ":", "#", "é", "\t"]),
    min_size=1,
    max_size=8,
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_KEY.map("".join), _VALUE.map("".join)), max_size=4))
def test_whatever_it_reads_yaml_reads_the_same(pairs):
    text = "\n".join(f"{key}: {value}" for key, value in pairs)
    found = simple_mapping(text)
    if found is not None:  # same keys, order, values and types (1 == True in Python)
        expected = yaml.safe_load(text) or {}
        assert [(k, v, type(v)) for k, v in found.items()] == [
            (k, v, type(v)) for k, v in expected.items()
        ]


@pytest.mark.parametrize(
    ("front", "reported"),
    [
        # a package's template: valid YAML once its blanks are filled in
        ("name: {{ name }}\nupdated: {{ date }}", False),
        ("name: {{REPO}}-plan\nallowed-tools: Read Agent", False),
        # a blank does not excuse what is broken around it
        ("name: {{REPO}}-plan\ndescription: Usage: /plan <task>", True),
    ],
)
def test_template_blanks_are_not_broken_front_matter(front: str, reported: bool) -> None:
    document = parse_text(f"---\n{front}\n---\n\n# Plan\n\nUse the **planner** agent.\n")
    codes = [d.code for d in document.parse_diagnostics]
    assert ("WF100" in codes) is reported
