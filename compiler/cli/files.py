"""Which files a folder on the command line stands for: its `*.md` files, sorted, without
hidden folders, vendored trees (`node_modules`, virtual environments, build output), what the
configuration's `exclude =` names, and what git ignores.

Files named one by one are always read: a user who names a file means it (as in ruff).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

#: Folders never searched (as ruff's default excludes): installed packages and build output
#: hold other people's Markdown, which a playbook linter has nothing to say about.
VENDORED = frozenset(
    {
        "node_modules",
        "bower_components",
        "site-packages",
        "__pypackages__",
        "__pycache__",
        "venv",
        "_build",
        "buck-out",
        "dist",
    }
)


def markdown_files(
    folder: Path, exclude: tuple[str, ...] = (), *, respect_gitignore: bool = True
) -> list[str]:
    """The Markdown files under `folder`, sorted, with the skipped trees pruned while walking
    (a `node_modules` with thousands of files costs nothing)."""
    # here: the site writer brings shutil and tempfile, which a lint of named files never
    # needs (cold start)
    from compiler.site.output import MARKER

    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and d not in VENDORED and not (here / d / MARKER).is_file()
        )  # a site drillbook wrote (`-o docs/site`) holds its own Markdown export, no playbook
        found.extend(here / name for name in files if name.endswith(".md"))
    kept = [path for path in found if not excluded(path, exclude)]
    if respect_gitignore and kept:
        ignored = git_ignored(folder, kept)
        kept = [path for path in kept if path not in ignored]
    return [str(path) for path in sorted(kept)]


def excluded(path: Path, patterns: Iterable[str]) -> bool:
    text = Path(path.as_posix())
    return any(path.match(pattern) or text.match(pattern) for pattern in patterns)


def git_ignored(folder: Path, paths: list[Path]) -> set[Path]:
    """The subset of `paths` that git ignores (every .gitignore, .git/info/exclude and the
    global excludes, exactly as git reads them). Outside a repository, or without git,
    nothing is ignored."""
    import shutil  # here, like subprocess: a lint of named files never asks git (cold start)
    import subprocess

    git = shutil.which("git")
    if git is None:
        return set()

    try:
        completed = subprocess.run(
            [git, "-C", str(folder), "check-ignore", "--stdin", "-z"],
            input=b"".join(os.fsencode(path.resolve()) + b"\0" for path in paths),
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if completed.returncode not in (0, 1):  # 128: not a repository
        return set()
    named = {os.fsdecode(item) for item in completed.stdout.split(b"\0") if item}
    return {path for path in paths if str(path.resolve()) in named}


def repository_root(start: Path) -> Path | None:
    """The top folder of the git checkout holding `start` (the nearest folder with a `.git`
    entry: a folder, or a file in a worktree or submodule), or None outside one."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None
