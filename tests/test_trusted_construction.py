"""The parser and the rules build the model with `model_construct`, without validation
(issue 10: a lint in text then builds no pydantic validator at all), and rely on mypy to
check each call's field types. These tests hold them to it: every node of every compiled
document, and every finding, equals what pydantic's validation makes of the same fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from compiler.checks import check_document
from compiler.parse import parse_document
from compiler.source import read_source
from tests.conftest import FIXTURES, SEED, SPEC_FILES

DOCUMENTS = [*SPEC_FILES, *sorted(FIXTURES.rglob("*.md")), *([SEED] if SEED.exists() else [])]


def assert_as_validated(node: BaseModel) -> None:
    """`node` and each model inside it equal the model validated from the same fields:
    same types (a tuple, not a list), same defaults, same fields set."""
    fields = {name: getattr(node, name) for name in node.model_fields_set}
    validated = type(node).model_validate(fields)
    assert validated == node, f"{type(node).__name__} differs once validated"
    assert validated.model_fields_set == node.model_fields_set
    for name in type(node).model_fields:
        value = getattr(node, name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, BaseModel):
                assert_as_validated(item)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_the_model_and_the_findings_are_what_validation_would_make(path: Path) -> None:
    source = read_source(path)
    document = parse_document(source)
    assert_as_validated(document)
    for diagnostic in check_document(document, source=source.text):
        assert_as_validated(diagnostic)
