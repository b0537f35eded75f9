"""The pre-commit hooks of this repository, run the way a user's repository runs them:
`pre-commit try-repo` installs drillbook into its own environment and lints the commit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, SEED

#: Lines pip prints when the package registry cannot be reached from here.
OFFLINE = (
    "Failed to establish a new connection",
    "Network is unreachable",
    "No matching distribution",
)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the module: the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(repository: Path, hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not (ROOT / ".git").exists():
        pytest.skip("drillbook is not a git checkout here, so pre-commit cannot try it")
    environment = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    environment.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--all-files"],
        cwd=repository,
        capture_output=True,
        text=True,
        env=environment,
        timeout=900,
    )
    if result.returncode != 0 and any(line in result.stdout + result.stderr for line in OFFLINE):
        pytest.skip("the package registry cannot be reached to install the hook")
    return result


def _repository(tmp_path: Path) -> Path:
    repository = tmp_path / "repository"
    repository.mkdir()
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    playbook = (
        SEED if SEED.exists() else FIXTURES / "lint" / "rules" / "WF301-parallel-read-race.md"
    )
    shutil.copyfile(playbook, repository / "playbook.md")
    (repository / "README.md").write_text("# Notes\n\nNothing to run here.\n", encoding="utf-8")
    subprocess.run(["git", "-C", str(repository), "add", "."], check=True)
    return repository


def test_lint_hook_reports_the_race_and_skips_files_without_a_workflow(
    tmp_path: Path, home: Path
) -> None:
    result = _try_repo(_repository(tmp_path), "drillbook", home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "playbook.md" in result.stdout
    assert "WF301 parallel-read-race" in result.stdout
    assert "README.md" not in result.stdout  # no workflow there: nothing to say


def test_test_hook_runs_the_scenarios_of_a_playbook(tmp_path: Path, home: Path) -> None:
    repository = _repository(tmp_path)
    for name in ("payments-outage.md", "payments-outage.scenario.yaml"):
        shutil.copyfile(ROOT / "specs" / name, repository / name)
    subprocess.run(["git", "-C", str(repository), "add", "."], check=True)
    result = _try_repo(repository, "drillbook-test", home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "drillbook test" in result.stdout and "Passed" in result.stdout
