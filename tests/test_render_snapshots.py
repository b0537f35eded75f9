"""Snapshots of every artefact `drillbook render` makes for every playbook in specs/ (one
file per artefact), and byte-for-byte reproducibility."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli.render_cmd import render_command
from tests.conftest import ROOT, SPEC_FILES, TextSnapshot

FORMATS = ("html", "svg", "mermaid", "dot", "md")


class MermaidSnapshot(TextSnapshot):
    file_extension = "mmd"


class DotSnapshot(TextSnapshot):
    file_extension = "dot"


def render(path: Path, fmt: str) -> str:
    """What `drillbook render specs/X.md --format FMT` prints, run from the project root."""
    relative = path.relative_to(ROOT).as_posix()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(render_command, [relative, "--format", fmt])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["html", "svg", "mermaid", "dot", "md"])
def test_spec_snapshot(path, fmt, snapshot, snapshot_html, snapshot_svg, snapshot_md):
    flavour = {
        "html": snapshot_html,
        "svg": snapshot_svg,
        "mermaid": snapshot.use_extension(MermaidSnapshot),
        "dot": snapshot.use_extension(DotSnapshot),
        "md": snapshot_md,
    }[fmt]
    assert render(path, fmt) == flavour


def test_rendering_twice_gives_identical_bytes():
    for path in SPEC_FILES:
        for fmt in FORMATS:
            assert render(path, fmt) == render(path, fmt), (path.name, fmt)


def test_output_does_not_depend_on_hash_seed(tmp_path):
    """Two processes with different PYTHONHASHSEED write byte-identical files."""
    spec = SPEC_FILES[0].relative_to(ROOT).as_posix()
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        for fmt in FORMATS:
            target = tmp_path / f"{seed}.{fmt}"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "compiler",
                    "render",
                    spec,
                    "--format",
                    fmt,
                    "-o",
                    str(target),
                ],
                cwd=ROOT,
                env=env,
                check=True,
                timeout=120,
            )
        outputs.append([(tmp_path / f"{seed}.{fmt}").read_bytes() for fmt in FORMATS])
    assert outputs[0] == outputs[1]
