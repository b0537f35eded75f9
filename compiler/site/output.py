"""Writing the site safely: the whole site is built in a temporary folder beside DIR and
swapped in only when it is complete, so a failed or interrupted build leaves the previous site
as it was. A non-empty DIR that drillbook did not create is refused unless forced, and DIR may
never hold the documents it is built from."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

#: The file that marks a folder as a drillbook site (`<DIR>/.drillbook/site`).
MARKER = ".drillbook/site"
MARKER_TEXT = "This folder is a site written by `drillbook site`; it may be rebuilt over.\n"


class OutputError(Exception):
    """DIR cannot be used (exit 2); nothing was written."""


def check_target(target: Path, inputs: list[Path], force: bool) -> None:
    """Refuse a DIR that is a file, holds an input, or is someone else's non-empty folder."""
    resolved = target.resolve()
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target} exists and is not a folder")
    if resolved == Path(resolved.anchor) or resolved == Path.home().resolve():
        raise OutputError(f"refusing to build a site over {target}")
    for source in inputs:
        real = source.resolve()
        if real == resolved or resolved in real.parents:
            raise OutputError(
                f"refusing to build into {target}: it holds the input {source}; "
                "choose an output folder outside the documents"
            )
    if force or not target.exists():
        return
    if any(target.iterdir()) and not (target / MARKER).is_file():
        raise OutputError(
            f"{target} is not empty and was not written by drillbook; "
            "choose another folder or pass --force to replace its contents"
        )


class SiteWriter:
    """Files of the new site, written under a temporary folder; `commit` swaps it in."""

    def __init__(self, target: Path) -> None:
        self.target = target
        parent = target.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=parent))

    def write(self, relative: str, data: str | bytes) -> None:
        path = self.folder / safe_relative(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)

    def commit(self) -> None:
        """Put the new site in place of the old one (two renames; the old one is then
        removed). The folder gets the usual permissions, not mkdtemp's private ones."""
        self.write(MARKER, MARKER_TEXT)
        os.chmod(self.folder, 0o777 & ~_umask())
        final = self.target.resolve()
        old: Path | None = None
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
            os.rmdir(old)
            os.replace(final, old)
        try:
            os.replace(self.folder, final)
        except OSError:
            if old is not None:
                os.replace(old, final)  # put the previous site back
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def building(target: Path) -> Iterator[SiteWriter]:
    """A writer whose temporary folder is removed unless the block completes and commits."""
    writer = SiteWriter(target)
    try:
        yield writer
        writer.commit()
    finally:
        if writer.folder.exists():
            writer.discard()


def safe_relative(relative: str) -> Path:
    """A site path that stays inside the site: relative, no `..`, no drive."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in relative:
        raise ValueError(f"unsafe site path: {relative!r}")
    return Path(*pure.parts)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
