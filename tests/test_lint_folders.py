"""Linting a repository's folders as a user does: vendored trees and git-ignored files are
not searched, `exclude =` applies, and a buffer read from stdin keeps its file's name."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli

RACE = FIXTURES / "lint" / "rules" / "WF301-parallel-read-race.md"

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _files(*args: str, cwd: Path) -> set[str]:
    result = run_cli("lint", *args, "--format", "json", cwd=cwd)
    assert result.code in (0, 1), result.stderr
    return {Path(str(d["file"])).as_posix() for d in json.loads(result.stdout)}


def _repository(root: Path) -> None:
    for relative in ("docs/playbook.md", "node_modules/pkg/README.md", "build/copy.md"):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(RACE, target)
    (root / ".venv").mkdir()
    shutil.copyfile(RACE, root / ".venv" / "vendored.md")


def test_vendored_and_hidden_folders_are_not_searched(tmp_path: Path) -> None:
    _repository(tmp_path)
    assert _files(".", cwd=tmp_path) == {"docs/playbook.md", "build/copy.md"}


@needs_git
def test_git_ignored_files_are_skipped_unless_asked(tmp_path: Path) -> None:
    _repository(tmp_path)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")
    assert _files(".", cwd=tmp_path) == {"docs/playbook.md"}
    assert _files(".", "--no-respect-gitignore", cwd=tmp_path) == {
        "docs/playbook.md",
        "build/copy.md",
    }
    # A file named on the command line is always read, ignored or not.
    assert _files("build/copy.md", cwd=tmp_path) == {"build/copy.md"}


def test_configured_excludes_apply_to_folders(tmp_path: Path) -> None:
    _repository(tmp_path)
    (tmp_path / "drillbook.toml").write_text('exclude = ["build/*"]\n', encoding="utf-8")
    assert _files(".", cwd=tmp_path) == {"docs/playbook.md"}


def test_stdin_filename_names_the_buffer_and_applies_per_file_settings(tmp_path: Path) -> None:
    (tmp_path / "drafts").mkdir()
    text = RACE.read_text(encoding="utf-8")
    shown = run_cli(
        "lint", "-", "--stdin-filename", "drafts/new.md", "--format", "json",
        cwd=tmp_path, stdin=text,
    )  # fmt: skip
    assert {d["file"] for d in json.loads(shown.stdout)} == {"drafts/new.md"}
    (tmp_path / "drillbook.toml").write_text(
        '[per-file-ignores]\n"drafts/*.md" = ["WF301"]\n', encoding="utf-8"
    )
    quiet = run_cli(
        "lint", "-", "--stdin-filename", "drafts/new.md", "--format", "json",
        cwd=tmp_path, stdin=text,
    )  # fmt: skip
    assert quiet.code == 0, quiet.stdout
    assert json.loads(quiet.stdout) == []


def test_a_dangling_link_in_a_folder_is_an_unreadable_file_and_the_rest_is_linted(
    tmp_path: Path,
) -> None:
    _repository(tmp_path)
    (tmp_path / "docs" / "moved.md").symlink_to(tmp_path / "gone" / "moved.md")
    result = run_cli("lint", "docs", "--format", "json", cwd=tmp_path)
    assert result.code == 1, result.stderr
    found = {(Path(str(d["file"])).as_posix(), d["code"]) for d in json.loads(result.stdout)}
    assert ("docs/moved.md", "WF901") in found
    assert ("docs/playbook.md", "WF301") in found


def test_a_site_drillbook_wrote_inside_the_folder_is_not_linted(tmp_path: Path) -> None:
    _repository(tmp_path)
    built = run_cli("site", "docs", "-o", "docs/site", cwd=tmp_path)
    assert built.code in (0, 1), built.stderr
    assert any((tmp_path / "docs" / "site").rglob("*.md"))  # its Markdown export is there
    assert _files("docs", cwd=tmp_path) == {"docs/playbook.md"}
