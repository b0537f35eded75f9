"""The model's classes compare, hash and print as dataclasses do, though `_Node` writes those
methods once instead of each class generating its own (compiler/model.py, issue 10)."""

from __future__ import annotations

import dataclasses

import pytest

from compiler.model import Item, Note, Ref, Span, make_span


def test_nodes_with_equal_fields_are_equal_and_hash_alike() -> None:
    built = Span(line=3, column=1, end_line=4, end_column=9)
    made = make_span(3, 1, 4, 9)
    assert built == made
    assert hash(built) == hash(made)
    assert {built: "found"}[made] == "found"


def test_a_node_differing_in_any_field_is_unequal() -> None:
    span = make_span(3, 1, 4, 9)
    for changed in ("line", "column", "end_line", "end_column"):
        assert dataclasses.replace(span, **{changed: 99}) != span


def test_nodes_of_different_classes_are_unequal_even_with_the_same_values() -> None:
    span = make_span(1, 1, 1, 5)
    assert Ref(text="x", span=span) != Note(text="x", span=span)
    assert Ref(text="x", span=span) != ("x", span)


def test_repr_names_every_field_in_order() -> None:
    item = Item(name="report", kind="output", span=make_span(2, 3, 2, 9))
    assert repr(item) == (
        "Item(name='report', kind='output', span=Span(line=2, column=3, end_line=2, end_column=9))"
    )


def test_nodes_stay_immutable() -> None:
    span = make_span(1, 1, 1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.line = 5  # type: ignore[misc]
