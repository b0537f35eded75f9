"""The parser and the rules build the model and the findings as plain dataclasses, without
validation (issue 10: a lint then imports no pydantic at all), and rely on mypy to check each
call's field types. These tests hold them to it: every node of every parsed document, and
every finding, is what pydantic makes when it validates the node's own JSON back (same
types, a tuple and not a list, same defaults), and a finding's JSON is what pydantic writes."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from compiler.checks import check_document
from compiler.diagnostics import Diagnostic
from compiler.model import Document
from compiler.parse import parse_document
from compiler.source import read_source
from tests.conftest import FIXTURES, SEED, SPEC_FILES

DOCUMENTS = [*SPEC_FILES, *sorted(FIXTURES.rglob("*.md")), *([SEED] if SEED.exists() else [])]

DOCUMENT: TypeAdapter[Document] = TypeAdapter(Document)
DIAGNOSTIC: TypeAdapter[Diagnostic] = TypeAdapter(Diagnostic)


def assert_as_validated(adapter: TypeAdapter[Any], node: object) -> None:
    """`node` equals the node validated from its JSON: dataclass equality compares every
    field of every node inside, each with its type, so a list where the model says tuple, a
    number written as text or a missing default shows."""
    validated = adapter.validate_python(adapter.dump_python(node, mode="json"))
    assert validated == node, f"differs once validated: {difference(node, validated)}"


def difference(built: object, validated: object, where: str = "") -> str:
    """Where two unequal values first differ, and how (for the failure message)."""
    if is_dataclass(built) and type(built) is type(validated):
        for field in fields(built):
            mine, theirs = getattr(built, field.name), getattr(validated, field.name)
            if mine != theirs:
                return difference(mine, theirs, f"{where}.{field.name}")
    elif isinstance(built, tuple) and isinstance(validated, tuple):
        for index, (mine, theirs) in enumerate(zip(built, validated, strict=False)):
            if mine != theirs:
                return difference(mine, theirs, f"{where}[{index}]")
    return f"{where or 'the node'}: built {built!r}, validated {validated!r}"


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_the_model_and_the_findings_are_what_validation_would_make(path: Path) -> None:
    source = read_source(path)
    document = parse_document(source)
    assert_as_validated(DOCUMENT, document)
    for diagnostic in check_document(document, source=source.text):
        assert_as_validated(DIAGNOSTIC, diagnostic)
        # the JSON the lint writes without pydantic, field for field in the same order
        written = DIAGNOSTIC.dump_python(diagnostic, mode="json", exclude={"silenced"})
        assert list(diagnostic.as_json().items()) == list(written.items())
