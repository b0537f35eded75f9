"""Snapshots of the compiled IR (JSON) and the text outline of every playbook in specs/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from compiler.ir import compile_ir, dump_json
from compiler.model import Document
from compiler.outline import outline
from compiler.parse import parse_document
from compiler.source import read_source
from tests.conftest import ROOT, SPEC_FILES


def _document(path: Path) -> Document:
    return parse_document(read_source(path, str(path.relative_to(ROOT))))


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.stem)
def test_ir_json(path: Path, snapshot_json: SnapshotAssertion) -> None:
    text = dump_json(compile_ir(_document(path)))
    json.loads(text)
    assert text == snapshot_json


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.stem)
def test_outline(path: Path, snapshot_text: SnapshotAssertion) -> None:
    assert outline(_document(path)) == snapshot_text


def test_every_dialect_has_a_spec() -> None:
    dialects = {_document(path).workflows[0].dialect for path in SPEC_FILES}
    assert {"docs-site", "commands", "plugin", "call"} <= dialects
