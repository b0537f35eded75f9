"""Shared test fixtures: paths to specs/ and ../shared, snapshot flavours, a CLI runner."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "incident-response-example.md"
CORPUS = SHARED / "corpus"

SPEC_FILES = sorted(SPECS.glob("*.md"))

needs_seed = pytest.mark.skipif(
    not SEED.exists(), reason="../shared/seeds is not beside the project"
)
needs_corpus = pytest.mark.skipif(
    not CORPUS.exists(), reason="../shared/corpus is not beside the project"
)


def corpus_files() -> list[Path]:
    if not CORPUS.exists():
        return []
    return sorted(p for p in CORPUS.rglob("*.md") if p.name != "README.md")


class TextSnapshot(SingleFileSnapshotExtension):
    """One text file per snapshot (so diffs of a rendered artefact read naturally)."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"


class JsonSnapshot(TextSnapshot):
    file_extension = "json"


class HtmlSnapshot(TextSnapshot):
    file_extension = "html"


class SvgSnapshot(TextSnapshot):
    file_extension = "svg"


class MarkdownSnapshot(TextSnapshot):
    file_extension = "md"


@pytest.fixture
def snapshot_text(snapshot):
    return snapshot.use_extension(TextSnapshot)


@pytest.fixture
def snapshot_json(snapshot):
    return snapshot.use_extension(JsonSnapshot)


@pytest.fixture
def snapshot_html(snapshot):
    return snapshot.use_extension(HtmlSnapshot)


@pytest.fixture
def snapshot_svg(snapshot):
    return snapshot.use_extension(SvgSnapshot)


@pytest.fixture
def snapshot_md(snapshot):
    return snapshot.use_extension(MarkdownSnapshot)


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None) -> Result:
    """Run `python -m compiler …` in a subprocess, exactly as a user would."""
    proc = subprocess.run(
        [sys.executable, "-m", "compiler", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        input=stdin,
        timeout=300,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli():
    return run_cli
